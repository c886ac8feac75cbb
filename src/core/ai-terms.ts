/**
 * The vocabulary that makes a title "about AI": the `ai` preset's topic terms (relevance and the
 * topic filter) and the default keyword filter of the Hacker News and GitHub connectors. One list,
 * lower-case; Latin terms match as whole words (a plural "s" allowed), Chinese terms as substrings.
 * Kept specific on purpose: "benchmark" or "training" alone would let in news about databases or
 * sports, bare "model" a "DevOps model" or a "pay-per-use model", bare 开源 (open source) any
 * open-source release. So a model is named by a phrase ("ai model", "foundation model", 大模型,
 * 世界模型) or by a product name that means nothing else (Gemma, Grok, Sora, 通义, 豆包).
 */
export const AI_TERMS: readonly string[] = [
  'ai',
  'agi',
  'genai',
  'generative ai',
  'artificial intelligence',
  'machine learning',
  'deep learning',
  'ml',
  'llm',
  'large language model',
  'language model',
  'ai model',
  'foundation model',
  'frontier model',
  'reasoning model',
  'world model',
  'diffusion model',
  'embedding model',
  'coding model',
  'image model',
  'video model',
  'vision model',
  'speech model',
  'voice model',
  'open model',
  'small model',
  'image generation',
  'video generation',
  'open-weight',
  'open-weights',
  'gpt',
  'chatgpt',
  'openai',
  'anthropic',
  'claude',
  'gemini',
  'gemma',
  'deepmind',
  'llama',
  'mistral',
  'deepseek',
  'qwen',
  'kimi',
  'grok',
  'sora',
  'midjourney',
  'dall-e',
  'veo',
  'seedance',
  'notebooklm',
  'hugging face',
  'huggingface',
  'neural',
  'neural network',
  'agent',
  'agentic',
  'copilot',
  'codex',
  'vibe coding',
  'stable diffusion',
  'transformer',
  'reasoning',
  'multimodal',
  'vision-language',
  'computer vision',
  'natural language processing',
  'nlp',
  'speech recognition',
  'text-to-speech',
  'speech-to-text',
  'text-to-image',
  'text-to-video',
  'rag',
  'fine-tuning',
  'inference',
  'chatbot',
  'robotics',
  'humanoid',
  'reinforcement learning',
  'prompt engineering',
  'prompt injection',
  'system prompt',
  'mcp',
  'vllm',
  'ollama',
  'pytorch',
  'tensorflow',
  // Model families and labs whose names mean nothing else (a name that does — Phi, Yi, Step, Seed,
  // o3 — counts only in a model-name shape: namesAiModel).
  'minimax',
  'glm',
  'chatglm',
  'ernie',
  'hunyuan',
  'doubao',
  'internlm',
  'baichuan',
  'stepfun',
  'moonshot ai',
  'zhipu',
  'mixtral',
  'codestral',
  'nemotron',
  'olmo',
  'qwq',
  'llava',
  'kling',
  'hailuo',
  'seedream',
  'xai',
  'langchain',
  'llamaindex',
  'comfyui',
  'sglang',
  'openrouter',
  '人工智能',
  'aigc',
  '大模型',
  '语言模型',
  '基础模型',
  '基座模型',
  '世界模型',
  '视频模型',
  '推理模型',
  '开源模型',
  '多模态模型',
  '全模态',
  '端侧模型',
  'ai模型',
  '模型训练',
  '训练模型',
  '智能体',
  '机器学习',
  '深度学习',
  '多模态',
  '具身智能',
  '具身',
  '推理',
  '算力',
  '生成式',
  '通义',
  '千问',
  '文心',
  '豆包',
  '混元',
  '智谱',
  '文心一言',
  '月之暗面',
  '阶跃星辰',
  '零一万物',
  '百川智能',
  '可灵',
  '即梦',
  '讯飞星火',
  '面壁智能',
  '稀宇',
];

/**
 * Whether a topic list is about AI: it shares a core term with the AI vocabulary. Only such a list
 * lets the field's own knowledge ({@link isAiFieldLink}, {@link namesAiModel}) count as on topic: a
 * user whose topics are "rust" and "webassembly" gets no model releases for naming a model.
 */
const CORE_AI_TERMS = new Set([
  'ai',
  'artificial intelligence',
  'generative ai',
  'genai',
  'machine learning',
  'deep learning',
  'llm',
  '人工智能',
  '大模型',
]);
export function speaksAi(topics: readonly string[]): boolean {
  return topics.some((topic) => CORE_AI_TERMS.has(topic.trim().toLowerCase()));
}

/**
 * Hosts that publish about AI alone: the labs (OpenAI, Anthropic, Google DeepMind, Meta AI, Mistral,
 * xAI, and the Chinese labs — Qwen/Alibaba Tongyi, DeepSeek, Moonshot/Kimi, Zhipu/Z.ai, MiniMax,
 * Baidu ERNIE/文心一言, Tencent Hunyuan, ByteDance Doubao/Seed, StepFun, 01.AI, Baichuan, InternLM),
 * the model hubs and AI products. A subdomain counts (research.openai.com).
 */
