import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { availabilityChart, horizontalBarChart, paletteColor, stackedBarChart } from './charts.js';

/** The chart inside an HTML document, as a browser would read it inline. */
function parse(svg: string) {
  return parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`).document;
}

function assertInert(svg: string) {
  const document = parse(svg);
  assert.equal(document.querySelectorAll('script').length, 0);
  for (const element of document.querySelectorAll('*')) {
    for (const name of element.getAttributeNames()) {
      assert.ok(!name.startsWith('on'), `no event handler: ${name}`);
      assert.notEqual(name, 'style', 'no style attribute (the CSP allows none)');
    }
  }
}

describe('SVG charts', () => {
  it('stacks one bar per category, each part as tall as its share of the largest total', () => {
    const svg = stackedBarChart({
      id: 'sections',
      title: 'Items per section',
      categories: ['2026-08-21', '2026-08-22'],
      series: [
        { name: 'llm', values: [2, 4] },
        { name: 'papers', values: [2, 0] },
      ],
    });
    const document = parse(svg);
    assert.equal(document.querySelector('svg')?.getAttribute('role'), 'img');
    assert.equal(document.querySelector('svg > title')?.textContent, 'Items per section');
    const bars = [...document.querySelectorAll('rect')].filter((r) => r.querySelector('title'));
    assert.deepEqual(
      bars.map((r) => [r.querySelector('title')?.textContent, r.getAttribute('height'), r.getAttribute('fill')]),
      [
        ['2026-08-21 · llm: 2', '80', paletteColor(0)],
        ['2026-08-21 · papers: 2', '80', paletteColor(1)],
        ['2026-08-22 · llm: 4', '160', paletteColor(0)],
      ],
    );
    assert.ok(svg.includes('>08-22<'), 'dates shortened to month-day');
    assertInert(svg);
  });

  it('escapes every label, and treats numbers that are not finite as 0', () => {
    const hostile = '<script>alert(1)</script>" onload="alert(2)';
    const svgs = [
      stackedBarChart({
        id: 'x"><script>',
        title: hostile,
        categories: [hostile],
        series: [{ name: hostile, values: [Number.NaN] }],
      }),
      horizontalBarChart({
        id: 'b',
        title: hostile,
        bars: [{ label: hostile, value: Number.POSITIVE_INFINITY, note: hostile }],
      }),
      availabilityChart({ id: 'c', title: hostile, columns: [hostile], rows: [{ label: hostile, cells: [0.5] }] }),
    ];
    for (const svg of svgs) {
      assert.ok(!svg.includes('<script'), svg);
      assert.ok(!svg.includes('" onload'), svg);
      assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'), svg);
      assertInert(svg);
    }
  });

  it('draws horizontal bars in proportion, with their notes', () => {
    const svg = horizontalBarChart({
      id: 'rising',
      title: 'Rising terms',
      bars: [
        { label: '智能体', value: 4, note: '4 day(s)' },
        { label: 'Qwen', value: 2 },
      ],
    });
    const rects = [...parse(svg).querySelectorAll('rect')];
    assert.deepEqual(
      rects.map((r) => r.getAttribute('width')),
      ['260', '130'],
    );
    assert.ok(svg.includes('>智能体<') && svg.includes('>4 day(s)<') && svg.includes('>2<'));
    assert.ok(horizontalBarChart({ id: 'e', title: 'none', bars: [] }).includes('no data'));
  });

  it('colours availability: all fetches ok, none ok, some, and not fetched', () => {
    const svg = availabilityChart({
      id: 'availability',
      title: 'Availability',
      columns: ['2026-08-20', '2026-08-21', '2026-08-22', '2026-08-23'],
      rows: [{ label: 'OpenAI News', cells: [1, 0, 0.5, null] }],
    });
    const cells = [...parse(svg).querySelectorAll('rect')];
    assert.deepEqual(
      cells.map((r) => r.getAttribute('fill')),
      ['#1a7f37', '#cf222e', '#bf8700', '#8883'],
    );
    assert.deepEqual(
      cells.map((r) => r.querySelector('title')?.textContent),
      [
        'OpenAI News · 2026-08-20: 100% ok',
        'OpenAI News · 2026-08-21: 0% ok',
        'OpenAI News · 2026-08-22: 50% ok',
        'OpenAI News · 2026-08-23: not fetched',
      ],
    );
  });
});
