/**
 * The short message a chat channel posts: the report's title and date, its top stories (title or
 * headline as a link to the story's best source, then one line) and a link to the full page, in the report's
 * language, written in the markup the platform renders and fitted to the platform's size limit.
 *
 * Fitting drops whole stories from the end (and says how many more the full report has); it never
 * cuts inside a link, an escape or an entity, because the text is only ever cut before it is
 * escaped (a long story line is shortened at a word) and stories are added or left out whole.
 * Every piece of report text is escaped for its dialect, so a title holding markup (`*_[]<>&`, a
 * Markdown link, an HTML tag) shows as the characters it holds and cannot add a link or format.
 * Only http(s) URLs the report holds (a story's best source, the page URL) become links; a title
 * whose story has none is shown as text.
 */
import type { Report } from '../../core/report.js';
import { publishableReport } from '../../core/source-text.js';
import { STRINGS } from '../../render/i18n.js';
import { markdownUrl } from '../../render/markdown.js';
import { headlineUrl, titleAndLine } from '../../render/top-story.js';
import type { ChannelMessage } from './channel.js';

/**
 * How a platform reads text:
 * - `plain`: no markup (links are written out after the text);
 * - `markdown`: CommonMark with backslash escapes and `[text](url)` links (Discord, DingTalk, WeCom);
 * - `slack`: Slack mrkdwn (`<url|text>` links; `&`, `<`, `>` as entities);
 * - `telegram-html`: Telegram's HTML subset (`<b>`, `<a href>`; `&`, `<`, `>`, `"` as entities).
 */
export type DigestDialect = 'plain' | 'markdown' | 'slack' | 'telegram-html';

/** A size limit as the platform counts it: UTF-16 code units (JavaScript length) or UTF-8 bytes. */
export interface DigestLimit {
  max: number;
  unit: 'chars' | 'bytes';
}

/** One story of the digest, as data (for platforms that take structured messages, like Feishu's `post`). */
export interface DigestStory {
  /** The headline (LLM reports) or the title, made safe to show (controls removed, credentials redacted). */
  title: string;
  /** The story's line, shortened at a word when long ('' when it is the title). */
  line: string;
  /** The line opens with the title: `line` is the rest of it, shown right after the title, with no separator. */
  continuesTitle: boolean;
  /** The story's best source (render/top-story `headlineUrl`), when it is an http(s) URL: the title links to it. */
  url?: string;
}

/** The parts of the digest before any markup. */
export interface DigestParts {
  /** "AI 技术日报 2026-08-22" (the report title; the date is added when the title lacks it). */
  heading: string;
  /** "Top stories" / "今日重点": the report's own heading (render/i18n.ts). */
  topStoriesLabel: string;
  stories: DigestStory[];
  /** The full page, when the message names one with an http(s) URL. */
  pageUrl?: string;
  language: 'zh' | 'en';
}

export interface Digest {
  text: string;
  /** Stories shown / in the report's top stories. */
  shown: number;
  total: number;
  /** The text's size in the limit's unit. */
  size: number;
  pageLinked: boolean;
}

const WORDS = {
  zh: {
    fullReport: '完整报告',
    more: (count: number) => `还有 ${count} 条要闻，见完整报告`,
    moreNoLink: (count: number) => `还有 ${count} 条要闻`,
  },
  en: {
    fullReport: 'Full report',
    more: (count: number) => `${count} more in the full report`,
    moreNoLink: (count: number) => `${count} more in the report`,
  },
} as const;

/** A story line longer than this (in characters, before escaping) is shortened at a word. */
export const MAX_LINE_CHARS = 280;

const UTF8 = new TextEncoder();

/** The size of `text` in the limit's unit. */
export function measure(text: string, unit: DigestLimit['unit']): number {
  return unit === 'bytes' ? UTF8.encode(text).length : text.length;
}

