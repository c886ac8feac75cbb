import { findUrl } from '../../core/hygiene.js';
import { findMarkup } from '../verify/markup.js';

/**
 * Model text is plain prose: a sentence with a URL (the one URL rule, core/hygiene.ts#findUrl) or
 * any markup the verifier refuses (verify/markup.ts: an image, HTML, a Markdown link, an entity,
 * template syntax, a code fence) is refused whole (it never reaches a report), whatever else the
 * verifier says.
 */

/** Why `text` may not be published, or undefined when it is plain prose. */
export function unsafeOutput(text: string): string | undefined {
  if (findUrl(text) !== undefined) return 'contains a URL';
  const markup = findMarkup(text);
  return markup === undefined ? undefined : `contains ${markup}`;
}

/** Whitespace collapsed, control characters removed, trimmed. */
export function cleanModelText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
