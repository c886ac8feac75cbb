import { checkProvider, type DoctorResult } from '../../analyze/llm/doctor.js';
import { createPolicedFetch } from '../../http/live-transport.js';
import { type GlobalOptions, loadCheckedConfig } from '../context.js';

export interface DoctorSummary {
  /** False when the config has no `llm` section (the report is then extractive). */
  llmConfigured: boolean;
  llm?: DoctorResult;
}

/** `ai-daily doctor`: checks the configured LLM provider with at most one small call. */
export async function doctorCommand(options: GlobalOptions): Promise<DoctorSummary> {
  const config = loadCheckedConfig(options);
  if (!config.llm) return { llmConfigured: false };
  return {
    llmConfigured: true,
    llm: await checkProvider(config.llm, { fetch: createPolicedFetch({ allowHosts: config.http.allowHosts }) }),
  };
}

export function formatDoctor(summary: DoctorSummary): string {
  if (!summary.llmConfigured || !summary.llm) {
    return 'llm: not configured — reports are extractive (add an `llm` section to use --mode llm)\n';
  }
  const llm = summary.llm;
  const lines = [`llm: ${llm.provider} · ${llm.model} at ${llm.baseURL}: ${llm.ok ? 'ok' : 'FAILED'}`];
  for (const check of llm.checks) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  return `${lines.join('\n')}\n`;
}
