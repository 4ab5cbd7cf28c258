import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DocumentScope, StoredDocument } from '../../xapi/model.js';

/** The full row of one document, for inserts. */
function documentRow(s: DocumentScope, documentId: string, doc: StoredDocument) {
  return {
    tenant_id: s.tenantId,
    kind: s.kind,
    activity_iri: s.activityIri,
    agent_key: s.agentKey,
    registration: s.registration,
    document_id: documentId,
    content: doc.content,
    content_type: doc.contentType,
    etag: doc.etag,
    updated: doc.updated,
  };
}

/** SQL for State, Activity Profile and Agent Profile documents. */
export function createXapiDocumentRepository(db: Kysely<Database>) {
  const scoped = (s: DocumentScope) =>
    db
      .selectFrom('xapi_document')
      .where('tenant_id', '=', s.tenantId)
      .where('kind', '=', s.kind)
      .where('activity_iri', '=', s.activityIri)
      .where('agent_key', '=', s.agentKey)
      .where('registration', '=', s.registration);
  return {
    async find(s: DocumentScope, documentId: string): Promise<StoredDocument | undefined> {
      const row = await scoped(s)
        .select(['content', 'content_type', 'etag', 'updated'])
        .where('document_id', '=', documentId)
        .executeTakeFirst();
      return (
        row && { content: row.content, contentType: row.content_type, etag: row.etag, updated: row.updated }
      );
    },
    /** Document ids in scope, optionally only those updated after `since`. */
    async listIds(s: DocumentScope, since?: Date): Promise<string[]> {
      let q = scoped(s).select('document_id');
      if (since) q = q.where('updated', '>', since);
      const rows = await q.orderBy('document_id').execute();
      return rows.map((r) => r.document_id);
    },
    async upsert(s: DocumentScope, documentId: string, doc: StoredDocument): Promise<void> {
      await db
        .insertInto('xapi_document')
        .values(documentRow(s, documentId, doc))
        .onConflict((oc) =>
          oc
            .columns(['tenant_id', 'kind', 'activity_iri', 'agent_key', 'registration', 'document_id'])
            .doUpdateSet({
              content: doc.content,
              content_type: doc.contentType,
              etag: doc.etag,
              updated: doc.updated,
            }),
        )
        .execute();
    },
    /**
     * Replaces a document only if its ETag is still `expectedEtag` (or, with null, only if absent):
     * the compare-and-set behind If-Match and POST merges. Returns false when someone else won.
     */
    async replaceIf(
      s: DocumentScope,
      documentId: string,
      expectedEtag: string | null,
      doc: StoredDocument,
    ): Promise<boolean> {
      if (expectedEtag === null) {
        const r = await db
          .insertInto('xapi_document')
          .values(documentRow(s, documentId, doc))
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
      }
      const r = await db
        .updateTable('xapi_document')
        .set({ content: doc.content, content_type: doc.contentType, etag: doc.etag, updated: doc.updated })
        .where('tenant_id', '=', s.tenantId)
        .where('kind', '=', s.kind)
        .where('activity_iri', '=', s.activityIri)
        .where('agent_key', '=', s.agentKey)
        .where('registration', '=', s.registration)
        .where('document_id', '=', documentId)
        .where('etag', '=', expectedEtag)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    /** Deletes one document, or every document in scope when `documentId` is undefined. */
    async delete(s: DocumentScope, documentId?: string): Promise<void> {
      let q = db
        .deleteFrom('xapi_document')
        .where('tenant_id', '=', s.tenantId)
        .where('kind', '=', s.kind)
        .where('activity_iri', '=', s.activityIri)
        .where('agent_key', '=', s.agentKey)
        .where('registration', '=', s.registration);
      if (documentId !== undefined) q = q.where('document_id', '=', documentId);
      await q.execute();
    },
  };
}

export type XapiDocumentRepository = ReturnType<typeof createXapiDocumentRepository>;
