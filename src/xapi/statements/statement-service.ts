/**
 * The Statement resource (xAPI Communication 2.1): storing (PUT, POST, batches with attachments
 * and signatures) and reading (single statements and queries with keyset `more` links).
 */
import type { Kysely, Transaction } from 'kysely';
import { NotFoundError, ValidationError, type ErrorDetail } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { withTransaction } from '../../storage/transaction.js';
import type { XapiStatementRepository } from '../../storage/repositories/xapi-statement-repository.js';
import type { LrsPrincipal } from '../credentials/credential-service.js';
import { readsOnlyOwnStatements } from '../credentials/scopes.js';
import {
  extractStatementKeys,
  formatStatement,
  isJsonObject,
  matchAttachmentParts,
  mediaTypeOf,
  parseJsonLossless,
  readStatementRequest as readMultipart,
  serializeJson,
  verifySignedStatements,
  type AttachmentPart,
  type JsonObject,
  type RuleError,
  type StatementFormat,
  type XapiVersion,
} from '../rules/index.js';
import { createStatementBatcher, type GroupOutcome } from './statement-batcher.js';
import { writeGroup, type PreparedWrite } from './statement-write.js';
import { checkLaunchScope } from '../credentials/launch-scope.js';
import type { StatementRequest } from './statement-query.js';
import type { CursorCodec } from './statement-cursor.js';
import type { StatementLimits } from './batch-split.js';
import { takeInStatements } from './statement-intake.js';
import type { StatementInsert } from '../model.js';

export interface StoreInput {
  /** Who sends: an LRS credential, or Yardstick's own capture (credentialId null, see storeWithin). */
  principal: Pick<LrsPrincipal, 'tenantId' | 'scopes' | 'authority' | 'launch'> & {
    credentialId: string | null;
  };
  version: XapiVersion;
  body: Buffer;
  contentType: string | undefined;
  /** PUT's statementId parameter; absent for POST. */
  statementId?: string;
  /** Batch and statement size limits (config xapi); default {@link DEFAULT_STATEMENT_LIMITS}. */
  limits?: StatementLimits;
}

/**
 * A caller's own rules for a request's statements (cmi5 session rules, src/learning/cmi5), run after
 * the xAPI checks and before anything is written; it throws (an AppError) to refuse the request.
 */
export type StatementCheck = (statements: JsonObject[]) => void | Promise<void>;

/** The limits of config/default.json, for callers inside Yardstick (its own capture). */
export const DEFAULT_STATEMENT_LIMITS: StatementLimits = { maxStatements: 1000, maxStatementBytes: 65536 };

export interface StoredAttachment {
  sha2: string;
  contentType: string;
  content: Buffer;
}

export interface StatementResult {
  /** The JSON text of the response body (a statement, or a StatementResult object). */
  json: string;
  lastModified: Date;
  consistentThrough: Date;
  /** Attachment data to send as multipart parts (only when attachments=true was asked). */
  attachments?: StoredAttachment[];
}

export interface StatementService {
  /** Stores one statement or a batch, all or nothing; resolves after the commit is durable. Returns ids in order. */
  store(input: StoreInput): Promise<string[]>;
  /**
   * Same rules and storage as `store`, inside the caller's transaction: Yardstick's own capture writes
   * its progress and the statements that describe it in one commit (nothing half-written).
   */
  storeWithin(trx: Transaction<Database>, input: StoreInput, check?: StatementCheck): Promise<string[]>;
  /** Write requests waiting for group commit, and groups committing now (zeros without group commit). */
  writeQueue(): { queued: number; committing: number };
  /** GET /statements: one statement or one page of a query. `path` is the resource path for `more`. */
  read(input: {
    principal: LrsPrincipal;
    request: StatementRequest;
    query: Record<string, unknown>;
    acceptLanguage?: string;
    path: string;
    /** Signs and checks `more` cursors (statement-cursor.ts). */
    cursors: CursorCodec;
  }): Promise<StatementResult>;
}

