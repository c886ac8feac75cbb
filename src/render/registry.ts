import type { Report } from '../core/report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

/** Report → one file. A new output format (HTML, RSS) is one more renderer here. */
export interface Renderer {
  /** File extension, without the dot: the file is `<report base path>.<extension>`. */
  readonly extension: string;
  render(report: Report): string;
}

export const renderers = {
  markdown: { extension: 'md', render: renderMarkdown },
  json: { extension: 'json', render: renderJson },
  html: { extension: 'html', render: renderHtml },
} as const satisfies Record<string, Renderer>;

export type RendererName = keyof typeof renderers;

/** Every renderer's output for one report, by renderer name. */
export function renderAll(report: Report): Record<RendererName, string> {
  const entries = Object.entries(renderers).map(([name, renderer]) => [name, renderer.render(report)] as const);
  return Object.fromEntries(entries) as Record<RendererName, string>;
}