// biome-ignore format: a host list reads better packed
const AI_HOSTS: readonly string[] = [
  'openai.com', 'chatgpt.com', 'anthropic.com', 'claude.ai', 'claude.com', 'deepmind.google', 'deepmind.com',
  'ai.google.dev', 'gemini.google.com', 'aistudio.google.com', 'notebooklm.google', 'ai.meta.com', 'llama.com',
  'llama.meta.com', 'mistral.ai', 'x.ai', 'qwen.ai', 'qwenlm.github.io', 'tongyi.aliyun.com',
  'qianwen.aliyun.com', 'deepseek.com', 'moonshot.cn', 'moonshot.ai', 'kimi.com', 'kimi.ai', 'zhipuai.cn',
  'bigmodel.cn', 'z.ai', 'chatglm.cn', 'minimax.io', 'minimaxi.com', 'hailuoai.com', 'hailuoai.video',
  'yiyan.baidu.com', 'wenxin.baidu.com', 'ernie.baidu.com', 'hunyuan.tencent.com', 'yuanbao.tencent.com',
  'doubao.com', 'seed.bytedance.com', 'team.doubao.com', 'stepfun.com', '01.ai', 'lingyiwanwu.com',
  'baichuan-ai.com', 'intern-ai.org.cn', 'xinghuo.xfyun.cn', 'klingai.com', 'jimeng.jianying.com',
  'perplexity.ai', 'stability.ai', 'midjourney.com', 'runwayml.com', 'elevenlabs.io', 'suno.com', 'ollama.com',
  'openrouter.ai', 'lmarena.ai', 'lmsys.org', 'together.ai', 'fireworks.ai', 'replicate.com', 'character.ai',
  'allenai.org', 'eleuther.ai', 'sakana.ai', 'thinkingmachines.ai', 'huggingface.co', 'hf.co', 'modelscope.cn',
  'modelscope.ai', 'paperswithcode.com',
];

const AI_HOST_SET: ReadonlySet<string> = new Set(AI_HOSTS);

/** GitHub organisations that publish AI models and AI tooling alone (lower-case). */
// biome-ignore format: an organisation list reads better packed
const AI_GITHUB_ORGS: ReadonlySet<string> = new Set([
  'openai', 'anthropics', 'google-deepmind', 'deepmind', 'google-gemini', 'facebookresearch', 'meta-llama',
  'mistralai', 'xai-org', 'qwenlm', 'deepseek-ai', 'moonshotai', 'thudm', 'zai-org', 'zhipuai', 'minimax-ai',
  'minimaxai', 'paddlepaddle', 'tencent-hunyuan', 'bytedance-seed', 'stepfun-ai', '01-ai', 'internlm',
  'opengvlab', 'baichuan-inc', 'openbmb', 'xiaomimimo', 'meituan-longcat', 'inclusionai', 'wan-video',
  'kvcache-ai', 'modelscope', 'huggingface', 'ollama', 'ggml-org', 'ggerganov', 'vllm-project', 'sgl-project',
  'lm-sys', 'langchain-ai', 'run-llama', 'black-forest-labs', 'stability-ai', 'comfyanonymous', 'allenai',
  'eleutherai', 'unslothai', 'ml-explore', 'lmstudio-ai', 'open-webui', 'modelcontextprotocol', 'hpcaitech',
  'pytorch', 'tensorflow', 'keras-team',
]);

/** A link's host (lower-case, without "www.") and path. */
export interface LinkParts {
  readonly host: string;
  readonly path: string;
}

/** The link {@link linkParts} read last and its parts: a ranking asks about an item's link for its publisher, then for the field. */
let lastLink: string | undefined;
let lastLinkParts: LinkParts | undefined;

/** The host and path of a link; undefined when it does not parse as a URL. */
export function linkParts(url: string): LinkParts | undefined {
  if (url === lastLink) return lastLinkParts;
  let parts: LinkParts | undefined;
  try {
    const parsed = new URL(url);
    parts = { host: parsed.hostname.toLowerCase().replace(/^www\./, ''), path: parsed.pathname };
  } catch {
    parts = undefined;
  }
  lastLink = url;
  lastLinkParts = parts;
  return parts;
}

/**
 * Whether a link points into the field: a page of an AI lab, model hub or AI product
 * ({@link AI_HOSTS}), a model or dataset on a hub (huggingface.co/org/model), or a repository of an
 * AI organisation on GitHub (github.com/QwenLM/…). A link to anything else says nothing.
 */
export function isAiFieldLink(url: string | undefined): boolean {
  if (!url) return false;
  const parts = linkParts(url);
  if (parts === undefined) return false;
  const { host } = parts;
  if (host === 'github.com') {
    const org = parts.path.split('/')[1]?.toLowerCase() ?? '';
    return AI_GITHUB_ORGS.has(org);
  }
  // The host or a domain above it (research.openai.com, openai.com, com) is a known one.
  for (let at = 0; at !== -1; at = host.indexOf('.', at) + 1 || -1) {
    if (AI_HOST_SET.has(at === 0 ? host : host.slice(at))) return true;
  }
  return false;
}

