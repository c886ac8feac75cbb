/**
 * The logging interface every stage receives. Logs go to stderr or a log file (src/cli/logger.ts),
 * never into a report: nothing that renders output takes a Logger.
 */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
