import pc from 'picocolors';
import type { Logger } from '../core/log.js';
import { redact } from '../core/redact.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

/**
 * The one Logger implementation: plain lines on stderr (colour only on a terminal, never with
 * NO_COLOR). stdout is reserved for `--json` output.
 */
export function createStderrLogger(verbosity: Verbosity, stream: NodeJS.WritableStream = process.stderr): Logger {
  const colors = pc.createColors(Boolean((stream as NodeJS.WriteStream).isTTY) && !process.env.NO_COLOR);
  // Every line is redacted: a secret from the config never reaches the terminal or a log file.
  const write = (line: string) => {
    stream.write(`${redact(line)}\n`);
  };
  return {
    debug: (m) => verbosity === 'verbose' && write(colors.dim(m)),
    info: (m) => verbosity !== 'quiet' && write(m),
    warn: (m) => verbosity !== 'quiet' && write(colors.yellow(`warning: ${m}`)),
    error: (m) => write(colors.red(`error: ${m}`)),
  };
}

/** A one-line progress display on a terminal; nothing otherwise (the logger prints plain lines). */
export function createProgress(stream: NodeJS.WriteStream = process.stderr) {
  const enabled = Boolean(stream.isTTY) && !process.env.CI;
  return {
    enabled,
    update(done: number, total: number, label: string) {
      if (!enabled) return;
      const width = 24;
      const filled = Math.round((done / Math.max(total, 1)) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`.padEnd(80));
    },
    end() {
      if (enabled) stream.write(`\r${' '.repeat(80)}\r`);
    },
  };
}
