import path from 'node:path';
import { sandboxUnavailable } from '../../analyze/demo/index.js';
import { checkProvider, type DoctorResult } from '../../analyze/llm/doctor.js';
import { type GlobalOptions, loadCheckedConfig } from '../../app/context.js';
import { createPolicedFetch, createPolicedHostCheck } from '../../http/live-transport.js';
import { createChannels } from '../../publish/channels/registry.js';
import { createPublishers } from '../../publish/registry.js';

/** One publisher's or channel's check: problems, one line each (none → fine). */
export interface PublishCheck {
  /** `git`, or a channel's id (`<report id>/<channel id>` for a report's own channel). */
  name: string;
  kind: string;
  problems: string[];
}

export interface DoctorSummary {
  /** False when the config has no `llm` section (the report is then extractive). */
  llmConfigured: boolean;
  llm?: DoctorResult;
  /**
   * The demo sandbox (bubblewrap), when an LLM with demos is configured: where it cannot be made,
   * LLM reports carry no demo (and say why); the rest of the report is not affected, so this warns
   * and does not fail the check.
   */
  demoSandbox?: { ok: boolean; detail: string };
  /** Each configured publisher and delivery channel, checked without publishing or posting anything. */
  publish: PublishCheck[];
  /** True when every check passed. */
  ok: boolean;
}

/**
 * `ai-daily doctor`: checks the configured LLM provider with at most one small call, the git
 * publisher (work tree, remote reachable read-only, identity) and each delivery channel's
 * configuration — never committing, pushing or posting.
 */
export async function doctorCommand(options: GlobalOptions): Promise<DoctorSummary> {
  const config = loadCheckedConfig(options);
  const outDir = path.resolve(options.cwd ?? process.cwd(), config.output.dir);
  const publish: PublishCheck[] = [];
  for (const publisher of createPublishers(config)) {
    publish.push({ name: publisher.name, kind: publisher.name, problems: await publisher.check(outDir) });
  }
  const checkHost = createPolicedHostCheck({ allowHosts: config.http.allowHosts });
  for (const channel of createChannels(config.publish.channels)) {
    publish.push({ name: channel.id, kind: channel.kind, problems: await channel.check({ checkHost }) });
  }
  // A report's own channels (reports[].channels), named `<report id>/<channel id>`.
  for (const report of config.reports.filter((r) => r.channelsAt !== 'publish.channels')) {
    for (const channel of createChannels(report.channels)) {
      publish.push({
        name: `${report.id}/${channel.id}`,
        kind: channel.kind,
        problems: await channel.check({ checkHost }),
      });
    }
  }
  const llm = config.llm
    ? await checkProvider(config.llm, { fetch: createPolicedFetch({ allowHosts: config.http.allowHosts }) })
    : undefined;
  let demoSandbox: DoctorSummary['demoSandbox'];
  if (config.llm?.demo.enabled) {
    const why = await sandboxUnavailable({ python: config.llm.demo.python, bwrap: config.llm.demo.bwrap });
    demoSandbox =
      why === undefined
        ? {
            ok: true,
            detail: `bubblewrap runs ${config.llm.demo.python} with no network, no host files and no new process`,
          }
        : { ok: false, detail: `${why}: LLM reports will carry no demo (install bubblewrap; see the README)` };
  }
  const ok = (llm === undefined || llm.ok) && publish.every((check) => check.problems.length === 0);
  return {
    llmConfigured: llm !== undefined,
    ...(llm ? { llm } : {}),
    ...(demoSandbox ? { demoSandbox } : {}),
    publish,
    ok,
  };
}

export function formatDoctor(summary: DoctorSummary): string {
  const lines: string[] = [];
  if (!summary.llmConfigured || !summary.llm) {
    lines.push('llm: not configured — reports are extractive (add an `llm` section to use --mode llm)');
  } else {
    const llm = summary.llm;
    lines.push(`llm: ${llm.provider} · ${llm.model} at ${llm.baseURL}: ${llm.ok ? 'ok' : 'FAILED'}`);
    for (const check of llm.checks) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  }
  if (summary.demoSandbox) {
    lines.push(`demo sandbox: ${summary.demoSandbox.ok ? 'ok' : 'WARN'} — ${summary.demoSandbox.detail}`);
  }
  if (summary.publish.length === 0) {
    lines.push('publish: not configured — reports are only written to the output folder');
  }
  for (const check of summary.publish) {
    const label = check.name === check.kind ? check.name : `${check.name} (${check.kind})`;
    lines.push(`${label}: ${check.problems.length === 0 ? 'ok' : 'FAILED'}`);
    for (const problem of check.problems) lines.push(`  FAIL ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
