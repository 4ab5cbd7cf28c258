import type { Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { StatementService } from '../../xapi/statements/statement-service.js';
import { NAMESPACE } from '../vocabulary.js';
import type { Statement } from './capture-statements.js';

/** The authority of statements Yardstick's own pages capture (xAPI Data 2.4.9). */
export const CAPTURE_AUTHORITY = {
  objectType: 'Agent',
  name: 'Yardstick learner capture',
  account: { homePage: NAMESPACE, name: 'capture' },
} as const;

/**
 * Writes captured statements through the LRS's own store (same validation, same tables, visible to
 * /xapi queries of the tenant) inside the caller's transaction, so progress and its statements commit
 * together. No LRS credential sent them, so the credential id is empty.
 */
export function captureStore(statements: StatementService) {
  return async (trx: Transaction<Database>, tenantId: string, batch: Statement[]): Promise<void> => {
    if (batch.length === 0) return;
    await statements.storeWithin(trx, {
      principal: { tenantId, credentialId: null, scopes: ['all'], authority: { ...CAPTURE_AUTHORITY } },
      version: '1.0.3',
      body: Buffer.from(JSON.stringify(batch)),
      contentType: 'application/json',
    });
  };
}
