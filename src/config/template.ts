import { SECTIONS } from '../core/types.js';
import { PRESETS } from './presets.js';

/**
 * The commented config that `ai-daily init` writes. Every setting is shown with its default. For a
 * GitHub Actions setup (`init --github-actions`) the reports go to ./site in the repository and the
 * git publisher is on.
 */
export function configTemplate(options: { githubActions?: boolean } = {}): string {
  const outputDir = options.githubActions ? './site' : './out';
  const publish = options.githubActions
    ? 'publish:\n  git: { remote: origin, branch: main, message: "ai-daily: {date} ({language})" }'
    : '# publish:\n#   git: { remote: origin, branch: main, authorName: ai-daily, authorEmail: ai-daily@example.com, message: "ai-daily: {date} ({language})" }';
  const preset = PRESETS.ai!;
  const sourceLines = preset.sources.map((s) => `#   ${s.id.padEnd(28)} ${s.kind.padEnd(12)} ${s.url}`).join('\n');
  return `# ai-daily configuration. Every setting is optional; the values shown are the defaults.
# Reference: docs/config.md. Secrets are never written here: use \${ENV_VAR} (or \${ENV_VAR:-default}).

# Built-in preset whose sources are included: "ai", or "none" for only the sources below.
preset: ai

# IANA time zone of the report date, and the report language (zh or en).
timezone: Asia/Shanghai
language: zh

# Items published in this many hours before the run are in the report.
window:
  hours: 48

store:
  path: ./data/ai-daily.db     # SQLite file
  # Or a PostgreSQL database (instead of path):
  # driver: postgres
  # url: "\${DATABASE_URL}"    # postgres://user:password@host:5432/db; the password is shown as ***

output:
  dir: ${outputDir.padEnd(24)}# reports go to <dir>/reports/YYYY/MM/YYYY-MM-DD.md, .json and .html
  # siteUrl: https://example.org/daily/   # public address of <dir>: absolute links in reports/feed.xml and atom.xml

# Publish to git: output.dir is a clone of the site's repository; each run commits exactly its own
# files (nothing else in the folder) and pushes them, rebasing when someone else pushed first.
${publish}
#   # Chat groups that get the day's top stories and a link to the page (docs/config.md#publishchannels).
#   channels:
#     - { kind: feishu, url: "\${FEISHU_WEBHOOK}", secret: "\${FEISHU_SECRET}" }
#     - { kind: telegram, token: "\${TELEGRAM_TOKEN}", chatId: "-100123" }

# \`ai-daily schedule\` runs the pipeline on this cron (read in schedule.timezone, default: timezone),
# making on start the runs it missed in the last catchUp.days days (docs/config.md).
# schedule:
#   cron: "0 10 * * *"
#   timezone: Asia/Shanghai
#   catchUp: { days: 3 }
#   languages: [zh]

# \`ai-daily serve\`: the web app (archive, stories, search, sources, runs; reads only). It listens on
# 127.0.0.1; any other host needs a token (Authorization: Bearer, or /login?token=) (docs/web-api.md).
# serve:
#   host: 127.0.0.1
#   port: 8080
#   token: "\${AI_DAILY_SERVE_TOKEN}"

http:
  timeoutMs: 20000             # per request, body included
  sourceBudgetMs: 60000        # one source, retries included
  totalBudgetMs: 180000        # all sources
  maxBytes: 10485760           # decoded body cap (10 MiB)
  maxRedirects: 5
  retries: 2
  retryBaseMs: 500
  retryAfterCapMs: 60000       # a longer Retry-After skips the source for this run
  perHostConcurrency: 6        # requests at once to one host (as many as a browser opens)
  concurrency: 32              # sources at once (hosts are each held to perHostConcurrency)
  # userAgent: "my-team-digest/1.0 (+https://example.com)"
  # Only public addresses are fetched; list a self-hosted feed service to reach it on purpose.
  # allowHosts: ["feeds.home.lan", "127.0.0.1:8080"]

report:
  maxStories: 40
  defaultSectionCap: 8
  topStories: 6
  author: ai-daily
  # sectionCaps: { papers: 10, opensource: 6 }   # sections: ${SECTIONS.join(', ')}

# How stories are scored (weights 0..1, scaled to sum to 1) and kept diverse in "top stories".
ranking:
  weights: { recency: 0.2, authority: 0.25, coverage: 0.2, engagement: 0.2, relevance: 0.15 }
  topMaxPerFamily: 1           # one model and its variants take one top slot
  topMaxPerSource: 2
  topMaxPapers: 2              # while other stories are left
  sectionMaxPerFamily: 2

# A selected story whose feed gives too little text to summarise (titles only) gets the text of its
# own page, fetched through the same polite fetcher and cached in the store.
enrich:
  enabled: true
  budgetSeconds: 60            # time the page fetches may take a run (parallel, best-ranked first)
  maxBytes: 30000000           # bytes of pages fetched a run at most
  minTextChars: 200            # a story whose items all have less text than this is thin

# LLM mode (run --mode auto uses it when this section is present; check it with ai-daily doctor).
# provider: openai = any OpenAI-compatible chat endpoint (OpenAI, DeepSeek, Qwen, Moonshot, GLM,
# Gemini's OpenAI endpoint, Ollama, vLLM, llama.cpp); anthropic = Anthropic-compatible (Anthropic, MiniMax).
# llm:
#   provider: openai
#   baseURL: https://api.deepseek.com/v1
#   model: deepseek-chat
#   apiKey: \${DEEPSEEK_API_KEY}
#   prices: { inputPer1M: 0.27, outputPer1M: 1.1 }   # for the call records and maxCost
#   maxCost: 0.5                  # per run; the work shrinks in rank order to fit
#   demo: { enabled: true, attempts: 3 }   # a Python demo for one top story, run in a sandbox (needs bubblewrap)

# Extra topic terms that make an item relevant (added to the preset's; with preset "none" they
# replace the built-in AI vocabulary).
topics: []

# Add your own sources, or override a preset source by id (any field).
sources: []
#  - id: my-lab-blog
#    name: My Lab Blog
#    kind: feed                 # feed | arxiv | hackernews | github | huggingface | reddit | html
#    url: https://example.com/feed.xml
#    authority: 0.7             # 0..1
#    section: llm               # ${SECTIONS.join(' | ')}
#    snapshot: true             # a trending / "best of" list: its dates are when the list was taken
#  - id: github-search-ai
#    params: { token: \${GITHUB_TOKEN} }
#  - id: some-news-page
#    kind: html
#    url: https://example.com/news
#    params: { item: "article", title: "h2", link: "a", date: "time", dateAttribute: "datetime" }

# Preset sources to leave out, by id.
disable: []

# OPML files whose feeds are added as sources (paths relative to this file).
opml: []

# Several reports from one collection, each with its own topics, language, sources (ids of the
# sources above), channels, title and folder (<output.dir>/<id>/reports/...). Without it: one report.
# reports:
#   - id: default                # keeps output.dir itself and this store's history
#   - id: papers-en
#     language: en
#     title: Papers of the day
#     sources: [arxiv-cs-cl, arxiv-cs-lg, huggingface-daily-papers]
#     channels:
#       - { kind: slack, url: "\${SLACK_PAPERS_WEBHOOK}" }

# The preset "ai" includes these sources:
${sourceLines}
`;
}
