/**
 * Co-location: which of a sentence's names a number, date or amount is said of. The verifier asks
 * for ONE cited item (its excerpts together) that holds both the number and at least one of these
 * names, so "X 提升了 20%" fails when 20% stands in Y's excerpt while the sentence cites both, and
 * "A 发布了 X，B 的 Y 提升了 20%" passes when each fact stands in its own excerpt.
 *
 * The names a number is said of are the names of its clause (the text between clause punctuation:
 * ，、；。！？：, ";", ":", a comma that does not group digits, " — "); when its clause names
 * nothing ("…，提升了 20%"), the names of the nearest clause before it that names something (its
 * subject or speaker), else of the nearest one after it. One of them must stand with the number:
 * "Amazon 为 Anthropic 提供650亿美元" passes when the $65B stands with Anthropic alone (a role the
 * check does not read). A sentence with no name puts no condition beyond the number itself.
 *
 * Pure functions of the text.
 */

export interface Located {
  index: number;
  length: number;
}

/** Clause boundaries (offsets of separator characters) of a normalised sentence. */
function clauseOf(text: string, index: number): { start: number; end: number } {
  const isBoundary = (i: number): boolean => {
    const character = text.charAt(i);
    if (/[;。!?；！？、]/u.test(character)) return true;
    if (character === '—' || character === '–') return /\s/.test(text.charAt(i - 1)) || text.charAt(i + 1) === '—';
    if (character === ':' || character === '：') return !/\d/.test(text.charAt(i + 1));
    if (character === ',' || character === '，') {
      // "1,200": a comma between digits with three after it groups them.
      return !(/\d/.test(text.charAt(i - 1)) && /^\d{3}(?!\d)/.test(text.slice(i + 1)));
    }
    return false;
  };
  let start = index;
  while (start > 0 && !isBoundary(start - 1)) start -= 1;
  let end = index;
  while (end < text.length && !isBoundary(end)) end += 1;
  return { start, end };
}

/** The names (by position in `names`) a claim at `claim` is said of; empty when none is named. */
export function namesSaidOf<T extends Located>(text: string, claim: Located, names: readonly T[]): T[] {
  if (names.length === 0) return [];
  const clause = clauseOf(text, claim.index);
  const inClause = names.filter((name) => name.index >= clause.start && name.index + name.length <= clause.end);
  if (inClause.length > 0) return inClause;
  // No name in its clause: the names of the nearest clause before it that names something (the
  // subject or speaker: "吴泳铭在云栖大会上表示，…1000倍"), else of the nearest one after it.
  const clauses = new Map<number, { start: number; names: T[] }>();
  for (const name of names) {
    const { start } = clauseOf(text, name.index);
    clauses.set(start, { start, names: [...(clauses.get(start)?.names ?? []), name] });
  }
  const ordered = [...clauses.values()].sort((a, b) => a.start - b.start);
  const before = ordered.filter((entry) => entry.start < clause.start);
  return (before[before.length - 1] ?? ordered.find((entry) => entry.start > clause.start))?.names ?? [];
}
