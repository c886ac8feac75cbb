/**
 * Charts as SVG, rendered on the server: pure functions from numbers and labels to an SVG string
 * (no script, no style attribute, so the page's Content-Security-Policy holds). Every label is
 * escaped; numbers that are not finite count as 0. Colours come from a fixed palette by series order.
 */
import { escapeHtml } from '../render/html.js';

const PALETTE = ['#0969da', '#1a7f37', '#bf8700', '#cf222e', '#8250df', '#1b7c83', '#bc4c00', '#6e7781'];

export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

function num(value: number): number {
  return Number.isFinite(value) ? value : 0;
}

/** A coordinate with at most one decimal (stable, short output). */
function c(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function frame(width: number, height: number, title: string, body: string[], id: string): string {
  const titleId = `${id}-title`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId}">`,
    `<title id="${titleId}">${escapeHtml(title)}</title>`,
    ...body,
    '</svg>',
  ].join('');
}

export interface StackedBarsInput {
  /** Chart id (unique on the page; letters, digits and dashes). */
  id: string;
  title: string;
  /** One label per bar (e.g. dates). */
  categories: readonly string[];
  /** One series per stacked part (e.g. sections), each with one value per category. */
  series: readonly { name: string; values: readonly number[] }[];
}

/** Stacked vertical bars (items per section per day) with a legend. */
export function stackedBarChart(input: StackedBarsInput): string {
  const id = safeId(input.id);
  const n = input.categories.length;
  const barWidth = 28;
  const gap = 10;
  const left = 36;
  const top = 10;
  const plotHeight = 160;
  const legendRows = Math.ceil(input.series.length / 3);
  const width = Math.max(320, left + n * (barWidth + gap) + gap);
  const height = top + plotHeight + 44 + legendRows * 18;
  const totals = input.categories.map((_, i) =>
    input.series.reduce((sum, s) => sum + Math.max(0, num(s.values[i] ?? 0)), 0),
  );
  const max = Math.max(1, ...totals);
  const body: string[] = [];
  // Axis and the maximum's gridline.
  body.push(
    `<line x1="${left}" y1="${top + plotHeight}" x2="${width - 4}" y2="${top + plotHeight}" stroke="#8888" />`,
    `<line x1="${left}" y1="${top}" x2="${width - 4}" y2="${top}" stroke="#8884" stroke-dasharray="3 3" />`,
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end" font-size="10" fill="currentColor">${max}</text>`,
    `<text x="${left - 4}" y="${top + plotHeight}" text-anchor="end" font-size="10" fill="currentColor">0</text>`,
  );
  input.categories.forEach((category, i) => {
    const x = left + gap + i * (barWidth + gap);
    let y = top + plotHeight;
    input.series.forEach((s, k) => {
      const value = Math.max(0, num(s.values[i] ?? 0));
      if (value === 0) return;
      const height = (value / max) * plotHeight;
      y -= height;
      body.push(
        `<rect x="${c(x)}" y="${c(y)}" width="${barWidth}" height="${c(height)}" fill="${paletteColor(k)}"><title>${escapeHtml(`${category} · ${s.name}: ${value}`)}</title></rect>`,
      );
    });
    body.push(
      `<text x="${c(x + barWidth / 2)}" y="${top + plotHeight + 14}" text-anchor="middle" font-size="9" fill="currentColor">${escapeHtml(shortLabel(category))}</text>`,
    );
  });
  input.series.forEach((s, k) => {
    const lx = left + (k % 3) * 110;
    const ly = top + plotHeight + 34 + Math.floor(k / 3) * 18;
    body.push(
      `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${paletteColor(k)}" />`,
      `<text x="${lx + 14}" y="${ly}" font-size="11" fill="currentColor">${escapeHtml(truncate(s.name, 16))}</text>`,
    );
  });
  return frame(width, height, input.title, body, id);
}

export interface BarsInput {
  id: string;
  title: string;
  bars: readonly { label: string; value: number; note?: string }[];
  /** What the chart says when there are no bars. */
  empty?: string;
}

