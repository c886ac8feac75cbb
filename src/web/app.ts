/**
 * The web app (Hono): server-rendered pages and the same data as JSON, over a read-only view of the
 * store (`WebQueries`) and the published report files. It never fetches. Every response carries a
 * Content-Security-Policy that allows no script at all and styles only from /static/; a configured
 * token is required on every route but /login and /static/ (bearer header or the login cookie).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { REPORT_STYLE } from '../render/html.js';
import type { PublishedStoryRow } from '../store/queries/index.js';
import type { WebData } from './data.js';
import { code, h, page } from './html.js';
import { isWebLanguage, type Labels, type WebLanguage } from './labels.js';
import {
  archiveData,
  archivePage,
  type Chrome,
  chrome,
  knownReport,
  reportData,
  reportLanguage,
  reportName,
  reportPage,
  runsPage,
  searchPage,
  sourcesData,
  sourcesPage,
  storyLanguages,
  storyPage,
} from './pages.js';
import { APP_STYLE } from './style.js';

export type { WebData };

export interface WebAppOptions {
  /** When set, every route but /login and /static/ needs it (bearer header or login cookie). */
  token?: string;
  /** Hears a request that failed (the page says only that it failed). */
  onError?: (path: string, error: unknown) => void;
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const SESSION_COOKIE = 'ai_daily_session';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A report id as the config allows one (kebab-case). */
const REPORT_ID = /^[a-z0-9][a-z0-9-]{0,199}$/;

