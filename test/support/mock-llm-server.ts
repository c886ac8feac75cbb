/**
 * A scripted LLM endpoint on 127.0.0.1 for tests: it speaks the OpenAI chat-completions wire
 * format (POST /v1/chat/completions, plain JSON or server-sent events) and the Anthropic messages
 * format (POST /v1/messages, plain or SSE; a structured answer comes back as the input of the
 * forced `json` tool), and answers each request from a script. The production client code talks
 * to it over real HTTP; nothing here reaches any other address.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Wire = 'openai' | 'anthropic';

export interface MockRequest {
  wire: Wire;
  stream: boolean;
  model: string;
  system: string;
  prompt: string;
  /** The request body as sent. */
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export type MockReply =
  /** A well-formed answer whose structured output is `value`. */
  | { kind: 'object'; value: unknown; usage?: { input: number; output: number } }
  /** An answer whose text is exactly `text` (invalid or truncated JSON, prose, …). */
  | { kind: 'text'; text: string; usage?: { input: number; output: number } }
  /** An HTTP error (429 with Retry-After, 500, …). */
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  /** Never answers (the client must time out). */
  | { kind: 'hang' };

export type MockScript = (request: MockRequest, index: number) => MockReply | Promise<MockReply>;

export interface MockLlmServer {
  /** http://127.0.0.1:PORT/v1 — the baseURL for both providers. */
  baseURL: string;
  host: string;
  requests: MockRequest[];
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) =>
        part && typeof part === 'object' && 'text' in part ? String((part as { text: unknown }).text) : '',
      )
      .join('');
  }
  return '';
}

function parseRequest(wire: Wire, body: Record<string, unknown>, request: IncomingMessage): MockRequest {
  const messages = Array.isArray(body.messages) ? (body.messages as { role: string; content: unknown }[]) : [];
  const system =
    wire === 'anthropic'
      ? textOf(body.system)
      : messages
          .filter((m) => m.role === 'system')
          .map((m) => textOf(m.content))
          .join('\n');
  const prompt = messages
    .filter((m) => m.role === 'user')
    .map((m) => textOf(m.content))
    .join('\n');
  return {
    wire,
    stream: body.stream === true,
    model: String(body.model ?? ''),
    system,
    prompt,
    body,
    headers: request.headers,
  };
}

function sse(response: ServerResponse, events: { event?: string; data: unknown }[]): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const { event, data } of events) {
    response.write(
      `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`,
    );
  }
  response.end();
}

/** Splits text into a few pieces, as a streaming server would send it. */
function pieces(text: string): string[] {
  const size = Math.max(1, Math.ceil(text.length / 4));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

function answerOpenAi(
  response: ServerResponse,
  request: MockRequest,
  text: string,
  usage: { input: number; output: number },
) {
  const base = { id: 'chatcmpl-mock', created: 1_700_000_000, model: request.model };
  if (!request.stream) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      }),
    );
    return;
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  sse(response, [
    { data: chunk({ role: 'assistant', content: '' }, null) },
    ...pieces(text).map((piece) => ({ data: chunk({ content: piece }, null) })),
    { data: chunk({}, 'stop') },
    {
      data: {
        ...base,
        object: 'chat.completion.chunk',
        choices: [],
        usage: {
          prompt_tokens: usage.input,
          completion_tokens: usage.output,
          total_tokens: usage.input + usage.output,
        },
      },
    },
    { data: '[DONE]' },
  ]);
}

function answerAnthropic(
  response: ServerResponse,
  request: MockRequest,
  reply: { tool?: unknown; text?: string },
  usage: { input: number; output: number },
) {
  const message = { id: 'msg_mock', type: 'message', role: 'assistant', model: request.model };
  if (!request.stream) {
    const content =
      reply.tool !== undefined
        ? [{ type: 'tool_use', id: 'toolu_mock', name: 'json', input: reply.tool }]
        : [{ type: 'text', text: reply.text ?? '' }];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ...message,
        content,
        stop_reason: reply.tool !== undefined ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: usage.input, output_tokens: usage.output },
      }),
    );
    return;
  }
  const asTool = reply.tool !== undefined;
  const text = asTool ? JSON.stringify(reply.tool) : (reply.text ?? '');
  sse(response, [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: 1 },
        },
      },
    },
    {
      event: 'content_block_start',
      data: {
        type: 'content_block_start',
        index: 0,
        content_block: asTool
          ? { type: 'tool_use', id: 'toolu_mock', name: 'json', input: {} }
          : { type: 'text', text: '' },
      },
    },
    ...pieces(text).map((piece) => ({
      event: 'content_block_delta',
      data: {
        type: 'content_block_delta',
        index: 0,
        delta: asTool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece },
      },
    })),
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: asTool ? 'tool_use' : 'end_turn', stop_sequence: null },
        usage: { output_tokens: usage.output },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  ]);
}

