import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collapse, singleSpaced } from './shared.js';

describe('singleSpaced / collapse', () => {
  it('makes every run of white space one space, as replacing each run (/\\s+/g) does', () => {
    const parts = ['a', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2028', '\ufeff', ' \t ', 'b c', ''];
    for (const first of parts) {
      for (const second of parts) {
        for (const third of parts) {
          const text = `${first}x${second}y${third}`;
          assert.equal(singleSpaced(text), text.replace(/\s+/g, ' '), JSON.stringify(text));
        }
      }
    }
  });

  it('trims, and gives undefined when nothing is left', () => {
    assert.equal(collapse('  An\n abstract\twith  runs  '), 'An abstract with runs');
    assert.equal(collapse(' \n\t '), undefined);
    assert.equal(collapse(undefined), undefined);
  });
});