export function createWebApp(data: WebData, options: WebAppOptions = {}): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });

  const token = options.token;
  if (token !== undefined) {
    const session = sessionValue(token);
    app.use('*', async (c, next) => {
      const path = c.req.path;
      if (path === '/login' || path.startsWith('/static/')) return next();
      const header = c.req.header('Authorization') ?? '';
      const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
      const cookie = getCookie(c, SESSION_COOKIE);
      if (
        (bearer !== undefined && sameSecret(bearer, token)) ||
        (cookie !== undefined && sameSecret(cookie, session))
      ) {
        return next();
      }
      c.header('WWW-Authenticate', 'Bearer realm="ai-daily"');
      if (path.startsWith('/api/'))
        return c.json({ error: 'unauthorized: send Authorization: Bearer <serve.token>' }, 401);
      const ui = chrome(data, requestedLanguage(c) ?? data.language);
      return c.html(
        page({
          title: ui.words.signIn,
          lang: ui.lang,
          siteTitle: data.siteTitle,
          body: h`<h1>${ui.words.signIn}</h1><p>${ui.words.signInNeeded(code)}</p>`,
        }),
        401,
      );
    });
    app.get('/login', (c) => {
      const given = c.req.query('token');
      if (given === undefined || !sameSecret(given, token)) {
        const ui = chrome(data, requestedLanguage(c) ?? data.language);
        return c.html(
          page({
            title: ui.words.signIn,
            lang: ui.lang,
            siteTitle: data.siteTitle,
            body: h`<h1>${ui.words.signIn}</h1><p>${ui.words.wrongToken}</p>`,
          }),
          401,
        );
      }
      setCookie(c, SESSION_COOKIE, session, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect('/', 303);
    });
  } else {
    app.get('/login', (c) => c.redirect('/', 303));
  }

  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('/static/app.css', (c) => css(c, APP_STYLE));
  app.get('/static/report.css', (c) => css(c, REPORT_STYLE));

  // ── pages ────────────────────────────────────────────────────────────────
  /** `?report=`: undefined when absent, null when no report of this deployment or its store has that id. */
  // biome-ignore lint/suspicious/noExplicitAny: Hono's context type, whatever its generics.
  const reportParam = async (c: any): Promise<string | undefined | null> => {
    const report: string | undefined = c.req.query('report');
    if (report === undefined || report === '') return undefined;
    return REPORT_ID.test(report) && (await knownReport(data, report)) ? report : null;
  };

  /**
   * The chrome of a page of no one report's copy: `?lang=` (zh or en), else the deployment's
   * language; null (the page is a 404) for another value, as `/reports/:date?lang=` has it.
   */
  // biome-ignore lint/suspicious/noExplicitAny: Hono's context type, whatever its generics.
  const chromeParam = (c: any): Chrome | null => {
    const lang: string | undefined = c.req.query('lang');
    if (!lang) return chrome(data, data.language);
    return isWebLanguage(lang) ? chrome(data, lang) : null;
  };

  app.get('/', async (c) => {
    const report = await reportParam(c);
    if (report === null) return notFound(c, data, 'noSuchReport');
    const ui = chromeParam(c);
    if (!ui) return notFound(c, data, 'noSuchLanguage');
    return c.html(archivePage(data, await archiveData(data, report), ui));
  });

  app.get('/reports/:date', async (c) => {
    const date = c.req.param('date');
    const lang = c.req.query('lang');
    const report = await reportParam(c);
    if (report === null) return notFound(c, data, 'noSuchReport');
    if (!DATE.test(date)) return notFound(c, data, 'noReportForDate', report);
    const found = await reportData(data, date, lang, report);
    if (!found) {
      const which = report === undefined ? undefined : reportName(data, report);
      return notFound(c, data, (words) => words.noReportOf(date, which, lang), report);
    }
    return c.html(reportPage(data, found));
  });

  /** `?lang=`: that language's copy of a story; without it, its report's own language (else the first there is). */
  // biome-ignore lint/suspicious/noExplicitAny: Hono's context type, whatever its generics.
  const languagesParam = (c: any) => {
    const lang: string | undefined = c.req.query('lang');
    return lang ? { only: lang } : storyLanguages(data);
  };

  app.get('/stories/:id', async (c) => {
    const date = c.req.query('date');
    const report = await reportParam(c);
    if (report === null) return notFound(c, data, 'noSuchReport');
    const story = await data.queries.storyDetail(
      c.req.param('id'),
      date && DATE.test(date) ? date : undefined,
      report,
      languagesParam(c),
    );
    if (!story) return notFound(c, data, 'noSuchStory', report);
    return c.html(storyPage(data, story));
  });

  app.get('/search', async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const report = await reportParam(c);
    if (report === null) return notFound(c, data, 'noSuchReport');
    const ui = chromeParam(c);
    if (!ui) return notFound(c, data, 'noSuchLanguage');
    const result = q.trim() ? await data.queries.search(q, undefined, report, storyLanguages(data)) : undefined;
    return c.html(searchPage(data, q, result, report, ui));
  });

  app.get('/sources', async (c) => {
    const report = await reportParam(c);
    if (report === null) return notFound(c, data, 'noSuchReport');
    const ui = chromeParam(c);
    if (!ui) return notFound(c, data, 'noSuchLanguage');
    return c.html(sourcesPage(data, await sourcesData(data, report), ui));
  });

  app.get('/runs', async (c) => {
    const report = await reportParam(c);
    if (report === null) return notFound(c, data, 'noSuchReport');
    const ui = chromeParam(c);
    if (!ui) return notFound(c, data, 'noSuchLanguage');
    return c.html(runsPage(data, await data.queries.runs(undefined, report), report, ui));
  });

  // ── the same data as JSON ────────────────────────────────────────────────
  app.get('/api/reports', async (c) => {
    const report = await reportParam(c);
    if (report === null) return c.json({ error: 'not found' }, 404);
    const archive = await archiveData(data, report);
    const storyJson = (s: PublishedStoryRow) => ({
      report: s.report,
      language: s.language,
      storyId: s.storyId,
      title: s.title,
      section: s.section,
      position: s.position,
      total: s.total,
      sources: s.sourceCount,
      ...(s.updateOf ? { updateOf: s.updateOf } : {}),
    });
    return c.json({
      older: archive.older,
      reports: archive.days.map((day) => ({
        date: day.date,
        languages: [...new Set(day.reports.map((r) => r.language))],
        mode: day.reports[0]?.mode,
        stories: day.byReport.flatMap((group) => group.stories.map(storyJson)),
        byReport: day.byReport.map((group) => ({
          report: group.report,
          name: group.name,
          languages: group.entries.map((r) => r.language),
          mode: group.entries[0]?.mode,
          stories: group.stories.map(storyJson),
        })),
      })),
    });
  });

  app.get('/api/reports/:date', async (c) => {
    const date = c.req.param('date');
    const report = await reportParam(c);
    if (!DATE.test(date) || report === null) return c.json({ error: 'not found' }, 404);
    const found = await reportData(data, date, c.req.query('lang'), report);
    if (!found) return c.json({ error: 'not found' }, 404);
    return c.json({
      date,
      reportId: found.reportId,
      reports: found.reports,
      language: found.entry.language,
      languages: found.languages,
      stories: found.stories,
      report: found.report ?? null,
    });
  });

  app.get('/api/stories/:id', async (c) => {
    const date = c.req.query('date');
    const report = await reportParam(c);
    if (report === null) return c.json({ error: 'not found' }, 404);
    const story = await data.queries.storyDetail(
      c.req.param('id'),
      date && DATE.test(date) ? date : undefined,
      report,
      languagesParam(c),
    );
    if (!story) return c.json({ error: 'not found' }, 404);
    return c.json({ story, weights: data.weights });
  });

  app.get('/api/search', async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const report = await reportParam(c);
    if (report === null) return c.json({ error: 'not found' }, 404);
    return c.json(await data.queries.search(q, undefined, report, storyLanguages(data)));
  });

  app.get('/api/sources', async (c) => {
    const report = await reportParam(c);
    if (report === null) return c.json({ error: 'not found' }, 404);
    return c.json(await sourcesData(data, report));
  });

  app.get('/api/runs', async (c) => {
    const report = await reportParam(c);
    if (report === null) return c.json({ error: 'not found' }, 404);
    return c.json({ runs: await data.queries.runs(undefined, report) });
  });

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
    return notFound(c, data, 'nothingHere');
  });

  app.onError((error, c) => {
    // The cause goes to the operator (stderr), never into the page.
    options.onError?.(c.req.path, error);
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'The server could not read this page.' }, 500);
    const ui = chrome(data, requestedLanguage(c) ?? data.language);
    return c.html(
      page({
        title: ui.words.error,
        lang: ui.lang,
        ...(ui.keep === undefined ? {} : { keepLang: ui.keep }),
        siteTitle: data.siteTitle,
        body: h`<h1>${ui.words.error}</h1><p>${ui.words.serverCouldNotRead}</p>`,
      }),
      500,
    );
  });

  return app;
}

