/**
 * What a page of the web app must never carry, read from the live DOM in the browser: an event
 * handler attribute (`on…`) on any element, a link or resource whose URL runs script
 * (`javascript:`, `vbscript:`, `data:`), a script that is inline or not from the server itself,
 * and elements that load or redirect on their own (iframe, object, embed, base, meta refresh).
 */
import type { Page } from 'playwright-core';

/** Attributes that hold a URL a click, a form or the parser follows. */
/** The little of the DOM the checks use (the project's type check has no DOM library). */
interface DomElement {
  tagName: string;
  textContent: string | null;
  attributes: ArrayLike<{ name: string; value: string }>;
  getAttribute(name: string): string | null;
}
declare const document: { baseURI: string; querySelectorAll(selector: string): ArrayLike<DomElement> };

const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'srcset', 'background'];

export async function auditPage(page: Page, origin: string): Promise<string[]> {
  // No function is declared inside the evaluated one: tsx keeps function names with a helper
  // (`__name`) that does not exist in the page.
  return page.evaluate(
    ({ origin, urlAttributes }) => {
      const found: string[] = [];
      for (const element of Array.from(document.querySelectorAll('*'))) {
        const tag = element.tagName.toLowerCase();
        const text = (element.textContent ?? '').trim().slice(0, 60);
        const label = `<${tag}>${text ? ` "${text}"` : ''}`;
        for (const attribute of Array.from(element.attributes)) {
          const name = attribute.name.toLowerCase();
          if (name.startsWith('on')) found.push(`${label} has ${name}="${attribute.value}"`);
          // Browsers ignore ASCII whitespace and control characters around and inside a scheme.
          const value = attribute.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
          if (urlAttributes.includes(name) && /^(?:javascript|vbscript|data):/.test(value)) {
            found.push(`${label} has ${name}="${attribute.value}"`);
          }
        }
        if (tag === 'script') {
          const src = element.getAttribute('src');
          if (src === null) found.push(`an inline <script>: ${(element.textContent ?? '').slice(0, 80)}`);
          else if (new URL(src, document.baseURI).origin !== origin) found.push(`a <script src="${src}">`);
        }
        if (['iframe', 'frame', 'object', 'embed', 'base', 'applet'].includes(tag)) found.push(`a <${tag}> element`);
        if (tag === 'meta' && element.getAttribute('http-equiv')?.toLowerCase() === 'refresh') {
          found.push(`a <meta http-equiv="refresh" content="${element.getAttribute('content')}">`);
        }
      }
      return found;
    },
    { origin, urlAttributes: URL_ATTRIBUTES },
  );
}

/** Every link's absolute target on the page (`a[href]`, `area[href]`), in document order. */
export async function linkTargets(page: Page): Promise<string[]> {
  return page.$$eval('a[href], area[href]', (links) => links.map((link) => (link as unknown as { href: string }).href));
}
