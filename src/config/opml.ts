import { XMLParser } from 'fast-xml-parser';
import type { SourceConfig } from '../core/types.js';

/**
 * Reads the feeds of an OPML file (nested outlines included) as `feed` sources. Entities are not
 * expanded and DTDs are ignored, so a hostile OPML file can do no more than fail.
 */
export function parseOpml(xml: string): SourceConfig[] {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    isArray: (name) => name === 'outline',
  });
  const document = parser.parse(xml) as { opml?: { body?: { outline?: Outline[] } } };
  if (!document.opml) throw new Error('not an OPML document (no <opml> root)');
  const sources: SourceConfig[] = [];
  const seen = new Set<string>();
  const walk = (outlines: Outline[] | undefined) => {
    for (const outline of outlines ?? []) {
      const url = outline.xmlUrl ?? outline.xmlurl;
      if (typeof url === 'string' && /^https?:\/\//i.test(url)) {
        const name = decodeBasicEntities(String(outline.title ?? outline.text ?? url));
        let id = slug(name) || slug(new URL(url).hostname);
        for (let n = 2; seen.has(id); n++) id = `${slug(name)}-${n}`;
        seen.add(id);
        sources.push({
          id,
          name,
          kind: 'feed',
          url,
          authority: 0.5,
          section: 'applications',
          enabled: true,
          filterTopics: 'auto',
          params: {},
        });
      }
      walk(outline.outline);
    }
  };
  walk(document.opml.body?.outline);
  return sources;
}

interface Outline {
  text?: unknown;
  title?: unknown;
  xmlUrl?: string;
  xmlurl?: string;
  outline?: Outline[];
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
