/**
 * Report → JSON: `{ schemaVersion: 1, ...report }` with object keys sorted recursively (a stable
 * order that does not depend on how the report object was built), 2-space indent, trailing
 * newline. docs/report-json-schema.md describes the fields; docs/report.schema.json is the schema.
 */
import type { Report } from '../core/report.js';
import { publishableReport } from '../core/source-text.js';

/** Version of the JSON layout; bumped on any incompatible change. */
export const REPORT_SCHEMA_VERSION = 1;

/** A copy of `value` with every object's keys in code-unit order; `undefined` members dropped. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((entry) => sortKeysDeep(entry));
  if (value !== null && typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(source).sort()) {
      if (source[key] !== undefined) out[key] = sortKeysDeep(source[key]);
    }
    return out;
  }
  return value;
}

/**
 * Render the report as JSON text. Same report → byte-identical text. Source text is written as
 * `publishableReport` makes it (controls removed, credential-looking tokens redacted).
 */
export function renderJson(report: Report): string {
  const safe = withoutDroppedText(publishableReport(report));
  return `${JSON.stringify(sortKeysDeep({ schemaVersion: REPORT_SCHEMA_VERSION, ...safe }), null, 2)}\n`;
}

/**
 * The published JSON names each sentence the check dropped by its piece, reason and failing token,
 * never by its text: an unsupported claim is not published, even as a dropped one (`run --json`,
 * which is not published, carries the text).
 */
function withoutDroppedText(report: Report): Report {
  if (!report.llm) return report;
  const droppedSentences = report.llm.droppedSentences.map(({ text: _text, ...rest }) => rest);
  return { ...report, llm: { ...report.llm, droppedSentences } };
}
