/**
 * Names with their Chinese and English spellings, for the verifier: a name in a sentence is
 * supported when any spelling of the same entity is in a cited excerpt ("谷歌" in a Chinese
 * sentence is supported by "Google" in an English excerpt).
 *
 * It overlaps the clustering table (`ENTITY_ALIASES` in src/pipeline/entities.ts) with one difference
 * that matters for checking facts: a product and the
 * company behind it are different entities here ("Kimi" is not "月之暗面", "GLM" is not "智谱"),
 * so a sentence that swaps one for the other is not supported. People are included: a Chinese
 * sentence names "黄仁勋" where the source says "Jensen Huang"; so are a few places and events
 * ("杭州" = "Hangzhou", "云栖大会" = "Apsara Conference").
 */

// biome-ignore format: a table reads better packed
export const VERIFY_ALIASES: Readonly<Record<string, readonly string[]>> = {
  openai: ['OpenAI'],
  chatgpt: ['ChatGPT'],
  anthropic: ['Anthropic'],
  claude: ['Claude'],
  google: ['Google', '谷歌'],
  deepmind: ['DeepMind', 'Google DeepMind', '谷歌DeepMind'],
  gemini: ['Gemini'],
  microsoft: ['Microsoft', '微软'],
  meta: ['Meta', 'Facebook', '脸书'],
  nvidia: ['NVIDIA', 'Nvidia', '英伟达', '辉达'],
  alibaba: ['Alibaba', 'Alibaba Group', 'Alibaba Cloud', 'Aliyun', '阿里', '阿里巴巴', '阿里云', '阿里巴巴集团'],
  qwen: ['Qwen', '千问', '通义千问', 'Tongyi Qianwen'],
  deepseek: ['DeepSeek', '深度求索'],
  bytedance: ['ByteDance', '字节跳动', '字节'],
  doubao: ['Doubao', '豆包'],
  tencent: ['Tencent', '腾讯'],
  hunyuan: ['Hunyuan', '混元'],
  baidu: ['Baidu', '百度'],
  ernie: ['ERNIE', '文心', '文心一言'],
  moonshot: ['Moonshot AI', 'Moonshot', '月之暗面'],
  zhipu: ['Zhipu AI', 'Zhipu', '智谱', '智谱AI'],
  minimax: ['MiniMax', '稀宇科技'],
  apple: ['Apple', '苹果公司'],
  amazon: ['Amazon', '亚马逊'],
  huawei: ['Huawei', '华为'],
  harmonyos: ['HarmonyOS', '鸿蒙'],
  xiaomi: ['Xiaomi', '小米'],
  kuaishou: ['Kuaishou', '快手'],
  kling: ['Kling', '可灵'],
  meituan: ['Meituan', '美团'],
  xiaohongshu: ['Xiaohongshu', 'RedNote', '小红书'],
  alipay: ['Alipay', '支付宝'],
  antgroup: ['Ant Group', '蚂蚁集团'],
  jd: ['JD.com', '京东'],
  netease: ['NetEase', '网易'],
  stepfun: ['StepFun', '阶跃星辰'],
  baichuan: ['Baichuan', '百川智能'],
  iflytek: ['iFlytek', '科大讯飞', '讯飞'],
  sensetime: ['SenseTime', '商汤'],
  kunlun: ['Kunlun Tech', '昆仑万维'],
  inspur: ['Inspur', '浪潮信息', '浪潮'],
  cainiao: ['Cainiao', '菜鸟'],
  honor: ['Honor', '荣耀'],
  samsung: ['Samsung', '三星'],
  tesla: ['Tesla', '特斯拉'],
  intel: ['Intel', '英特尔'],
  amd: ['AMD', '超威'],
  qualcomm: ['Qualcomm', '高通'],
  tsmc: ['TSMC', '台积电'],
  oracle: ['Oracle', '甲骨文'],
  netflix: ['Netflix', '奈飞', '网飞'],
  huggingface: ['Hugging Face', 'HuggingFace'],
  stanford: ['Stanford', '斯坦福'],
  mit: ['MIT', '麻省理工'],
  tsinghua: ['Tsinghua', '清华'],
  berkeley: ['Berkeley', '伯克利'],
  apsara: ['Apsara Conference', 'Yunqi Conference', 'Yunqi', '云栖大会', '云栖'],
  hangzhou: ['Hangzhou', '杭州'],
  beijing: ['Beijing', '北京'],
  shanghai: ['Shanghai', '上海'],
  shenzhen: ['Shenzhen', '深圳'],
  hefei: ['Hefei', '合肥'],
  altman: ['Sam Altman', 'Altman', '奥特曼', '阿尔特曼'],
  musk: ['Elon Musk', 'Musk', '马斯克'],
  jensenhuang: ['Jensen Huang', '黄仁勋'],
  zuckerberg: ['Mark Zuckerberg', 'Zuckerberg', '扎克伯格'],
  nadella: ['Satya Nadella', 'Nadella', '纳德拉'],
  pichai: ['Sundar Pichai', 'Pichai', '皮查伊'],
  amodei: ['Dario Amodei', 'Amodei', '阿莫迪'],
  gates: ['Bill Gates', '比尔·盖茨', '盖茨'],
  gatesfoundation: ['Gates Foundation', '盖茨基金会'],
  eddiewu: ['Eddie Wu', '吴泳铭'],
  liangwenfeng: ['Liang Wenfeng', '梁文锋'],
  robinli: ['Robin Li', '李彦宏'],
};

