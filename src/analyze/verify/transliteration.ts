/**
 * Names written in Chinese characters that transliterate a Latin name ("格雷格·布罗克曼" for Greg
 * Brockman, "沃尔玛" for Walmart). The prompt asks the model to keep names as the sources write
 * them; a transliteration that the cited text does not carry is a name the model made up a spelling
 * for, and is checked like any other name (the alias table's established spellings, "英伟达",
 * "奥特曼", "马斯克", are read before this and stay fine).
 *
 * A transliteration is
 * - a run of Chinese characters joined by a middle dot ("·", "•", "・", "‧"): each side is cut to
 *   the characters that transliterations use, so "发布了格雷格·布罗克曼表示" gives "格雷格·布罗克曼";
 * - without a dot, a run of at least three such characters with at least one that Chinese writes
 *   almost only for sounds (斯, 尔, 姆, 罗, 曼, 莱, 娜, 帕, 森, …): "布罗克曼", "卡帕西", "威利森".
 *   Ordinary words do not form such runs ("发布", "价格", "基于", "科技", "数据库"): over the
 *   Chinese captures (news, forums, a blog, paper digests) every run found is a transliteration
 *   ("蒙特卡洛", "埃尔米特", "霍普金斯", "特朗普").
 *
 * Pure functions of the text.
 */
import { CJK, entityOfAlias, entityPattern, escapeRegExp } from './aliases.js';

/** Characters Chinese uses almost only to write foreign sounds. */
const STRONG =
  '烈斯尔姆森伯洛罗维奇夫莱诺佐茨兹蒂迪琳娜莎艾奥埃贝曼玛默尼妮萨塞瑟索赫霍沃韦雷卢鲁麦梅蒙莫穆帕佩珀乔桑泰坦汤乌詹芬菲弗盖戈亨贾杰坎克格朗茜妲黛璐缪薇蕾';
/** Characters common in transliterations that are also ordinary words' characters. */
const WEAK =
  '特德拉卡布亚伊阿普纳汉基吉凯科库兰劳勒里利林马米内皮切沙舍史施图西希肖辛休雅耶扎泽齐丁安巴比波达丹多恩费福哈海胡华金柯昆路明文威温英尤约瓦托伦';
const STRONG_SET: ReadonlySet<string> = new Set(STRONG);
const NAME_CHARACTER: ReadonlySet<string> = new Set(STRONG + WEAK);
const DOT = '[·•・‧]';
const DOTTED = new RegExp(`[\\p{Script=Han}]+(?:${DOT}[\\p{Script=Han}]+)+`, 'gu');

export interface TransliterationMention {
  text: string;
  /** Matches the name, or an established spelling of it, in lower-cased excerpt text. */
  pattern: RegExp;
  index: number;
}

function isNameCharacter(character: string): boolean {
  return NAME_CHARACTER.has(character);
}

function strongCount(run: string): number {
  let count = 0;
  for (const character of run) if (STRONG_SET.has(character)) count += 1;
  return count;
}

/** Characters that end or start the words around a name ("发布了", "表示", "的"). */
const STOP: ReadonlySet<string> = new Set(
  '的了在是和与说表示称将为等由对向从被把让给及并而或也都就还已其这那此该据到于以指出认谈宣布',
);

/**
 * The part of a word next to a dot that belongs to the name: the run of name characters; when that
 * is under two characters, the characters up to the nearest word around it (at most four).
 */
function namePart(word: string, fromEnd: boolean): string {
  const characters = [...word];
  if (fromEnd) characters.reverse();
  let named = 0;
  while (named < characters.length && isNameCharacter(characters[named] ?? '')) named += 1;
  let count = named;
  if (named < 2) {
    count = 0;
    while (count < characters.length && count < 4 && !STOP.has(characters[count] ?? '')) count += 1;
  }
  const part = characters.slice(0, count);
  if (fromEnd) part.reverse();
  return part.join('');
}

function nameTail(word: string): string {
  return namePart(word, true);
}

function nameHead(word: string): string {
  return namePart(word, false);
}

function dottedPattern(parts: readonly string[]): RegExp {
  const body = parts.map(escapeRegExp).join(`(?:${DOT}|[\\s.\\-])?`);
  // "萨姆·奥特曼" is the established "奥特曼" (Sam Altman) with a given name: any spelling of the
  // entity supports it.
  const last = parts[parts.length - 1] ?? '';
  const entity = entityOfAlias(last);
  return new RegExp(entity === undefined ? body : `(?:${body}|${entityPattern(entity)})`, 'u');
}

/**
 * Transliterated names of a text, skipping spans already read (aliases). `taken` spans (aliases)
 * inside a dotted name are replaced by it: "萨姆·奥特曼" is one name.
 */
export function findTransliterations(
  text: string,
  taken: readonly { start: number; end: number }[],
): TransliterationMention[] {
  const found: TransliterationMention[] = [];
  const covered: { start: number; end: number }[] = [];
  DOTTED.lastIndex = 0;
  for (let match = DOTTED.exec(text); match !== null; match = DOTTED.exec(text)) {
    const words = match[0].split(new RegExp(DOT, 'u'));
    const first = nameTail(words[0] ?? '');
    const last = nameHead(words[words.length - 1] ?? '');
    const middle = words.slice(1, -1);
    if (first === '' || last === '' || middle.some((word) => word === '' || nameHead(word) !== word)) continue;
    const parts = [first, ...middle, last];
    const index = match.index + (words[0] ?? '').length - first.length;
    const written = text.slice(index, index + parts.join('·').length);
    found.push({ text: written, pattern: dottedPattern(parts), index });
    covered.push({ start: index, end: index + written.length });
  }
  const isTaken = (start: number, end: number): boolean =>
    [...taken, ...covered].some((span) => span.start < end && start < span.end);
  let runStart = -1;
  for (let i = 0; i <= text.length; i += 1) {
    const character = text.charAt(i);
    if (i < text.length && CJK.test(character) && isNameCharacter(character)) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0) {
      const run = text.slice(runStart, i);
      const strong = strongCount(run);
      if (
        run.length >= 3 &&
        strong >= 1 &&
        !isTaken(runStart, i) &&
        !/[·•・‧]/u.test(text.charAt(runStart - 1) + text.charAt(i))
      ) {
        found.push({ text: run, pattern: new RegExp(escapeRegExp(run), 'u'), index: runStart });
      }
      runStart = -1;
    }
  }
  return found.sort((a, b) => a.index - b.index);
}
