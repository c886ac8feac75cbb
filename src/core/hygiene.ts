/**
 * What must never appear in a published output: console logs, ANSI escapes, local paths and
 * credentials. The quality gate (src/render/quality-gate.ts) refuses an output that holds any; the
 * extractive summarizer never picks a source sentence that holds one, so that a source which
 * happens to write "Loading the model…" or "/usr/bin/python" cannot stop a day's report.
 */

/** Log-like lines: level tags, status emoji, loader chatter, timestamped log records, banners. */
export const LOG_LINE_PATTERNS: RegExp[] = [
  /^\s*\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL)\]?(?:[:\s]|$)/m,
  /^\s*(?:✅|⚠️|⚠|❌|⏱️|⏱)/mu,
  /^\s*(?:Loading|Loaded) \S/m,
  /^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\s+\[?(?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL)\b/m,
  /[╔╗╚╝║╠╣]|[═─━]{3,}|[┌┐└┘]/u,
  /^\s*(?:Session Statistics|Total MCP tools|Cleaning up|Step \d+ completed)/m,
];

/** Absolute paths of a machine (POSIX home/system folders, Windows drives, file URLs). */
export const ABSOLUTE_PATH_PATTERNS: RegExp[] = [
  /(?:^|[\s"'`(<[=:,;，；（])(?:\/(?:home|root|Users|tmp|work|var|etc|opt|mnt|srv|private|usr|proc)\/)/m,
  /(?:^|[\s"'`(<[=:,;，；（])~\/\S/m,
  /(?:^|[^A-Za-z0-9])[A-Za-z]:\\[^\s\\]/m,
  /file:\/\//i,
];

/** Things that look like credentials whatever the environment holds. */
export const SECRET_PATTERNS: RegExp[] = [
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{16,}/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{12,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\bAIza[0-9A-Za-z_-]{30,}/,
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,
];

/** ANSI escape sequences, raw or written as an escape in JSON text. */
export function hasAnsi(text: string): boolean {
  return /\u001b|\\u001b|\u009b/i.test(text);
}

/** Whether a piece of text would trip the quality gate on its own (as a line of its own). */
export function isHazardous(text: string): boolean {
  return (
    hasAnsi(text) ||
    LOG_LINE_PATTERNS.some((pattern) => pattern.test(text)) ||
    ABSOLUTE_PATH_PATTERNS.some((pattern) => pattern.test(text)) ||
    SECRET_PATTERNS.some((pattern) => pattern.test(text))
  );
}

/**
 * Source text is data. A sentence that speaks to the reader or to an AI ("ignore all previous
 * instructions", "SYSTEM NOTICE", "you must…", "as an AI language model", "AI summarizer, …",
 * 「忽略之前的指令」「你必须」) is an instruction planted in the source, not news: the summarizer
 * never quotes it. The item itself stays, summarised by its other sentences or its title.
 */
export const ADDRESSED_TO_READER_PATTERNS: RegExp[] = [
  // "ignore / disregard / forget (all) previous instructions", "override the above rules".
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?\b(?:previous|prior|preceding|above|earlier|all|any|your|these|those|the)\b[^.!?\n]{0,30}?\b(?:instructions?|prompts?|rules|directions?|guidelines|directives?|context|messages?|commands?)\b/i,
  /\bdisregard\b/i,
  // "SYSTEM NOTICE", "system prompt", "[system]:", "hidden instructions".
  /\bsystem\s+(?:notice|prompt|message|instruction|override|alert|note)s?\b/i,
  /^\W{0,3}(?:system|assistant|developer)\s*[\]>):]/i,
  /\b(?:hidden|secret)\s+instructions?\b/i,
  // "as an AI", "as a large language model".
  /\bas an? (?:ai|a\.i\.|artificial intelligence|(?:large )?language model|llm|chatbot|ai assistant)\b/i,
  // Words addressed to an AI: "AI summarizer, …", "To any AI assistant:", "Dear language model,".
  /\b(?:ai|llm|gpt)\s+summari[sz](?:er|ers|ation tools?)\b/i,
  /^\W{0,3}(?:(?:note\s+)?to\s+|dear\s+|attention\s+|hey\s+|hello\s+)?(?:any\s+|all\s+|every\s+)?(?:ai|llm|gpt|chatgpt|claude|gemini|automated|language[ -]model)?\s*(?:summari[sz]ers?|assistants?|agents?|models?|readers?|crawlers?|bots?|scrapers?)\s*[,:;!]/i,
  /\b(?:to|dear|attention)\s+(?:any|all|every)\s+(?:ai|llm|bots?|assistants?|summari[sz]ers?|language models?|crawlers?|scrapers?)\b/i,
  // Orders to the one reading: "you must", "you are now", "do not summarize".
  /\byou\s+(?:must|are required to|are instructed to|are now|will now)\b/i,
  /\b(?:do not|don't|never)\s+(?:summari[sz]e|mention|reveal|disclose|repeat|quote)\b/i,
  /\b(?:respond|reply|answer|output|print|say)\s+(?:only\s+)?(?:with|in|the words?)\b[^.!?\n]{0,40}\b(?:only|exactly|instead)\b/i,
  // Chinese forms.
  /(?:忽略|无视|忘记|忘掉|覆盖)(?:掉)?(?:你)?(?:之前|以前|此前|先前|上面|上述|以上|前面|前述|所有|全部|一切)(?:的)?(?:所有|全部|一切)?(?:的)?(?:指令|指示|提示|规则|要求|设定|命令|对话)/,
  /你(?:必须|现在是|需要立即|应当立即|务必|只能回答|只需回答)/,
  /作为一(?:个|名|款)(?:AI|人工智能|语言模型|大模型|大语言模型|智能助手|AI助手)/i,
  /作为(?:AI|人工智能)(?:语言模型|助手)/i,
  /系统(?:通知|提示词|指令|消息)[:：]/,
  /(?:致|给|告诉)(?:所有|任何|各位)的?(?:AI|人工智能|大模型|语言模型|摘要|爬虫)/i,
  /(?:不要|请勿)(?:总结|摘要|提及|透露|复述)/,
];

/** Whether a sentence speaks to its reader or to an AI (see ADDRESSED_TO_READER_PATTERNS). */
export function isAddressedToReader(text: string): boolean {
  return ADDRESSED_TO_READER_PATTERNS.some((pattern) => pattern.test(text));
}