export const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Entity id by spelling (NFKC, lower case). */
const ENTITY_BY_ALIAS: ReadonlyMap<string, string> = new Map(
  Object.entries(VERIFY_ALIASES).flatMap(([id, aliases]) =>
    aliases.map((alias) => [alias.normalize('NFKC').toLowerCase(), id] as const),
  ),
);

/** The entity a spelling belongs to (case-insensitive), if the table knows it. */
export function entityOfAlias(spelling: string): string | undefined {
  return ENTITY_BY_ALIAS.get(spelling.normalize('NFKC').toLowerCase());
}

/** All spellings of an entity. */
export function aliasesOf(entity: string): readonly string[] {
  return VERIFY_ALIASES[entity] ?? [];
}

/**
 * A regular-expression source matching one spelling (lower case) in lower-cased text: spaces and
 * hyphens between words are interchangeable or absent ("hugging face" = "huggingface"), a Latin
 * spelling must not touch a letter or digit before it nor a letter after it.
 */
export function spellingPattern(spelling: string): string {
  const lower = spelling.normalize('NFKC').toLowerCase();
  const body = lower
    .split(/[\s\-_]+/)
    .map(escapeRegExp)
    .join('[\\s\\-_]*');
  // A Latin spelling may be followed by a version ("Qwen" is in "Qwen4.5") or a plural, not by a letter.
  return CJK.test(lower.charAt(0)) ? body : `(?<![a-z0-9])${body}(?:'?s)?(?![a-z])`;
}

/** Alternation of every spelling of an entity, longest first. */
export function entityPattern(entity: string): string {
  const spellings = [...aliasesOf(entity)].sort((a, b) => b.length - a.length);
  return `(?:${spellings.map(spellingPattern).join('|')})`;
}

/**
 * Every spelling in a text (as written in the table for Latin ones, case-sensitively, so the fruit
 * "apple" and "meta-learning" are not names; any Chinese spelling), with offsets, longest first
 * at each position.
 */
const ALIAS_FINDER: RegExp = (() => {
  const spellings = [...new Set(Object.values(VERIFY_ALIASES).flat())].sort((a, b) => b.length - a.length);
  const alternatives = spellings.map((spelling) => {
    const normalised = spelling.normalize('NFKC');
    return CJK.test(normalised.charAt(0))
      ? escapeRegExp(normalised)
      : `(?<![A-Za-z0-9])${escapeRegExp(normalised)}(?![A-Za-z0-9]|[-.][A-Za-z0-9])`;
  });
  return new RegExp(alternatives.join('|'), 'gu');
})();

export interface AliasMention {
  text: string;
  entity: string;
  index: number;
}

export function findAliases(text: string): AliasMention[] {
  const found: AliasMention[] = [];
  ALIAS_FINDER.lastIndex = 0;
  for (let match = ALIAS_FINDER.exec(text); match !== null; match = ALIAS_FINDER.exec(text)) {
    const entity = entityOfAlias(match[0]);
    if (entity !== undefined) found.push({ text: match[0], entity, index: match.index });
  }
  return found;
}