function invalid(
  errors: RuleError[] | ErrorDetail[],
  what = 'The statement request is not valid',
): ValidationError {
  const first = errors[0];
  return new ValidationError(
    `${what}: ${first?.path ? `${first.path} ` : ''}${first?.message ?? 'invalid'}${errors.length > 1 ? ` (and ${errors.length - 1} more problems)` : ''}.`,
    errors,
  );
}

/** Group commit of small write requests (statement-batcher.ts). */
export interface GroupCommitOptions {
  /** Requests of at most this many statements are grouped; larger ones commit on their own. */
  maxRequestStatements: number;
  /** Most statements in one group. */
  maxGroupStatements: number;
  /** Groups committing at the same time (database connections they hold). */
  maxInFlight: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = {
  maxRequestStatements: 10,
  maxGroupStatements: 500,
  maxInFlight: 2,
};

/** Thrown inside a group's transaction to roll it back when some of its requests must fail. */
class GroupRollback extends Error {}

export function createStatementService(deps: {
  db: Kysely<Database>;
  statements: XapiStatementRepository;
  /** false: every request commits on its own (as before issue #17). Default DEFAULT_GROUP_COMMIT. */
  groupCommit?: GroupCommitOptions | false;
  /** Told the tenant after each store's commit (the KPI capture outbox drains in the background). */
  afterStore?: (tenantId: string) => void;
}): StatementService {
  const repo = deps.statements;
  const groupCommit =
    deps.groupCommit === false ? DEFAULT_GROUP_COMMIT : (deps.groupCommit ?? DEFAULT_GROUP_COMMIT);
  const batcher =
    deps.groupCommit === false
      ? undefined
      : createStatementBatcher<PreparedWrite, string[]>({
          commit: commitGroup,
          maxStatements: groupCommit.maxGroupStatements,
          maxInFlight: groupCommit.maxInFlight,
        });

  /** One request in its own transaction; throws its error. */
  async function writeAlone(write: PreparedWrite): Promise<string[]> {
    return withTransaction(deps.db, async (trx) => {
      const failed = await writeGroup(trx, repo, [write]);
      if (failed.size) throw failed.get(0)!;
      return write.rows.map((r) => r.id);
    });
  }

  /**
   * Stores a group in one transaction and answers each request after COMMIT. Requests that fail
   * (conflict, voiding a voiding statement) roll the transaction back and the others are stored again
   * without them; a database error that names no request has each request stored on its own.
   */
  async function commitGroup(writes: PreparedWrite[]): Promise<GroupOutcome<string[]>[]> {
    const outcomes: GroupOutcome<string[]>[] = new Array(writes.length);
    let pending = writes.map((_, i) => i);
    while (pending.length) {
      const failed = new Map<number, Error>();
      try {
        await withTransaction(deps.db, async (trx) => {
          failed.clear();
          // insertStatements writes one tenant and credential at a time.
          const parts = new Map<string, number[]>();
          for (const i of pending) {
            const key = `${writes[i]!.tenantId}\u0000${writes[i]!.credentialId ?? ''}`;
            parts.set(key, [...(parts.get(key) ?? []), i]);
          }
          for (const indices of parts.values()) {
            const partFailed = await writeGroup(
              trx,
              repo,
              indices.map((i) => writes[i]!),
            );
            for (const [k, error] of partFailed) failed.set(indices[k]!, error);
          }
          if (failed.size) throw new GroupRollback();
        });
      } catch (err) {
        if (!(err instanceof GroupRollback)) {
          for (const i of pending) {
            outcomes[i] =
              pending.length === 1
                ? { ok: false, error: err }
                : await writeAlone(writes[i]!).then(
                    (value) => ({ ok: true as const, value }),
                    (error: unknown) => ({ ok: false as const, error }),
                  );
          }
          return outcomes;
        }
        for (const [i, error] of failed) outcomes[i] = { ok: false, error };
        pending = pending.filter((i) => !failed.has(i));
        continue;
      }
      for (const i of pending) outcomes[i] = { ok: true, value: writes[i]!.rows.map((r) => r.id) };
      return outcomes;
    }
    return outcomes;
  }

  function readBody(input: StoreInput): { json: Buffer; parts: AttachmentPart[] } {
    const type = mediaTypeOf(input.contentType);
    if (type === 'multipart/mixed') {
      const read = readMultipart(input.body, input.contentType);
      if (!read.ok) throw invalid(read.errors);
      return { json: Buffer.from(read.statementsText, 'utf8'), parts: read.parts };
    }
    if (type !== 'application/json') {
      throw invalid([
        {
          path: 'Content-Type',
          message: `is ${JSON.stringify(input.contentType ?? '')}; send statements as application/json, or multipart/mixed with attachments`,
        },
      ]);
    }
    return { json: input.body, parts: [] };
  }

  return {
    async store(input) {
      const write = await prepareWrite(input);
      const ids =
        batcher && write.rows.length <= groupCommit.maxRequestStatements
          ? await batcher.submit(write, write.rows.length)
          : await writeAlone(write);
      deps.afterStore?.(write.tenantId);
      return ids;
    },
    storeWithin: (trx, input, check) => storeWithin(trx, input, check),
    writeQueue: () => batcher?.state() ?? { queued: 0, committing: 0 },
    read,
  };

  /** Reads, validates and prepares a request's statements: CPU only, no database. */
  async function prepareWrite(input: StoreInput, check?: StatementCheck): Promise<PreparedWrite> {
    const { json, parts } = readBody(input);
    const { prepared, received, batch } = await takeInStatements({
      body: json,
      context: { version: input.version, authority: input.principal.authority },
      limits: input.limits ?? DEFAULT_STATEMENT_LIMITS,
      statementId: input.statementId,
    });
    const statements = prepared.map((p) => p.statement);
    if (check) await check(statements);
    if (input.principal.launch) checkLaunchScope(statements, input.principal.launch);
    const matched = matchAttachmentParts(statements, parts, batch);
    if (!matched.ok) throw invalid(matched.errors);
    const signed = await verifySignedStatements(statements, matched.partsBySha2, batch);
    if (!signed.ok) throw invalid(signed.errors);

    const rows: StatementInsert[] = prepared.map((p) => {
      const agents = new Map(
        p.keys.agents.map((a) => [`${a.key}\u0000${a.usage}`, { key: a.key, usage: a.usage }]),
      );
      const activities = new Map(
        p.keys.activities.map((a) => [`${a.iri}\u0000${a.usage}`, { iri: a.iri, usage: a.usage }]),
      );
      return {
        id: p.keys.id,
        stored: p.keys.stored,
        timestamp: p.keys.timestamp,
        verb: p.keys.verb,
        registration: p.keys.registration,
        voidedTarget: p.keys.voidedTarget,
        refTarget: p.keys.statementRefTarget,
        version: String(p.statement.version),
        text: p.storedText,
        agents: [...agents.values()],
        activities: [...activities.values()],
      };
    });
    // Activity definitions from credentials allowed to define (Communication 4.1 scope "define").
    const definitions: { id: string; definition: JsonObject }[] = [];
    const mayDefine = input.principal.scopes.some((s) => s === 'all' || s === 'define');
    if (mayDefine) for (const p of prepared) definitions.push(...p.keys.activityDefinitions);
    return {
      tenantId: input.principal.tenantId,
      credentialId: input.principal.credentialId,
      rows,
      received: prepared.map((p, i) => received[i] ?? p.statement),
      batch,
      definitions,
      attachments: [...matched.partsBySha2.values()].map((part) => ({
        sha2: part.sha2,
        contentType: part.contentType ?? 'application/octet-stream',
        content: part.body,
      })),
    };
  }

  async function storeWithin(
    trx: Transaction<Database>,
    input: StoreInput,
    check?: StatementCheck,
  ): Promise<string[]> {
    const write = await prepareWrite(input, check);
    const failed = await writeGroup(trx, repo, [write]);
    if (failed.size) throw failed.get(0)!;
    return write.rows.map((r) => r.id);
  }

  async function read({
    principal,
    request,
    query,
    acceptLanguage,
    path,
    cursors,
  }: Parameters<StatementService['read']>[0]): Promise<StatementResult> {
    const mine = readsOnlyOwnStatements(principal.scopes) ? principal.credentialId : undefined;
    const tenantId = principal.tenantId;
    if (request.kind === 'single') {
      const row = await repo.findOne(tenantId, request.id, mine);
      if (!row || row.voided !== request.voided) {
        throw new NotFoundError(
          request.voided
            ? `No voided statement with id ${request.id} is stored; voidedStatementId returns only statements that were voided.`
            : row
              ? `The statement ${request.id} has been voided; fetch it with voidedStatementId.`
              : `No statement with id ${request.id} is stored.`,
        );
      }
      const [json] = await render([row.statement], request.format, acceptLanguage, tenantId);
      return {
        json: json!,
        lastModified: row.stored,
        consistentThrough: row.now,
        attachments: request.attachments ? await attachmentsOf(tenantId, [row.statement]) : undefined,
      };
    }
    const cursor = request.cursor !== undefined ? cursors.decode(request.cursor) : undefined;
    const { rows, snapshot, now } = await repo.queryPage(tenantId, {
      agentKey: request.agentKey,
      relatedAgents: request.relatedAgents,
      verb: request.verb,
      activity: request.activity,
      relatedActivities: request.relatedActivities,
      registration: request.registration,
      since: request.since,
      until: request.until,
      ascending: request.ascending,
      credentialId: mine,
      afterSeq: cursor?.seq,
      snapshot: cursor?.snapshot,
      limit: request.limit,
    });
    const page = rows.slice(0, request.limit);
    let more = '';
    if (rows.length > request.limit) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query))
        if (k !== 'cursor' && typeof v === 'string') params.set(k, v);
      params.set(
        'cursor',
        cursors.encode({ seq: page[page.length - 1]!.seq, snapshot: cursor?.snapshot ?? snapshot }),
      );
      more = `${path}?${params.toString()}`;
    }
    const texts = await render(
      page.map((r) => r.statement),
      request.format,
      acceptLanguage,
      tenantId,
    );
    const lastModified = page.reduce((max, r) => (r.stored > max ? r.stored : max), new Date(0));
    return {
      json: `{"statements":[${texts.join(',')}],"more":${JSON.stringify(more)}}`,
      lastModified: page.length ? lastModified : new Date(),
      consistentThrough: now,
      attachments: request.attachments
        ? await attachmentsOf(
            tenantId,
            page.map((r) => r.statement),
          )
        : undefined,
    };
  }

  async function render(
    texts: string[],
    format: StatementFormat,
    acceptLanguage: string | undefined,
    tenantId: string,
  ): Promise<string[]> {
    if (format === 'exact') return texts;
    const parsed = texts.map((t) => {
      const p = parseJsonLossless(t);
      return (p.ok ? p.value : {}) as JsonObject;
    });
    let canonical = new Map<string, string>();
    if (format === 'canonical') {
      const iris = new Set(parsed.flatMap((s) => extractStatementKeys(s).activities.map((a) => a.iri)));
      canonical = await repo.findActivities(tenantId, [...iris]);
    }
    return parsed.map((s) =>
      serializeJson(
        formatStatement(s, {
          format,
          acceptLanguage,
          canonicalDefinition: (id) => {
            const text = canonical.get(id);
            const p = text ? parseJsonLossless(text) : undefined;
            return p?.ok ? (p.value as JsonObject) : undefined;
          },
        }),
      ),
    );
  }

  async function attachmentsOf(tenantId: string, texts: string[]): Promise<StoredAttachment[]> {
    const sha2s = new Set<string>();
    for (const t of texts) {
      const p = parseJsonLossless(t);
      if (p.ok && isJsonObject(p.value))
        for (const a of extractStatementKeys(p.value).attachments) sha2s.add(a.sha2);
    }
    const rows = await repo.findAttachments(tenantId, [...sha2s]);
    return rows.map((r) => ({ sha2: r.sha2, contentType: r.content_type, content: r.content }));
  }
}