/** `text` shortened to at most `max` characters (code points), at a space when there is one near the end, with "…". */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, Math.max(1, max - 1)).join('');
  const space = cut.lastIndexOf(' ');
  const base = space > cut.length * 0.6 ? cut.slice(0, space) : cut;
  return `${base.trimEnd()}…`;
}

/** An http(s) URL as it may be linked, else undefined. */
function linkableUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  return markdownUrl(url);
}

/** The digest's parts from a message: every text made safe to publish, links only from the report. */
export function digestParts(message: ChannelMessage): DigestParts {
  const report: Report = publishableReport(message.report);
  const stories = new Map(report.sections.flatMap((section) => section.stories.map((story) => [story.id, story])));
  const references = new Map(report.references.map((reference) => [reference.n, reference.url]));
  const parts: DigestStory[] = report.topStories.map((top) => {
    const story = stories.get(top.storyId);
    const url = linkableUrl(story ? headlineUrl(story) : references.get(top.line.cites[0] ?? -1));
    const title = (story?.headline ?? top.title).trim();
    // The line's words after the title when it opens with the title (shown once), else the whole line.
    const relation = titleAndLine(title, top.line.text);
    const continuesTitle = relation.kind === 'leads';
    const line =
      relation.kind === 'same'
        ? ''
        : shorten(relation.kind === 'leads' ? relation.rest : top.line.text.trim(), MAX_LINE_CHARS);
    return { title, line, continuesTitle, ...(url === undefined ? {} : { url }) };
  });
  const heading = report.title.includes(report.date) ? report.title : `${report.title} ${report.date}`;
  const pageUrl = linkableUrl(message.pageUrl);
  return {
    heading,
    topStoriesLabel: STRINGS[report.language].topStories,
    stories: parts,
    language: report.language,
    ...(pageUrl === undefined ? {} : { pageUrl }),
  };
}

/** The words of the closing line: "N more in the full report" / "Full report", with or without a link. */
export function closingWords(parts: DigestParts, left: number): { label: string; url?: string } {
  const words = WORDS[parts.language];
  if (parts.pageUrl === undefined) return { label: left > 0 ? words.moreNoLink(left) : '' };
  return { label: left > 0 ? words.more(left) : words.fullReport, url: parts.pageUrl };
}

interface Markup {
  text(value: string): string;
  bold(value: string): string;
  link(label: string, url: string): string;
  /** A numbered story: "1. title — line", the title a link to the story's source where it has one. */
  story(index: number, story: DigestStory): string;
}

/**
 * CommonMark text: the characters that open inline markup (emphasis, code, links, autolinks and
 * HTML, strikethrough, tables, spoilers, entities) are backslash-escaped, and so is the `:` of a
 * `scheme://` (no bare URL in a title is linked); a line break becomes a space. Block markup (`#`, `>`, `-`, `1.`) needs no escape: report text never starts a line here.
 */