/** Horizontal bars, one per label, longest first as given (rising terms). */
export function horizontalBarChart(input: BarsInput): string {
  const id = safeId(input.id);
  const labelWidth = 150;
  const plotWidth = 260;
  const rowHeight = 20;
  const width = labelWidth + plotWidth + 60;
  const height = Math.max(1, input.bars.length) * rowHeight + 10;
  const max = Math.max(1, ...input.bars.map((bar) => num(bar.value)));
  const body: string[] = [];
  input.bars.forEach((bar, i) => {
    const value = Math.max(0, num(bar.value));
    const y = 5 + i * rowHeight;
    const w = (value / max) * plotWidth;
    body.push(
      `<text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end" font-size="12" fill="currentColor">${escapeHtml(truncate(bar.label, 20))}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${c(Math.max(1, w))}" height="${rowHeight - 6}" fill="${paletteColor(0)}"><title>${escapeHtml(`${bar.label}: ${bar.note ?? value}`)}</title></rect>`,
      `<text x="${c(labelWidth + Math.max(1, w) + 4)}" y="${y + 13}" font-size="11" fill="currentColor">${escapeHtml(bar.note ?? String(value))}</text>`,
    );
  });
  if (input.bars.length === 0) {
    body.push(`<text x="10" y="20" font-size="12" fill="currentColor">${escapeHtml(input.empty ?? 'no data')}</text>`);
  }
  return frame(width, Math.max(height, 30), input.title, body, id);
}

export interface GridInput {
  id: string;
  title: string;
  /** Column labels (dates). */
  columns: readonly string[];
  /** One row per source: per column the share of successful fetches (0..1), or null (not fetched). */
  rows: readonly { label: string; cells: readonly (number | null)[] }[];
  /** A cell's words (the page's language): a day not fetched, and a share of successful fetches. */
  notFetched?: string;
  shareOk?: (percent: number) => string;
}

/** A grid of cells, green when every fetch of the day succeeded, red when none did, grey when none ran. */
export function availabilityChart(input: GridInput): string {
  const id = safeId(input.id);
  const labelWidth = 170;
  const cell = 16;
  const width = labelWidth + Math.max(1, input.columns.length) * (cell + 2) + 10;
  const height = 24 + input.rows.length * (cell + 2) + 4;
  const body: string[] = [];
  input.columns.forEach((column, j) => {
    if (j % 2 !== 0 && input.columns.length > 8) return;
    body.push(
      `<text x="${labelWidth + j * (cell + 2) + cell / 2}" y="14" text-anchor="middle" font-size="8" fill="currentColor">${escapeHtml(shortLabel(column))}</text>`,
    );
  });
  input.rows.forEach((row, i) => {
    const y = 22 + i * (cell + 2);
    body.push(
      `<text x="${labelWidth - 6}" y="${y + 12}" text-anchor="end" font-size="11" fill="currentColor">${escapeHtml(truncate(row.label, 24))}</text>`,
    );
    input.columns.forEach((column, j) => {
      const share = row.cells[j] ?? null;
      const fill = share === null ? '#8883' : availabilityColor(share);
      const percent = Math.round(num(share ?? 0) * 100);
      const text =
        share === null ? (input.notFetched ?? 'not fetched') : (input.shareOk?.(percent) ?? `${percent}% ok`);
      body.push(
        `<rect x="${labelWidth + j * (cell + 2)}" y="${y}" width="${cell}" height="${cell}" rx="2" fill="${fill}"><title>${escapeHtml(`${row.label} · ${column}: ${text}`)}</title></rect>`,
      );
    });
  });
  return frame(width, height, input.title, body, id);
}

function availabilityColor(share: number): string {
  const s = Math.min(1, Math.max(0, num(share)));
  if (s >= 1) return '#1a7f37';
  if (s <= 0) return '#cf222e';
  return '#bf8700';
}

/** `2026-08-22` → `08-22`; other labels as they are. */
function shortLabel(label: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(label) ? label.slice(5) : truncate(label, 8);
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function safeId(id: string): string {
  return id.replace(/[^a-zA-Z0-9-]/g, '-') || 'chart';
}