// biome-ignore lint/suspicious/noExplicitAny: Hono's context type, whatever its generics.
function css(c: any, text: string): Response {
  return c.body(text, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'max-age=300' });
}

/** `?lang=` where it is a language the chrome speaks. */
// biome-ignore lint/suspicious/noExplicitAny: Hono's context type, whatever its generics.
function requestedLanguage(c: any): WebLanguage | undefined {
  const lang: string | undefined = c.req.query('lang');
  return isWebLanguage(lang) ? lang : undefined;
}

/**
 * A 404 page, in `?lang=` where it is zh or en, else in the language of the report it is about
 * (`report`), else the deployment's; its message a label (or a phrase of the labels).
 */
function notFound(
  // biome-ignore lint/suspicious/noExplicitAny: Hono's context type, whatever its generics.
  c: any,
  data: WebData,
  message: NotFoundMessage | ((words: Labels) => string),
  report?: string,
): Response {
  const ui = chrome(data, requestedLanguage(c) ?? reportLanguage(data, report));
  const text = typeof message === 'function' ? message(ui.words) : ui.words[message];
  return c.html(
    page({
      title: ui.words.notFound,
      lang: ui.lang,
      ...(ui.keep === undefined ? {} : { keepLang: ui.keep }),
      siteTitle: data.siteTitle,
      body: h`<h1>${ui.words.notFound}</h1><p>${text}</p>`,
    }),
    404,
  );
}

type NotFoundMessage = 'noSuchReport' | 'noReportForDate' | 'noSuchStory' | 'nothingHere' | 'noSuchLanguage';

/** The login cookie's value: derived from the token, so the cookie never holds the token itself. */
function sessionValue(token: string): string {
  return createHmac('sha256', token).update('ai-daily web session v1').digest('hex');
}

/** Constant-time comparison of two secrets (of any lengths: their digests are compared). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
