import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureHint } from '../../app/collect.js';
import { ConfigError } from '../../core/errors.js';
import { checkOnlyIds } from './collect.js';

describe('failureHint', () => {
  it('asks about the network only when every failure is a network one', () => {
    const failed = (errorKind: 'dns' | 'timeout' | 'blocked' | 'parse') => ({ status: 'failed' as const, errorKind });
    assert.match(failureHint([failed('dns'), failed('timeout')]), /^is the network reachable\?/);
    assert.doesNotMatch(
      failureHint([failed('dns')], false),
      /network/,
      'a replay or the store never blames the network',
    );
    const mixed = failureHint([failed('blocked'), failed('blocked'), failed('timeout'), failed('parse')]);
    assert.doesNotMatch(mixed, /reachable/);
    assert.match(mixed, /^blocked: 2, timeout: 1, parse: 1; ai-daily sources list shows why each failed$/);
  });
});

describe('checkOnlyIds', () => {
  const sources = [{ id: 'a-feed' }, { id: 'b-feed' }];
  it('accepts known ids and names every unknown one', () => {
    checkOnlyIds(['a-feed', 'b-feed'], sources);
    assert.throws(
      () => checkOnlyIds(['a-feed', 'nope', 'nada'], sources),
      (error: unknown) => error instanceof ConfigError && /no source with id "nope", "nada"/.test(error.message),
    );
    assert.throws(() => checkOnlyIds([''], sources), /--only: no source id given/);
  });
});
