import type { Config } from '../config/load.js';
import { createGitPublisher } from './git.js';
import type { Publisher } from './publisher.js';

/** The publishers a config asks for, in the order they run (none → the files are only written). */
export function createPublishers(config: Pick<Config, 'publish'>): Publisher[] {
  const publishers: Publisher[] = [];
  if (config.publish.git) publishers.push(createGitPublisher(config.publish.git));
  return publishers;
}
