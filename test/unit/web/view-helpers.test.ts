import assert from 'node:assert/strict';
import { jsonForScript } from '../../../src/web/view-helpers.js';

describe('jsonForScript', () => {
  const hostile = {
    header: '</script><script>window.__xss=1</script>',
    comment: '<!-- a & b -->',
    line: '\u2028',
  };

  it('writes no character that can end a script element or open a comment in it', () => {
    const out = jsonForScript(hostile);
    assert.doesNotMatch(out, /[<>&\u2028\u2029]/);
    assert.match(out, /\\u003c\/script\\u003e/);
  });

  it('reads back as the same value', () => {
    assert.deepEqual(JSON.parse(jsonForScript(hostile)), hostile);
  });
});
