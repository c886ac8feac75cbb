/**
 * The HTML-to-text of ai-daily before decision 0233, on sanitize-html: the oracle that
 * test/html-to-text-equivalence.test.ts holds `htmlToText` (htmlparser2's events read directly) to.
 * sanitize-html (a devDependency since) writes the allowed elements back as HTML; the text is what is
 * left once they are read back as line breaks and the entities decoded.
 */
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import {
  BLOCK_TAGS,
  CELL_TAGS,
  cleanText,
  DROPPED_WITH_CONTENT,
  isHidden,
  removeUnclosedDropped,
} from '../../src/core/sanitize.js';

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...BLOCK_TAGS, ...CELL_TAGS, 'br'],
  allowedAttributes: {},
  disallowedTagsMode: 'discard',
  nonTextTags: [...DROPPED_WITH_CONTENT],
  transformTags: {
    '*': (tagName, attributes) =>
      isHidden(attributes) ? { tagName: 'x-hidden-element', attribs: {} } : { tagName, attribs: {} },
  },
  nestingLimit: 200,
};

const BLOCK_TAG = new RegExp(`</?(?:${BLOCK_TAGS.join('|')})\\s*/?>`, 'gi');
const CELL_TAG = new RegExp(`</?(?:${CELL_TAGS.join('|')})\\s*>`, 'gi');

/** htmlToText as it was: sanitize-html, its output's tags read as breaks, entities decoded, cleanText. */
export function htmlToTextBySanitizer(html: string): string {
  if (html === '') return '';
  if (!html.includes('<')) return singleBreaks(cleanText(decodeHTML(html)));
  const sanitized = sanitizeHtml(removeUnclosedDropped(html), sanitizeOptions);
  const withBreaks = sanitized
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(BLOCK_TAG, '\n')
    .replace(CELL_TAG, ' ')
    .replace(/<[^>]*>/g, '');
  return singleBreaks(cleanText(decodeHTML(withBreaks)));
}

function singleBreaks(text: string): string {
  return text.includes('\n\n') ? text.replace(/\n{2,}/g, '\n') : text;
}
