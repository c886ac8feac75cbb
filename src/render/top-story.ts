/**
 * How a top story's line relates to its title, so that no renderer shows the title twice: the
 * line may be the title itself (`same`: only the title is shown), open with the title (`leads`:
 * the title is shown in bold where it stands in the line, followed by the rest of the line —
 * "**Introducing AI Futures**, a new OpenAI blog exploring …" rather than the title, a dash and
 * the same words again), or say something else (`other`: title — line). The line's words are
 * never changed: `leads` only splits it where the title ends.
 */
export type TitleAndLine = { kind: 'same' } | { kind: 'leads'; rest: string } | { kind: 'other' };

/** A title ends at a word's end: what follows it in the line must not continue a word. */
const WORD_CHARACTER = /^[\p{L}\p{N}_]/u;

export function titleAndLine(title: string, line: string): TitleAndLine {
  const heading = title.trim();
  const text = line.trim();
  if (text === heading) return { kind: 'same' };
  if (heading === '' || !text.startsWith(heading)) return { kind: 'other' };
  const rest = text.slice(heading.length);
  // "GPT-5" must not lead "GPT-5o is …"; a CJK title may run straight into its sentence.
  const cjkEnd = /[\u3000-\u9fff\uff00-\uffef]$/u.test(heading);
  if (!cjkEnd && WORD_CHARACTER.test(rest)) return { kind: 'other' };
  if (rest.trim() === '') return { kind: 'same' };
  return { kind: 'leads', rest };
}

/**
 * The link a story's headline points to: the story's first link, the article whose title is the
 * headline (analyze/extractive puts it first; the other links follow in the cluster's representative
 * order: no re-upload, the highest-authority source, then the earliest) — a collected URL, never one we made. Undefined when it
 * is not an http(s) URL (each renderer also encodes it for its markup and refuses anything else).
 */
export function headlineUrl(story: { links: readonly { url: string }[] } | undefined): string | undefined {
  const url = story?.links[0]?.url;
  return url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}
