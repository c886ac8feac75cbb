import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceConfig } from '../core/types.js';
import { hostTurns } from './collect.js';

function source(id: string, url: string): SourceConfig {
  return {
    id,
    name: id,
    kind: 'feed',
    url,
    authority: 0.5,
    section: 'applications',
    enabled: true,
    filterTopics: false,
    params: {},
  };
}

describe('hostTurns', () => {
  it('starts the first source of every host before the second of any', () => {
    const sources = [
      source('a1', 'https://a.example/1'),
      source('a2', 'https://a.example/2'),
      source('a3', 'https://a.example/3'),
      source('b1', 'https://b.example/1'),
      source('c1', 'https://c.example/1'),
      source('b2', 'https://b.example/2'),
      source('bad', 'not a url'),
    ];
    assert.deepEqual(
      hostTurns(sources).map((index) => sources[index]!.id),
      ['a1', 'b1', 'c1', 'bad', 'a2', 'b2', 'a3'],
    );
  });

  it('keeps the config order when every host is different', () => {
    const sources = [source('x', 'https://x.example/'), source('y', 'https://y.example/')];
    assert.deepEqual(hostTurns(sources), [0, 1]);
  });
});
