/**
 * Co-location: which of a sentence's names a number, date or amount is said of. The verifier asks
 * for ONE cited item (its excerpts together) that holds both the number and at least one of these
 * names, so "X 提升了 20%" fails when 20% stands in Y's excerpt while the sentence cites both, and
 * "A 发布了 X，B 的 Y 提升了 20%" passes when each fact stands in its own excerpt.
 *
 * The names a number is said of are the names of its clause (the text between clause punctuation:
 * ，、；。！？：, ";", ":", a comma that does not group digits, " — "); when its clause names
 * nothing ("…，提升了 20%"), the names of the nearest clause before it that names something (its
 * subject or speaker), else of the nearest one after it. Every name of its own list member (the
 * clause cut at "and", "while", 和, 及, 以及, 而) must stand with the number in one item ("Amazon 为
 * Anthropic 提供650亿美元" fails when Amazon is not in the item with the $65B); when the member names
 * nothing, one name of the clause is enough, and so is one of a neighbouring clause's names (a speaker and a venue need
 * not both be in the item with the figure). A sentence with no name puts no condition beyond the
 * number itself.
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

const LIST_JOINER = /\s+(?:and|while|whereas|but)\s+|以及|和|及|而|但/gu;

/** The member of a list, inside a clause, that holds an offset. */
function memberOf(text: string, clause: { start: number; end: number }, index: number): { start: number; end: number } {
  let start = clause.start;
  let end = clause.end;
  LIST_JOINER.lastIndex = 0;
  const inside = text.slice(clause.start, clause.end);
  for (let match = LIST_JOINER.exec(inside); match !== null; match = LIST_JOINER.exec(inside)) {
    const at = clause.start + match.index;
    if (at + match[0].length <= index) start = at + match[0].length;
    else if (at >= index) {
      end = at;
      break;
    }
  }
  return { start, end };
}

/**
 * The names a claim at `claim` is said of, and whether all of them must stand with it (names of its
 * own clause) or one is enough (names of a neighbouring clause); no names when none is named.
 */
export function namesSaidOf<T extends Located>(
  text: string,
  claim: Located,
  names: readonly T[],
): { names: T[]; all: boolean } {
  if (names.length === 0) return { names: [], all: false };
  const clause = clauseOf(text, claim.index);
  const inClause = names.filter((name) => name.index >= clause.start && name.index + name.length <= clause.end);
  if (inClause.length > 0) {
    // Within a clause, a list joins facts of different items ("… with Amazon and a $65B Series H"):
    // the names of the number's own list member must all stand with it.
    const member = memberOf(text, clause, claim.index);
    const inMember = inClause.filter((name) => name.index >= member.start && name.index + name.length <= member.end);
    return inMember.length > 0 ? { names: inMember, all: true } : { names: inClause, all: false };
  }
  // No name in its clause: the names of the nearest clause before it that names something (the
  // subject or speaker: "吴泳铭在云栖大会上表示，…1000倍"), else of the nearest one after it.
  const clauses = new Map<number, { start: number; names: T[] }>();
  for (const name of names) {
    const { start } = clauseOf(text, name.index);
    clauses.set(start, { start, names: [...(clauses.get(start)?.names ?? []), name] });
  }
  const ordered = [...clauses.values()].sort((a, b) => a.start - b.start);
  const before = ordered.filter((entry) => entry.start < clause.start);
  const nearest = before[before.length - 1] ?? ordered.find((entry) => entry.start > clause.start);
  return { names: nearest?.names ?? [], all: false };
}