export async function startMockLlmServer(script: MockScript): Promise<MockLlmServer> {
  const requests: MockRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer(async (incoming, response) => {
    try {
      const url = incoming.url ?? '';
      if (incoming.method === 'GET' && url.startsWith('/v1/models')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ object: 'list', data: [{ id: 'mock-model', object: 'model' }] }));
        return;
      }
      const wire: Wire | undefined = url.startsWith('/v1/chat/completions')
        ? 'openai'
        : url.startsWith('/v1/messages')
          ? 'anthropic'
          : undefined;
      if (incoming.method !== 'POST' || !wire) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `no route ${incoming.method} ${url}` } }));
        return;
      }
      const body = JSON.parse(await readBody(incoming)) as Record<string, unknown>;
      const request = parseRequest(wire, body, incoming);
      const index = requests.length;
      requests.push(request);
      const reply = await script(request, index);
      if (reply.kind === 'hang') {
        hanging.add(response);
        response.on('close', () => hanging.delete(response));
        return;
      }
      if (reply.kind === 'status') {
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(reply.body ?? JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'mock' } }));
        return;
      }
      const usage = reply.usage ?? { input: Math.ceil(request.prompt.length / 4), output: 100 };
      if (wire === 'openai') {
        answerOpenAi(response, request, reply.kind === 'object' ? JSON.stringify(reply.value) : reply.text, usage);
      } else {
        answerAnthropic(
          response,
          request,
          reply.kind === 'object' ? { tool: reply.value } : { text: reply.text },
          usage,
        );
      }
    } catch (error) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    host: `127.0.0.1:${port}`,
    requests,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The fenced excerpts of a prompt, by number (what the model was shown). */
export function excerptsOf(prompt: string): Map<number, string> {
  const out = new Map<number, string>();
  const fence = /<<<SOURCE (\S+) \[(\d+)\]>>>\n([\s\S]*?)\n<<<END \1>>>/g;
  for (const match of prompt.matchAll(fence)) out.set(Number(match[2]), match[3]!);
  return out;
}

export function taskOf(prompt: string): 'story' | 'overview' | 'demo' | 'other' {
  const match = /^Task: (\w+)/m.exec(prompt);
  const task = match?.[1];
  return task === 'story' || task === 'overview' || task === 'demo' ? task : 'other';
}

/**
 * A demo that passes the code policy and runs: allowed modules only, deterministic output (the
 * words of the story's first headline); its "shows" line is copied from that excerpt and cites it.
 */
export function faithfulDemo(request: MockRequest): { shows: { text: string; cites: number[] }; code: string } {
  const [n, first] = [...excerptsOf(request.prompt).entries()][0] ?? [1, ''];
  return {
    shows: { text: copiedSentence(first), cites: [n] },
    code: [
      'from collections import Counter',
      '',
      `title = ${JSON.stringify(first.split('\n')[0] ?? '')}`,
      'words = Counter(title.lower().split())',
      'print("words:", sum(words.values()))',
      'print("distinct:", len(words))',
      '',
    ].join('\n'),
  };
}

/** The sections the overview prompt lists. */
export function sectionsOf(prompt: string): string[] {
  const match = /for each of these sections: ([a-z, ]+),/.exec(prompt);
  return match ? match[1]!.split(', ') : [];
}

/** A sentence copied from an excerpt (its title line), so every word of it is in the source. */
function copiedSentence(excerpt: string, part: 'title' | 'body' = 'title'): string {
  const [title = '', ...body] = excerpt.split('\n');
  const clean = (text: string) =>
    text
      .replace(/\s*\([^()]*\)$/, '')
      .replace(/[<>{}[\]`$]|https?:\/\/\S+/g, ' ')
      .trim();
  // A summary copies the body's first plain sentence, as a model that copies would; the title
  // when the excerpt has no such sentence.
  const sentence =
    part === 'body'
      ? body
          .join(' ')
          .split(/(?<=[.!?。！？])\s+/)
          .map(clean)
          .find((text) => text.split(/\s+/).length >= 5 && text.length <= 300 && !/[[\]<>{}`$]/.test(text))
      : undefined;
  return sentence ?? (clean(title) || 'Update');
}

/** A faithful model: every sentence copied from the excerpt it cites. */
export function faithfulAnswer(request: MockRequest): unknown {
  const excerpts = [...excerptsOf(request.prompt).entries()];
  const sentence = ([n, text]: [number, string]) => ({ text: copiedSentence(text), cites: [n] });
  if (taskOf(request.prompt) === 'demo') return faithfulDemo(request);
  if (taskOf(request.prompt) === 'story') {
    // A headline in the report language: the source title behind a short label of our own.
    const label = /Simplified Chinese/.test(request.system) ? '快讯：' : 'in brief: ';
    const headline = sentence(excerpts[0]!);
    return {
      headline: { ...headline, text: `${label}${headline.text}` },
      summary: excerpts.slice(0, 2).map(([n, text]) => ({ text: copiedSentence(text, 'body'), cites: [n] })),
    };
  }
  const storyLines = [...request.prompt.matchAll(/^Story \d+ \(section (\w+)\): excerpts ((?:\[\d+\] ?)+)$/gm)];
  return {
    executiveSummary: excerpts.slice(0, 3).map(sentence),
    sections: sectionsOf(request.prompt).map((section) => {
      const numbers = storyLines
        .filter((line) => line[1] === section)
        .flatMap((line) => [...line[2]!.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
      return {
        section,
        analysis: numbers.slice(0, 2).map((n) => sentence([n, excerptsOf(request.prompt).get(n) ?? ''])),
      };
    }),
    developerGuide: excerpts.slice(0, 2).map(sentence),
    risks: excerpts.slice(1, 2).map(sentence),
    outlook: excerpts.slice(2, 3).map(sentence),
  };
}
