/**
 * What the "about this report" section says of an LLM report, for every renderer: the model, how
 * many stories it wrote, what the citation check kept and dropped per part, which pieces fell back
 * and why (the endpoint's timeout, an HTTP error, the budget, the deadline, the check …), and the
 * demo. Plain text: each renderer escapes it its own way.
 */
import { LLM_PARTS, type LlmPieceOutcome, type Report } from '../core/report.js';
import type { RenderStrings } from './i18n.js';

export interface AboutEntry {
  line: string;
  /** Lines under it (one per part). */
  sub: string[];
}

/** "the endpoint timed out: 10; over the run's budget: 2", most frequent first. */
function causeList(pieces: readonly LlmPieceOutcome[], strings: RenderStrings): string {
  const counts = new Map<string, number>();
  for (const piece of pieces) {
    if (piece.writtenBy === 'model' || !piece.cause) continue;
    const name = strings.llm.causeName(piece.cause, piece.status);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, count]) => strings.llm.causeCount(name, count))
    .join(strings.listSeparator);
}

/** The mode as "about this report" describes it: an LLM report the model wrote nothing of says so. */
export function aboutModeText(report: Report, strings: RenderStrings): string {
  const pieces = report.llm?.pieces ?? [];
  const none = report.manifest.mode === 'llm' && pieces.length > 0 && pieces.every((p) => p.writtenBy !== 'model');
  return none ? modeName(report, strings) : strings.aboutMode[report.manifest.mode];
}

/** The report's mode as the header names it: an LLM report that the model wrote only in part says so. */
export function modeName(report: Report, strings: RenderStrings): string {
  const llm = report.llm;
  if (report.manifest.mode !== 'llm' || !llm) return strings.modeName[report.manifest.mode];
  const pieces = llm.pieces ?? [];
  if (pieces.length > 0 && pieces.every((piece) => piece.writtenBy !== 'model')) {
    // The most frequent cause (the first of equals) names why; "kept failing" only when nothing else
    // does (it follows from the failures it counts).
    const counts = new Map<string, number>();
    const root = pieces.some((piece) => piece.cause && piece.cause !== 'endpoint-failing');
    for (const piece of pieces) {
      if (!piece.cause || (root && piece.cause === 'endpoint-failing')) continue;
      const name = strings.llm.causeName(piece.cause, piece.status);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    const [name] = [...counts].reduce<[string, number]>((best, entry) => (entry[1] > best[1] ? entry : best), ['', 0]);
    return strings.llm.modeNone(name);
  }
  if (llm.storiesWritten !== undefined && llm.storiesWritten < llm.storiesTotal) {
    return strings.llm.modePartial(llm.storiesWritten, llm.storiesTotal);
  }
  return strings.modeName.llm;
}

/** The about section's LLM entries, unescaped (`escapeText` is applied to names that come from the config or the run). */
export function llmAboutEntries(
  report: Report,
  strings: RenderStrings,
  escapeText: (text: string) => string,
): AboutEntry[] {
  const llm = report.llm;
  if (!llm) return [];
  const c = strings.colon;
  const pieces = llm.pieces ?? [];
  const parts = LLM_PARTS.map((part) => [part, llm.verification[part]] as const);
  const total = parts.reduce(
    (sum, [, part]) => ({
      checked: sum.checked + part.checked,
      kept: sum.kept + part.kept,
      dropped: sum.dropped + part.dropped,
    }),
    { checked: 0, kept: 0, dropped: 0 },
  );
  const storyCauses = causeList(
    pieces.filter((piece) => piece.part === 'storySummaries'),
    strings,
  );
  const written = llm.storiesWritten ?? llm.storiesAnalysed;
  const entries: AboutEntry[] = [
    { line: `${strings.llm.model}${c}${escapeText(`${llm.provider} · ${llm.model} · ${llm.promptVersion}`)}`, sub: [] },
    {
      line: strings.llm.storiesWritten(written, llm.storiesTotal, storyCauses),
      sub: [],
    },
  ];
  const sub: string[] = [];
  for (const [name, part] of parts) {
    if (part.units === 0) continue;
    const causes = causeList(
      pieces.filter((piece) => piece.part === name),
      strings,
    );
    const fallback =
      part.fallbacks > 0
        ? `${strings.listSeparator}${strings.llm.fallbacks(part.fallbacks, part.units)}${causes ? strings.parenthesize(causes) : ''}`
        : '';
    sub.push(
      `${strings.llm.partNames[name]}${c}${strings.llm.verificationLine(part.checked, part.kept, part.dropped)}${fallback}`,
    );
  }
  entries.push({
    line: `${strings.llm.verification}${c}${strings.llm.verificationLine(total.checked, total.kept, total.dropped)}`,
    sub,
  });
  if (report.demo) {
    entries.push({
      line: `${strings.llm.demo}${c}${strings.llm.demoAbout(escapeText(report.demo.path), report.demo.attempts)}`,
      sub: [],
    });
  } else if (report.demoAbsence) {
    const cause = report.demoAbsence.cause;
    entries.push({
      line: `${strings.llm.demo}${c}${strings.llm.demoAbsent[report.demoAbsence.reason]}${
        cause ? `${strings.listSeparator}${strings.llm.demoCause(strings.llm.causeName(cause))}` : ''
      }`,
      sub: [],
    });
  }
  return entries;
}
