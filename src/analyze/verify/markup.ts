/**
 * Markup a report sentence must not carry — the one list, for the verifier and for the LLM output
 * screen (llm/output-safety.ts#unsafeOutput): the model's prose is rendered as text, and anything
 * that a renderer, a browser or a template engine would interpret is refused rather than escaped.
 * URLs are refused by the rule for every quoted sentence (core/hygiene.ts#sourceSentenceRefusal).
 */

const MARKUP_PATTERNS: readonly { kind: string; pattern: RegExp }[] = [
  { kind: 'Markdown image', pattern: /!\[/ },
  { kind: 'Markdown link', pattern: /\[[^\]]*\]\s*[([]|\]\(|\]\[/ },
  // A tag, a comment, a declaration or processing instruction — closed or not (a cut-off "<img src=x" too).
  { kind: 'HTML', pattern: /<\/?[a-z!?][^>]*>?/i },
  { kind: 'HTML entity', pattern: /&(?:#\d+|#x[0-9a-f]+|[a-z]{2,8});/i },
  { kind: 'template', pattern: /\{\{|\}\}|\{%|%\}|\$\{|<%|%>|\{#/ },
  { kind: 'code fence', pattern: /```/ },
];

/** The first markup in a text, as "kind "token"", or undefined when there is none. */
export function findMarkup(text: string): string | undefined {
  for (const { kind, pattern } of MARKUP_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return `${kind} "${match[0].slice(0, 40)}"`;
  }
  return undefined;
}
