import assert from 'node:assert/strict';
import { stringify } from 'lossless-json';
import { parseJsonLossless, serializeJson } from '../../../../src/xapi/rules/json.js';

const parsed = (text: string) => {
  const result = parseJsonLossless(text);
  assert.ok(result.ok);
  return result.value;
};

describe('serializeJson', () => {
  it('writes every number back as it was received, whichever serializer writes it', () => {
    for (const n of [
      '0',
      '-0',
      '12',
      '0.5',
      '1.0',
      '1e2',
      '1E+2',
      '-1.5e-7',
      '1e21',
      '1e400',
      '123456789012345678901234',
      '0.1000000000000000055511151231257827',
      '5e-324',
      '9007199254740993',
    ]) {
      const text = `{"a":${n},"b":[${n},{"c":${n}}],"s":"${n}"}`;
      assert.equal(serializeJson(parsed(text)), text, n);
    }
  });

  it('writes what lossless-json writes: strings with escapes, NUL, null, booleans, nesting, "__proto__" keys', () => {
    const text = String.raw`{"s":"q\"b\\n\u0000\ud83d\ude00\ud800","n":null,"t":true,"f":false,"o":{"__proto__":1,"e":[]},"x":{}}`;
    const value = parsed(text);
    assert.equal(serializeJson(value), stringify(value));
  });

  it('drops undefined properties and writes undefined array items as null, as JSON.stringify does', () => {
    assert.equal(serializeJson({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}');
  });
});
