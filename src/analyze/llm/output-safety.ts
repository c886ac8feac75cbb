import { findUrl } from '../../core/hygiene.js';

/**
 * Model text is plain prose: a sentence with a URL (the one URL rule, core/hygiene.ts#findUrl), an
 * image, HTML, Markdown link syntax or template syntax is refused whole (it never reaches a
 * report), whatever the verifier says.
 */
const UNSAFE: [RegExp, string][] = [
  [/!\[|\]\(|\]\[/, 'Markdown link or image syntax'],
  [/<\/?[a-z!?][^>]*>?/i, 'HTML'],
  [/\{\{|\}\}|\{%|%\}|\$\{|<%|%>/, 'template syntax'],
  [/```/, 'a code block'],
];

/** Why `text` may not be published, or undefined when it is plain prose. */
export function unsafeOutput(text: string): string | undefined {
  if (findUrl(text) !== undefined) return 'contains a URL';
  for (const [pattern, what] of UNSAFE) if (pattern.test(text)) return `contains ${what}`;
  return undefined;
}

/** Whitespace collapsed, control characters removed, trimmed. */
export function cleanModelText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