/**
 * A versioned model name, by family: "GPT-5.5", "Claude Opus 4.7", "Qwen3.8-27B", "GLM-5.1",
 * "MiniMax-M2.7", "ERNIE 5", "Hunyuan-T2", "Doubao-Seed-1.6", also glued to Chinese text
 * (「智谱发布GLM-5.1」). The one list the section rules (llm), news value (a model release is news)
 * and digest joining read.
 */
export const VERSIONED_MODEL_NAME =
  /(?<![\p{Script=Latin}\p{N}])(?:gpt|claude|gemini|gemma|llama|qwen|qwq|deepseek|mistral|mixtral|kimi|glm|chatglm|grok|phi|minimax|ernie|hunyuan|doubao|internlm|baichuan|nemotron|olmo)(?:[- ]?(?:opus|sonnet|haiku|pro|flash|ultra|nano|mini|r|v|k|m|t|seed))?[- ]?\d/iu;

/** Every versioned model name of {@link VERSIONED_MODEL_NAME} with its whole version ("Claude Opus 4.7", "GLM-5.1"). */
export const VERSIONED_MODEL_MENTION = new RegExp(`${VERSIONED_MODEL_NAME.source}\\d*(?:\\.\\d+)*`, 'giu');

/**
 * Model-name shapes (case as written): a family name that means something else too, counted only
 * with a version glued on ("Phi-4", "Yi-34B", "Step-3", "Seed1.6", "Wan2.7", "FLUX.1", "o3",
 * "o4-mini"); a name with a size segment ("Ornith-1.0-35B", "Bonsai-27B", "Qwen3-8b", "Mixtral-8x7B",
 * "…-A3B"); a name with a model-variant segment ("…-Instruct", "…-GGUF", "…-GPTQ", "…-AWQ", and
 * "-Chat", "-Base" after a name with a digit: "Baichuan2-13B-Chat", "DeepSeek-V3-Base").
 */
const MODEL_NAME_SHAPES: readonly RegExp[] = [
  /(?<![\p{Script=Latin}\p{N}])(?:Phi|Yi|Step|Seed|Wan|FLUX|Whisper|Falcon|Granite|Nova|MiMo|Ling|LFM|Sonar|SmolLM|LongCat)[-.]?v?\d/u,
  /(?<![\p{Script=Latin}\p{N}.-])o[1-9](?:-(?:mini|pro|preview|high|low))?(?![\p{Script=Latin}\p{N}])/u,
  /(?<![\p{Script=Latin}\p{N}])[A-Za-z][\w.]*(?:-[\w.]+)*-(?:A?\d+(?:\.\d+)?[Bb]|\d+x\d+(?:\.\d+)?[Bb])(?![\p{Script=Latin}\p{N}])/u,
  /(?<![\p{Script=Latin}\p{N}])[A-Za-z][\w.]*(?:-[\w.]+)*-(?:Instruct|GGUF|GPTQ|AWQ)(?![\p{Script=Latin}\p{N}])/u,
  /(?<![\p{Script=Latin}\p{N}])[A-Za-z][\w.]*\d[\w.]*(?:-[\w.]+)*-(?:Chat|Base)(?![\p{Script=Latin}\p{N}])/u,
];

/**
 * For each of {@link MODEL_NAME_SHAPES}, a pattern without a lookbehind that finds a piece every
 * match of the shape holds (the family name and its digit, "o" and a digit, a hyphen before the
 * size, the variant segment with its hyphen): a title without it cannot match the shape, and
 * irregexp finds it without testing the shape's lookbehind at every position.
 */
const MODEL_NAME_CUES: readonly RegExp[] = [
  /(?:Phi|Yi|Step|Seed|Wan|FLUX|Whisper|Falcon|Granite|Nova|MiMo|Ling|LFM|Sonar|SmolLM|LongCat)[-.]?v?\d/u,
  /o[1-9]/,
  /-A?\d/,
  /-(?:Instruct|GGUF|GPTQ|AWQ)/,
  /-(?:Chat|Base)/,
];

/** Whether a title has a model-name shape (see {@link MODEL_NAME_SHAPES}). */
function hasModelNameShape(title: string): boolean {
  for (let index = 0; index < MODEL_NAME_SHAPES.length; index++) {
    if (MODEL_NAME_CUES[index]!.test(title) && MODEL_NAME_SHAPES[index]!.test(title)) return true;
  }
  return false;
}

/** The title {@link namesAiModel} read last and its answer: a ranking asks about one title several times in a row. */
let lastTitle: string | undefined;
let lastNamesModel = false;

/** Whether a title names an AI model: a versioned family name or a model-name shape (above). */
export function namesAiModel(title: string): boolean {
  if (title === lastTitle) return lastNamesModel;
  // Every pattern but the variant segment one ("…-Instruct", "…-GGUF") needs a digit, and that one a hyphen.
  const names = /\d/.test(title)
    ? VERSIONED_MODEL_NAME.test(title) || hasModelNameShape(title)
    : title.includes('-') && MODEL_NAME_CUES[3]!.test(title) && MODEL_NAME_SHAPES[3]!.test(title);
  lastTitle = title;
  lastNamesModel = names;
  return names;
}
