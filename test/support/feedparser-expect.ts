/**
 * Reads the `Expect:` clauses of feedparser's test documents (Python expressions over feedparser's
 * result) into simple comparisons the conformance suite can check against our item model.
 *
 * Only one shape is understood: `path == path == … == literal`, where a path starts at `entries[n]`
 * (`entries[0]['title']`, `entries[0].link`, `entries[0]['content'][0]['value']`) or is `len(entries)`,
 * and the literal is a Python string, number, tuple, list, dict or None. Any other clause
 * (`bozo`, `'x' in …`, `ord(…)`, feed-level paths) is returned as `unsupported` with its text.
 */

/** A Python literal as read: strings, numbers, None, tuples/lists (arrays) and dicts (records). */
export type PyValue = string | number | null | boolean | PyValue[] | { [key: string]: PyValue };

export type PathStep = string | number;

export interface Comparison {
  kind: 'compare';
  /** Each compared path: steps after the root (`['entries', 0, 'title']`, or `['len(entries)']`). */
  paths: PathStep[][];
  expected: PyValue;
  text: string;
}

export interface Unsupported {
  kind: 'unsupported';
  text: string;
}

export type Clause = Comparison | Unsupported;

/** The first `Description:` and `Expect:` lines of a document's leading comment (or JSON `__TEST__`). */
export function expectationOf(text: string): { description?: string; expect?: string; header?: string } {
  const head = text.slice(0, 4000);
  const pick = (label: string) => {
    const match = new RegExp(`${label}:\\s*(.*?)\\s*(?:-->|\\n|"\\s*,|$)`).exec(head);
    return match?.[1];
  };
  return { description: pick('Description'), expect: pick('Expect'), header: pick('Header') };
}

/** Splits on a top-level separator (outside quotes and brackets). */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index] as string;
    if (quote) {
      if (char === '\\') index++;
      else if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
    else if (depth === 0 && text.startsWith(separator, index)) {
      parts.push(text.slice(start, index));
      start = index + separator.length;
      index += separator.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim());
}

/** Reads one Python literal; throws when `text` is not exactly one literal. */
export function parsePyLiteral(text: string): PyValue {
  const reader = { text: text.trim(), at: 0 };
  let value = readValue(reader);
  skipSpace(reader);
  // String concatenation: 'a' + 'b'.
  while (typeof value === 'string' && reader.text[reader.at] === '+') {
    reader.at++;
    const next = readValue(reader);
    if (typeof next !== 'string') throw new Error(`not a string concatenation: ${text}`);
    value += next;
    skipSpace(reader);
  }
  if (reader.at !== reader.text.length) throw new Error(`not a literal: ${text}`);
  return value;
}

interface Reader {
  text: string;
  at: number;
}

function skipSpace(reader: Reader): void {
  while (/\s/.test(reader.text[reader.at] ?? '')) reader.at++;
}

function readValue(reader: Reader): PyValue {
  skipSpace(reader);
  const rest = reader.text.slice(reader.at);
  const string = /^[uUbBrR]?(['"])/.exec(rest);
  if (string) {
    const raw = /^[rR]/.test(rest);
    reader.at += string[0].length;
    return readString(reader, string[1] as string, raw);
  }
  const number = /^-?\d+(?:\.\d+)?/.exec(rest);
  if (number) {
    reader.at += number[0].length;
    return Number(number[0]);
  }
  for (const [word, value] of [
    ['None', null],
    ['True', true],
    ['False', false],
  ] as const) {
    if (rest.startsWith(word)) {
      reader.at += word.length;
      return value;
    }
  }
  const open = rest[0];
  if (open === '(' || open === '[') {
    reader.at++;
    const close = open === '(' ? ')' : ']';
    const items: PyValue[] = [];
    for (;;) {
      skipSpace(reader);
      if (reader.text[reader.at] === close) break;
      items.push(readValue(reader));
      skipSpace(reader);
      if (reader.text[reader.at] === ',') reader.at++;
      else if (reader.text[reader.at] !== close) throw new Error(`bad sequence in ${reader.text}`);
    }
    reader.at++;
    return items;
  }
  if (open === '{') {
    reader.at++;
    const record: { [key: string]: PyValue } = Object.create(null);
    for (;;) {
      skipSpace(reader);
      if (reader.text[reader.at] === '}') break;
      const key = readValue(reader);
      skipSpace(reader);
      if (reader.text[reader.at] !== ':') throw new Error(`bad dict in ${reader.text}`);
      reader.at++;
      record[String(key)] = readValue(reader);
      skipSpace(reader);
      if (reader.text[reader.at] === ',') reader.at++;
    }
    reader.at++;
    return record;
  }
  throw new Error(`not a literal: ${rest.slice(0, 40)}`);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\u0007',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function readString(reader: Reader, quote: string, raw: boolean): string {
  let out = '';
  for (;;) {
    const char = reader.text[reader.at];
    if (char === undefined) throw new Error('unterminated string');
    reader.at++;
    if (char === quote) return out;
    if (char !== '\\' || raw) {
      out += char;
      continue;
    }
    const next = reader.text[reader.at] as string;
    reader.at++;
    const hex = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hex > 0) {
      out += String.fromCodePoint(Number.parseInt(reader.text.slice(reader.at, reader.at + hex), 16));
      reader.at += hex;
    } else if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
    else out += `\\${next}`;
  }
}

/** `entries[0]['content'][0]['value']` / `entries[0].title` / `len(entries)` as steps, or undefined. */
export function parsePath(text: string): PathStep[] | undefined {
  const trimmed = text.trim();
  if (trimmed === 'len(entries)') return ['len(entries)'];
  const root = /^(entries|feed)/.exec(trimmed);
  if (!root) return undefined;
  const steps: PathStep[] = [root[1] as string];
  let rest = trimmed.slice(root[0].length);
  while (rest !== '') {
    const step = /^(?:\[(\d+)\]|\[(['"])([^'"]*)\2\]|\.([A-Za-z_][A-Za-z0-9_]*))/.exec(rest);
    if (!step) return undefined;
    if (step[1] !== undefined) steps.push(Number(step[1]));
    else steps.push((step[3] ?? step[4]) as string);
    rest = rest.slice(step[0].length);
  }
  return steps;
}

/** `(a == b)` → `a == b`, when the parentheses enclose the whole clause. */
function withoutOuterParentheses(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  const inner = text.slice(1, -1);
  return splitTopLevel(inner, ',').length === 1 && splitTopLevel(`${inner})`, ')').length === 1 ? inner.trim() : text;
}

/** The clauses of an `Expect:` expression (joined by top-level `and`). */
export function clausesOf(expect: string): Clause[] {
  return splitTopLevel(expect, ' and ').map((written): Clause => {
    const text = withoutOuterParentheses(written);
    const sides = splitTopLevel(text, '==');
    if (sides.length < 2) return { kind: 'unsupported', text };
    const paths = sides.slice(0, -1).map(parsePath);
    if (paths.some((path) => path === undefined)) return { kind: 'unsupported', text };
    try {
      return { kind: 'compare', paths: paths as PathStep[][], expected: parsePyLiteral(sides.at(-1) as string), text };
    } catch {
      return { kind: 'unsupported', text };
    }
  });
}
