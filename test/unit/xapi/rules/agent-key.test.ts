import assert from 'node:assert/strict';
import { agentIfi, agentKey } from '../../../../src/xapi/rules/agent-key.js';
import { parseAgentParameter } from '../../../../src/xapi/rules/agent-parameter.js';

describe('agentKey', () => {
  it('gives the same key to mboxes that differ only in the case of the domain', () => {
    assert.equal(
      agentKey({ mbox: 'mailto:Jo@Example.COM' }),
      agentKey({ objectType: 'Agent', mbox: 'mailto:Jo@example.com', name: 'Jo' }),
    );
  });
  it('gives different keys to mboxes whose local parts differ in case', () => {
    assert.notEqual(agentKey({ mbox: 'mailto:Jo@example.com' }), agentKey({ mbox: 'mailto:jo@example.com' }));
  });
  it('keys each identifier kind separately, so an openid never equals an mbox', () => {
    assert.equal(agentKey({ openid: 'http://openid.example.org/1' }), 'openid:http://openid.example.org/1');
    assert.equal(
      agentKey({ mbox_sha1sum: 'CD9B00A5611F94EAA7B1661EDAB976068E364975' }),
      'mbox_sha1sum:cd9b00a5611f94eaa7b1661edab976068e364975',
    );
    assert.equal(
      agentKey({ account: { homePage: 'http://example.com', name: 'a|b' } }),
      'account:["http://example.com","a|b"]',
    );
  });
  it('keys an identified Group by its identifier and gives an anonymous Group no key', () => {
    assert.equal(
      agentKey({ objectType: 'Group', mbox: 'mailto:t@example.com', member: [] }),
      'mbox:mailto:t@example.com',
    );
    assert.equal(agentKey({ objectType: 'Group', member: [{ mbox: 'mailto:a@example.com' }] }), undefined);
  });
  it('gives no key when there are two identifiers', () => {
    assert.equal(
      agentKey({ mbox: 'mailto:a@example.com', openid: 'http://openid.example.org/1' }),
      undefined,
    );
  });
  it('extracts the identifier alone', () => {
    assert.deepEqual(
      agentIfi({ objectType: 'Agent', name: 'A', account: { homePage: 'http://x.com', name: '1' } }),
      { account: { homePage: 'http://x.com', name: '1' } },
    );
  });
});

describe('parseAgentParameter', () => {
  it('parses an Agent and returns its key', () => {
    const result = parseAgentParameter('{"objectType":"Agent","mbox":"mailto:Jo@Example.com"}');
    assert.ok(result.ok);
    assert.equal(result.key, 'mbox:mailto:Jo@example.com');
    assert.equal(result.objectType, 'Agent');
  });
  it('accepts an identified Group', () => {
    const result = parseAgentParameter(
      '{"objectType":"Group","account":{"homePage":"http://example.com","name":"team"}}',
    );
    assert.ok(result.ok);
    assert.equal(result.objectType, 'Group');
  });
  it('rejects text that is not JSON', () => {
    const result = parseAgentParameter('mailto:jo@example.com');
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /not valid JSON/);
  });
  it('rejects an anonymous Group, which identifies nobody', () => {
    const result = parseAgentParameter('{"objectType":"Group","member":[{"mbox":"mailto:a@example.com"}]}');
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /no identifier/);
  });
  it('validates the parameter like a statement actor', () => {
    const twoIfis = parseAgentParameter(
      '{"mbox":"mailto:a@example.com","openid":"http://openid.example.org/1"}',
    );
    assert.ok(!twoIfis.ok);
    assert.ok(twoIfis.errors.some((e) => e.path === 'agent' && /exactly one/.test(e.message)));
    const badSha = parseAgentParameter('{"mbox_sha1sum":"abc"}');
    assert.ok(!badSha.ok);
    assert.equal(badSha.errors[0]!.path, 'agent.mbox_sha1sum');
    const unknown = parseAgentParameter('{"mbox":"mailto:a@example.com","age":3}');
    assert.ok(!unknown.ok);
    assert.equal(unknown.errors[0]!.path, 'agent.age');
  });
  it('rejects an empty parameter and a JSON array', () => {
    assert.ok(!parseAgentParameter('').ok);
    assert.ok(!parseAgentParameter('[{"mbox":"mailto:a@example.com"}]').ok);
  });
});
