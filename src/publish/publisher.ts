/**
 * A publisher takes a run's files, already written to the output folder by `publishFiles`, and
 * publishes them somewhere else (a git remote today). Each publisher is handed exactly the files of
 * the run and must publish those and nothing else in the folder. A failure throws a PublishError
 * whose kind names the step (`commit`, `push`); whatever the publisher could keep for the next run
 * (a local commit not yet pushed) it keeps.
 */
import type { Report } from '../core/report.js';

export interface PublishRequest {
  /** The output folder (absolute), where the run's files are. */
  outDir: string;
  /** The run's files, relative to `outDir` (forward slashes). */
  files: string[];
  date: string;
  language: 'zh' | 'en';
  /** The report's id (`reports:` in the config); absent → `default`. */
  reportId?: string;
  report: Report;
}

export interface PublishOutcome {
  /** The publisher's name (`git`). */
  publisher: string;
  /** Whether this run changed what is published (false: the files were already published as they are). */
  changed: boolean;
  /** The publisher's id of what this run made (a commit hash), when it made something. */
  id?: string;
  /** Earlier unpublished work that this run published as well (commits of failed pushes). */
  caughtUp: number;
  /** One line for the log. */
  detail: string;
}

export interface Publisher {
  readonly name: string;
  publish(request: PublishRequest): Promise<PublishOutcome>;
  /**
   * Checks that publishing to `outDir` can work, changing nothing anywhere (for `ai-daily doctor`):
   * one line per problem, empty when fine.
   */
  check(outDir: string): Promise<string[]>;
}
