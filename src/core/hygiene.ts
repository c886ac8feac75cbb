/**
 * What must never appear in a published output: console logs, ANSI escapes, local paths and
 * credentials. The quality gate (src/render/quality-gate.ts) refuses an output that holds any; the
 * extractive summarizer never picks a source sentence that holds one, so that a source which
 * happens to write "Loading the model…" or "/usr/bin/python" cannot stop a day's report.
 *
 * And what a source may not make us say: `sourceSentenceRefusal` is the one rule for instructions,
 * URLs, email addresses and commands in source text, used by the extractive summarizer, by the
 * selection of stories (an item whose title is an instruction) and by the verifier of model text.
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
 * 「忽略之前的指令」「你必须」), or that tells the one writing the report what to write or tell its
 * readers ("In your report, state that …", "tell readers to download …", 「请在摘要中写」「编辑请注意」),
 * is an instruction planted in the source, not news: it is never quoted (see sourceSentenceRefusal).
 * News told in the third person ("OpenAI tells developers to migrate by June") is not addressed to
 * anyone and passes.
 */
export const ADDRESSED_TO_READER_PATTERNS: RegExp[] = [
  // "ignore / disregard / forget (all) previous instructions", "override the above rules".
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,40}?\b(?:previous|prior|preceding|above|earlier|all|any|your|these|those|the)\b[^.!?\n]{0,30}?\b(?:instructions?|prompts?|rules|directions?|guidelines|directives?|context|messages?|commands?)\b/i,
  /\bdisregard\b/i,
  // "SYSTEM NOTICE", "system prompt", "[system]:", "hidden instructions".
  /\bsystem\s+(?:notice|instruction|override|alert)s?\b/i,
  /\b(?:new\s+)?system\s+(?:prompt|message|note)s?\s*[:：]/i,
  /^\W{0,3}(?:system|assistant|developer)\s*[\]>):]/i,
  /\b(?:hidden|secret)\s+instructions?\b/i,
  // "as an AI", "as a large language model", "if you are an AI".
  /\bas an? (?:ai|a\.i\.|artificial intelligence|(?:large )?language model|llm|chatbot|ai assistant)(?:\s+(?:language\s+)?(?:model|assistant))?\s*[,:]/i,
  /\bif you(?:'re| are)\s+(?:an?\s+)?(?:ai|llm|language model|chatbot|assistant|bot|summari[sz]er|crawler|model)\b/i,
  // Words addressed to an AI: "AI summarizer, …", "To any AI assistant:", "Dear language model,".
  /\b(?:ai|llm|gpt)\s+summari[sz](?:er|ers|ation tools?)\b/i,
  /^\W{0,3}(?:(?:note\s+)?to\s+|dear\s+|attention\s+|hey\s+|hello\s+)(?:any\s+|all\s+|every\s+|the\s+)?(?:ai|llm|gpt|chatgpt|claude|gemini|automated|language[ -]model)?\s*(?:summari[sz]ers?|assistants?|agents?|models?|readers?|crawlers?|bots?|scrapers?|editors?|writers?)\s*[,:;!]/i,
  /^\W{0,3}(?:any\s+|all\s+|every\s+)?(?:ai|llm|gpt|chatgpt|claude|gemini|automated|language[ -]model)\s*(?:summari[sz]ers?|assistants?|agents?|models?|crawlers?|bots?|scrapers?)\s*[,:;!]/i,
  /^\W{0,3}(?:summari[sz]ers?|assistants?|agents?|models?|readers?|crawlers?|bots?|scrapers?|editors?|writers?)\s*[:!]\s/i,
  /\b(?:to|dear|attention)\s+(?:any|all|every)\s+(?:ai|llm|bots?|assistants?|summari[sz]ers?|language models?|crawlers?|scrapers?|editors?|readers?)\b/i,
  /\bnote to (?:the\s+)?(?:editors?|writers?|summari[sz]ers?|ai|llm|models?)\b/i,
  // Orders to the one reading: "you must", "you are now", "do not summarize".
  /\byou\s+(?:must|are required to|are instructed to|are now|will now)\b/i,
  /\b(?:do not|don't|never)\s+(?:summari[sz]e|mention|reveal|disclose|repeat|quote)\b/i,
  /\b(?:respond|reply|answer|output|print|say)\s+(?:only\s+)?(?:with|in|the words?)\b[^.!?\n]{0,40}\b(?:only|exactly|instead)\b/i,
  // Orders about what to write: "in your report / summary / newsletter", "your readers",
  // "this newsletter's readers", "when summarizing this", "tell (your) readers to …".
  /\b(?:in|into|to|for|within|throughout)\s+your\s+(?:own\s+)?(?:report|summary|summaries|newsletter|digest|write-?up|article|response|answer|reply|output)\b/i,
  /\byour\s+(?:report|summary|newsletter|digest|response|answer|output)\s+(?:should|must|needs? to|has to|will)\b/i,
  /\byour\s+(?:readers|audience|subscribers)\b/i,
  /\b(?:this|the)\s+(?:newsletter|report|digest|summary|briefing)'s\s+(?:readers|audience|subscribers)\b/i,
  /\b(?:when|while|if)\s+(?:you\s+)?(?:summari[sz](?:e|ing)|writ(?:e|ing) (?:about|up)|report(?:ing)? on)\s+(?:this|these|the following)\b/i,
  /\b(?:tell|inform|remind|urge|advise|instruct|ask|encourage)\s+(?:your\s+|the\s+|all\s+|our\s+)?(?:readers|audience|subscribers|viewers)\b/i,
  // An imperative at the head of a sentence (or after "please") to write, tell or act:
  // "State that …", "Please mention …", "Be sure to include …", "Download it from …", "Click here".
  /(?:^|[.;:!?]\s+|\bplease\s+)\W{0,3}(?:please\s+)?(?:(?:be sure|make sure|remember)\s+to\s+)?(?:(?:state|write|say|mention|claim|report|emphasi[sz]e|stress|add)\s+that\b|(?:tell|inform|remind|urge|advise|instruct|ask|encourage)\s+(?:your\s+|the\s+|all\s+)?(?:readers|users|audience|subscribers|them|everyone)\b|(?:include|mention|add|insert|append)\s+(?:this|the following|a link|the link|the url|these)\b|(?:download|install|click|visit|go to|head to|navigate to|sign up|subscribe|register|open|run|execute|copy|paste|share|forward)\s+(?:it|this|that|here|now|the link|the following|the file|the script|the installer|the app|from|at|via)\b)/i,
  // Chinese forms.
  /(?:忽略|无视|忘记|忘掉|覆盖)(?:掉)?(?:你)?(?:之前|以前|此前|先前|上面|上述|以上|前面|前述|所有|全部|一切)(?:的)?(?:所有|全部|一切)?(?:的)?(?:指令|指示|提示|规则|要求|设定|命令|对话)/,
  /你(?:必须|现在是|需要立即|应当立即|务必|只能回答|只需回答)/,
  /作为一(?:个|名|款)(?:AI|人工智能|语言模型|大模型|大语言模型|智能助手|AI助手)/i,
  /作为(?:AI|人工智能)(?:语言模型|助手)/i,
  /如果你是(?:一个|一名)?(?:AI|人工智能|语言模型|大模型|助手|机器人|摘要)/i,
  /系统(?:通知|提示词|指令|消息)[:：]/,
  /(?:致|给|告诉)(?:所有|任何|各位)的?(?:AI|人工智能|大模型|语言模型|摘要|爬虫|编辑)/i,
  /(?:不要|请勿)(?:总结|摘要|提及|透露|复述)/,
  // 「在你的报告中」「您的摘要」「本报读者」: the writer's own report, summary or readers.
  /[你您](?:们)?(?:的)?(?:报告|摘要|总结|文章|日报|周报|简报|新闻稿|回答|回复|输出|读者|用户|订阅者)/,
  /(?:本|这份|该)(?:报告|日报|简报|周报|通讯|摘要)的?(?:读者|订阅者)/,
  // 「编辑请注意」「致编辑」「各位编辑」.
  /编辑(?:们)?(?:请|须|务必)|(?:致|各位|亲爱的)编辑/,
  // 「请在摘要中写」「请告诉读者」「请下载」: 请 + an order to write, tell or act.
  /(?<![申邀聘提宴恳敬延约吁诉])请(?![求示假愿教柬])(?:在|于)?[^，。！？,.!?]{0,12}?(?:写|写明|注明|声明|说明|指出|提到|提及|包含|加入|强调|告诉|告知|通知|转告|推荐|下载|安装|访问|点击|前往|打开|运行|执行|复制|粘贴|扫码|关注|转发|注册)/,
  // 「告诉读者……」「并告诉用户下载」「告诉用户下载……」 (a clause that starts with the order): telling the
  // report's readers, or (as an order) its users, what to do. 「微软建议用户安装补丁」 is news.
  /(?:告诉|告知|转告|提醒)(?:所有|各位|广大)?读者/,
  /(?:(?:^|[，。！？；：,.!?;:]\s*)(?:请|并|然后|再|同时)?|(?:请|并|然后|再|同时))(?:告诉|告知|通知|提醒|转告|让)(?:所有|各位|广大)?(?:读者|用户|大家|观众|订阅者)/,
];

/**
 * Top-level domains that a bare host name in prose ends with ("evil.example", "get-gpt9.io"). Only
 * lower-case hosts count: "Booking.com" or "Character.AI" written as a name is a company.
 */
const BARE_HOST_TLDS =
  'com|org|net|io|ai|dev|app|co|cn|xyz|info|biz|me|ly|gg|to|ru|top|site|online|link|click|download|zip|example|test|invalid|local|onion|tk|cc|tv|us|uk|de|jp|fr|in|so|sh';

/**
 * A URL in text: a scheme, `www.`, a host with a path, or a bare lower-case host name. Each pattern
 * starts only where a token starts (a lookbehind, not `\b`), so a long run of "a-a-a…" or "1.1.1…"
 * is scanned once, not once per position.
 */
const URL_PATTERNS: readonly RegExp[] = [
  /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{0,30}:\/\/\S*/i,
  /\b(?:javascript|data|vbscript|file|mailto|magnet|tel|sms):\S+/i,
  /\bwww\.[a-z0-9-]+\.\S*/i,
  /(?<![a-z0-9.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\/[^\s，。；]*/i,
];
const BARE_HOST = new RegExp(
  `(?<![\\w@./-])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\\.(?:${BARE_HOST_TLDS})(?![\\w@/-]|\\.[a-z0-9])`,
);

/** The first URL in a text (as written, at most 60 characters), or undefined. */
export function findUrl(text: string, options: { bareHosts?: boolean } = {}): string | undefined {
  for (const pattern of URL_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return match[0].slice(0, 60);
  }
  if (options.bareHosts !== false) {
    const match = BARE_HOST.exec(text);
    if (match) return match[0].slice(0, 60);
  }
  return undefined;
}

const EMAIL = /(?<![a-z0-9._%+-])[a-z0-9._%+-]{1,64}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;

/** Shell commands a reader could paste: fetch-and-run, installers, destructive or elevating commands. */
const COMMAND_PATTERNS: readonly RegExp[] = [
  /\b(?:curl|wget)\s+(?:-{1,2}[a-z][\w-]*\s+)*(?:-{1,2}[a-z]|["']?[a-z][a-z0-9+.-]*:\/\/|["']?[a-z0-9-]+\.[a-z0-9.-]+)/i,
  /\|\s*(?:sudo\s+)?(?:ba|z|da|k|c|tc|fi)?sh\b|\|\s*(?:python3?|perl|ruby|node|iex|powershell|pwsh)\b/i,
  /\b(?:pip3?|pipx|uv\s+pip|npm|pnpm|yarn|brew|apt(?:-get)?|yum|dnf|gem|cargo|conda)\s+(?:install|add|i)\s+\S/i,
  /\b(?:npx|uvx|bunx)\s+[\w@-]/i,
  /\b(?:powershell|pwsh)(?:\.exe)?\s+-|\bInvoke-(?:WebRequest|Expression|RestMethod)\b|\biex\s*\(|\biwr\s+\S/i,
  /\brm\s+-(?:rf|fr|r|f)\b|\bchmod\s+(?:\+x|[0-7]{3,4})\s|\bsudo\s+[a-z]/i,
  /\bbase64\s+(?:-d|--decode)\b|\beval\s*["'$(`]|\/dev\/tcp\/|\bmkfifo\b|\bnc\s+-[elvnp]+\b/i,
  /\b(?:bash|sh|zsh|python3?)\s+-c\s/i,
  /\b(?:docker|podman)\s+(?:run|pull|exec)\s|\bgit\s+clone\s+\S/i,
  /:\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}/,
  /\$\(\s*(?:curl|wget|echo|cat|base64|printf|whoami|id|uname|env|ls|rm|sh|bash|python3?)\b|`[^`]*\b(?:curl|wget|bash|rm -|sudo)\b[^`]*`/,
];

/**
 * Patterns as few: one alternation of all those that share their flags (each in a group of its
 * own; the patterns here hold no back-reference or named group that joining could renumber). A
 * text matches one of them exactly when it matches one of the patterns, and irregexp reads it once
 * per alternation instead of once per pattern.
 */
function joinedPatterns(patterns: readonly RegExp[]): RegExp[] {
  const byFlags = new Map<string, string[]>();
  for (const pattern of patterns) {
    if (/[gy]/.test(pattern.flags) || /\\[1-9k]|\(\?<[A-Za-z]/.test(pattern.source)) {
      throw new Error(`a pattern that cannot be joined: ${pattern}`);
    }
    const sources = byFlags.get(pattern.flags) ?? [];
    sources.push(`(?:${pattern.source})`);
    byFlags.set(pattern.flags, sources);
  }
  return [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
}

/**
 * Every pattern {@link sourceSentenceRefusal} reads but the bare host name, joined: a text that
 * matches none of them (nearly every title and sentence) is refused by none.
 */
const ANY_REFUSAL = joinedPatterns([...ADDRESSED_TO_READER_PATTERNS, ...URL_PATTERNS, EMAIL, ...COMMAND_PATTERNS]);

/**
 * Why a piece of source text may not be published as a sentence of ours, or undefined when it may:
 * it speaks to the reader, an editor or an AI (ADDRESSED_TO_READER_PATTERNS), or it holds a URL, an
 * email address or a shell command. The one rule for every quoted sentence: the extractive
 * summarizer never picks such a sentence, and the verifier drops a model sentence that carries one
 * (reason 'instruction'). A source's own link is cited as a reference, never quoted from its text.
 * For a title (`title: true`) a bare host name is no URL ("Show HN: foo.dev" names a product).
 */
export function sourceSentenceRefusal(text: string, options: { title?: boolean } = {}): string | undefined {
  if (!ANY_REFUSAL.some((pattern) => pattern.test(text)) && (options.title || !BARE_HOST.test(text))) return undefined;
  for (const pattern of ADDRESSED_TO_READER_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return `an instruction to the reader or the writer ("${match[0].trim().slice(0, 40)}")`;
  }
  const url = findUrl(text, { bareHosts: !options.title });
  if (url !== undefined) return `a URL ("${url}")`;
  const email = EMAIL.exec(text);
  if (email) return `an email address ("${email[0].slice(0, 60)}")`;
  for (const pattern of COMMAND_PATTERNS) {
    const match = pattern.exec(text);
    if (match) return `a command ("${match[0].trim().slice(0, 40)}")`;
  }
  return undefined;
}
