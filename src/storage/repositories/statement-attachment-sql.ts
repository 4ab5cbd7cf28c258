/**
 * SQL: the attachment hashes (lowercased, as intake stores them in `xapi_attachment.sha2`) that the
 * statement rows `alias` of tenant $1 matching `where` declare, on the statement and on its
 * SubStatement (xAPI Data 2.4.11). A text test comes first, so statements without attachments are not
 * parsed. Never yields null (a `NOT IN` over it stays usable).
 */
export function attachmentSha2sSql(alias: string, where: string): string {
  return `SELECT lower(a ->> 'sha2') FROM xapi_statement ${alias}
     CROSS JOIN LATERAL (VALUES (${alias}.statement::jsonb), (${alias}.statement::jsonb -> 'object')) part(j)
     CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(part.j -> 'attachments') = 'array'
                                                  THEN part.j -> 'attachments' ELSE '[]' END) a
    WHERE ${alias}.tenant_id = $1 AND ${alias}.statement LIKE '%"attachments"%' AND ${where}
      AND jsonb_typeof(a -> 'sha2') = 'string'`;
}

/**
 * Deletes the tenant's ($1) attachments that no remaining statement declares: after statements were
 * deleted (retention). Scans the tenant's statements that mention attachments.
 */
export const DELETE_ORPHAN_ATTACHMENTS = `DELETE FROM xapi_attachment t WHERE t.tenant_id = $1
  AND t.sha2 NOT IN (${attachmentSha2sSql('s', 'true')})`;
