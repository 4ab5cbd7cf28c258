import assert from 'node:assert/strict';
import { allows, readsOnlyOwnStatements } from '../../../../src/xapi/credentials/scopes.js';
import {
  hashSecret,
  newCredentialKey,
  tenantOfCredentialKey,
  verifySecret,
} from '../../../../src/xapi/credentials/secret-hash.js';

describe('LRS credential scopes (Communication 4.1)', () => {
  it('all allows everything; all/read allows every read and no write', () => {
    assert.ok(allows(['all'], 'statements/write', true));
    assert.ok(allows(['all/read'], 'state', false));
    assert.ok(!allows(['all/read'], 'state', true));
  });

  it('statements/read/mine allows reads limited to the credential’s own statements', () => {
    assert.ok(allows(['statements/read/mine'], 'statements/read', false));
    assert.ok(readsOnlyOwnStatements(['statements/read/mine', 'statements/write']));
    assert.ok(!readsOnlyOwnStatements(['statements/read']));
  });

  it('state and profile are separate', () => {
    assert.ok(allows(['state'], 'state', true));
    assert.ok(!allows(['state'], 'profile', true));
  });
});

describe('credential keys and secrets', () => {
  it('a key carries its tenant id', () => {
    const tenant = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
    const key = newCredentialKey(tenant);
    assert.equal(key.length, 38);
    assert.equal(tenantOfCredentialKey(key), tenant);
    assert.equal(tenantOfCredentialKey('short'), undefined);
  });

  it('verifies a secret against its scrypt hash and refuses another', async () => {
    const hash = await hashSecret('correct horse');
    assert.ok(await verifySecret('correct horse', hash));
    assert.ok(!(await verifySecret('wrong horse', hash)));
    assert.ok(!(await verifySecret('correct horse', 'bcrypt$whatever')));
  });
});