function markdownText(value: string): string {
  return oneLine(value)
    .replace(/[\\`*_[\]<>~|&]/g, '\\$&')
    .replace(/:\/\//g, '\\://');
}

/** Slack mrkdwn: `&`, `<`, `>` as entities; emphasis markers are broken by a zero-width space after them. */
function slackText(value: string): string {
  return oneLine(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, '$&\u200b');
}

function htmlText(value: string): string {
  return oneLine(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\u2028\u2029\u0085\t]+/g, ' ');
}

function storyLine(markup: Markup, index: number, story: DigestStory, separator: string): string {
  const text = markup.text(story.title);
  const title = markup.bold(story.url === undefined ? text : markup.link(text, story.url));
  const line = story.line === '' ? '' : `${story.continuesTitle ? '' : separator}${markup.text(story.line)}`;
  return `${index}. ${title}${line}`;
}

function markupFor(dialect: DigestDialect, language: 'zh' | 'en'): Markup {
  const separator = STRINGS[language].colon;
  switch (dialect) {
    case 'plain': {
      const markup: Markup = {
        text: oneLine,
        bold: (value) => value,
        link: (label, url) => (label === '' ? url : `${label}${separator}${url}`),
        // Plain text cannot link a title: the URL goes on the line below it.
        story: (index, story) =>
          `${storyLine(markup, index, { ...story, url: undefined }, separator)}${story.url ? `\n${story.url}` : ''}`,
      };
      return markup;
    }
    case 'markdown': {
      const markup: Markup = {
        text: markdownText,
        bold: (value) => `**${value}**`,
        // The URL is percent-encoded already (markdownUrl): it cannot close the destination.
        link: (label, url) => `[${label === '' ? markdownText(url) : label}](${url})`,
        story: (index, story) => storyLine(markup, index, story, separator),
      };
      return markup;
    }
    case 'slack': {
      const markup: Markup = {
        text: slackText,
        bold: (value) => `*${value}*`,
        link: (label, url) => `<${slackUrl(url)}|${label === '' ? slackText(url) : label}>`,
        story: (index, story) => storyLine(markup, index, story, separator),
      };
      return markup;
    }
    case 'telegram-html': {
      const markup: Markup = {
        text: htmlText,
        bold: (value) => `<b>${value}</b>`,
        link: (label, url) => `<a href="${htmlText(url)}">${label === '' ? htmlText(url) : label}</a>`,
        story: (index, story) => storyLine(markup, index, story, separator),
      };
      return markup;
    }
  }
}

/** Slack reads `|` and `>` as the end of a link's URL: markdownUrl has percent-encoded both; `&` becomes `&amp;`. */
function slackUrl(url: string): string {
  return url.replace(/&/g, '&amp;');
}

function assemble(parts: DigestParts, dialect: DigestDialect, shown: number): string {
  const markup = markupFor(dialect, parts.language);
  const blocks: string[] = [markup.bold(markup.text(parts.heading)), markup.bold(markup.text(parts.topStoriesLabel))];
  const stories = parts.stories.slice(0, shown).map((story, index) => markup.story(index + 1, story));
  const closing = closingWords(parts, parts.stories.length - shown);
  const lines = [blocks.join('\n'), stories.join('\n\n')];
  if (closing.label !== '' || closing.url !== undefined) {
    lines.push(
      closing.url === undefined ? markup.text(closing.label) : markup.link(markup.text(closing.label), closing.url),
    );
  }
  return lines.filter((line) => line !== '').join('\n\n');
}

/**
 * The digest in `dialect`, as many top stories as fit `limit` (all of them when they do). Throws
 * when not even the heading and the link to the page fit (a limit far below any platform's).
 */
export function buildDigest(message: ChannelMessage, dialect: DigestDialect, limit: DigestLimit): Digest {
  return fitDigest(digestParts(message), dialect, limit);
}

/** `buildDigest` on parts already made (a channel that also needs the parts). */
export function fitDigest(parts: DigestParts, dialect: DigestDialect, limit: DigestLimit): Digest {
  for (let shown = parts.stories.length; shown >= 0; shown--) {
    const text = assemble(parts, dialect, shown);
    const size = measure(text, limit.unit);
    if (size <= limit.max) {
      return { text, shown, total: parts.stories.length, size, pageLinked: parts.pageUrl !== undefined };
    }
  }
  throw new Error(`the message does not fit in ${limit.max} ${limit.unit} even without stories`);
}

/** One line for a receipt: "6 top stories, 1,820 chars, link to the page". */
export function describeDigest(digest: Pick<Digest, 'shown' | 'total' | 'size' | 'pageLinked'>, unit: string): string {
  const stories = digest.shown === digest.total ? `${digest.shown}` : `${digest.shown} of ${digest.total}`;
  const page = digest.pageLinked ? ', link to the page' : ', no page link';
  return `${stories} top stories, ${digest.size.toLocaleString('en-US')} ${unit}${page}`;
}
