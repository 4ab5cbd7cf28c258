import { NotFoundError, ValidationError } from '../errors.js';
import type { PersonDataRepository } from '../storage/repositories/person-data-repository.js';
import type { PrivacyRequestRepository } from '../storage/repositories/privacy-request-repository.js';
import {
  agentKeysOf,
  mboxAddress,
  normalizeMboxIri,
  type ErasureResult,
  type PersonExport,
  type PersonIdentity,
  type PersonLocation,
  type PersonSelector,
} from './model.js';

/** What the export says about answers it cannot contain. */
export const ANONYMOUS_SURVEY_NOTE =
  'Survey answers you gave anonymously are not included: they were stored under a fresh anonymous ' +
  'identity with nothing linking them to you, so they cannot be found, shown or erased as yours.';

/**
 * The export's statement of the pseudonymisation policy (issue #18). Yardstick erases rather than
 * pseudonymises, for every tenant today (docs/privacy.md, Pseudonymisation).
 */
export const PSEUDONYMISATION_NOTE =
  'On an erasure request your records are deleted, not pseudonymised (replaced by a code): reports ' +
  'are recalculated without them. The record of the request keeps your identifiers only as salted ' +
  'hashes, so that an erased employee id is not imported again unless an administrator allows it.';

export interface PersonDataService {
  /** The person's identity and every place that names them, with counts (places with none omitted). */
  find(
    tenantId: string,
    selector: PersonSelector,
  ): Promise<{ identity: PersonIdentity; locations: PersonLocation[] }>;
  /** Everything held about the person, each item labelled with its source (GDPR art. 15). */
  export(tenantId: string, selector: PersonSelector, now?: Date): Promise<PersonExport>;
  /**
   * Erases the person everywhere in one transaction and records the request with hashed identifiers
   * only (GDPR art. 17); their employee ids are tombstoned against re-import.
   */
  erase(
    tenantId: string,
    selector: PersonSelector,
    by: { requestedBy: string; approvedBy: string },
  ): Promise<ErasureResult>;
  /** The tenant's erasure requests, newest first: who asked, who approved, when, counts. */
  requests(tenantId: string): ReturnType<PrivacyRequestRepository['list']>;
  /** Lets imports bring an erased employee id back; NotFoundError when none is in force. */
  liftTombstone(tenantId: string, employeeId: string, liftedBy: string): Promise<void>;
}

export function createPersonDataService(deps: {
  data: PersonDataRepository;
  requests: PrivacyRequestRepository;
}): PersonDataService {
  async function identify(tenantId: string, selector: PersonSelector): Promise<PersonIdentity> {
    const seed = {
      emails: selector.kind === 'mbox' ? [mboxAddress(normalizeMboxIri(selector.mbox)).toLowerCase()] : [],
      accounts: selector.kind === 'account' ? [{ homePage: selector.homePage, name: selector.name }] : [],
      employeeIds: selector.kind === 'employeeId' ? [selector.employeeId] : [],
    };
    if (selector.kind === 'employeeId' && !selector.employeeId.trim())
      throw new ValidationError('The employee id is empty; give the id the outcome files use.');
    const { ltiUsers, people } = await deps.data.resolve(tenantId, seed);
    const emails = unique([
      ...seed.emails,
      ...ltiUsers.flatMap((u) => (u.email ? [u.email] : [])),
      ...people.flatMap((p) => (p.email ? [p.email] : [])),
    ]);
    const accounts = uniqueBy(
      [...seed.accounts, ...ltiUsers.map((u) => ({ homePage: u.xapiHomePage, name: u.xapiName }))],
      (a) => JSON.stringify([a.homePage, a.name]),
    );
    const employeeIds = unique([
      ...seed.employeeIds,
      ...people.flatMap((p) => (p.employeeId ? [p.employeeId] : [])),
    ]);
    const sweepValues = unique([
      ...ltiUsers.flatMap((u) => [u.id, u.sub]),
      ...people.map((p) => p.id),
      ...emails.flatMap((e) => [e, `mailto:${e}`]),
      ...accounts.map((a) => a.name),
      ...employeeIds,
    ]);
    return {
      tenantId,
      ltiUsers,
      people,
      emails,
      employeeIds,
      accounts,
      agentKeys: agentKeysOf(emails, accounts),
      sweepValues,
    };
  }

  async function found(tenantId: string, selector: PersonSelector) {
    const identity = await identify(tenantId, selector);
    const locations = (await deps.data.locate(identity)).filter((l) => l.count > 0);
    return { identity, locations };
  }

  return {
    find: found,

    async export(tenantId, selector, now = new Date()) {
      const { identity, locations } = await found(tenantId, selector);
      const places = await deps.data.rows(identity);
      const items = places.flatMap((p) =>
        p.rows.map((row) => ({
          source: p.place,
          data: p.place.startsWith('xapi_statement') ? statementItem(row) : row,
        })),
      );
      return {
        tenantId,
        exportedAt: now.toISOString(),
        identity: { ltiUsers: identity.ltiUsers, people: identity.people, agentKeys: identity.agentKeys },
        locations,
        items,
        notes: [ANONYMOUS_SURVEY_NOTE, PSEUDONYMISATION_NOTE],
      };
    },

    async erase(tenantId, selector, by) {
      if (!by.requestedBy.trim() || !by.approvedBy.trim())
        throw new ValidationError(
          'Say who asked for the erasure and who approved it (--requested-by, --approved-by).',
        );
      const { identity, locations } = await found(tenantId, selector);
      if (!locations.length)
        throw new NotFoundError(
          'Nothing in this tenant names that person; check the identifier with `npx yardstick person find`.',
        );
      const { erased, recorded } = await deps.data.erase(identity, (trx, erased) =>
        deps.requests.recordErasure(trx, {
          tenantId,
          requestedBy: by.requestedBy.trim(),
          approvedBy: by.approvedBy.trim(),
          identifiers: identity.sweepValues,
          employeeIds: identity.employeeIds,
          found: locations,
          erased,
        }),
      );
      return {
        requestId: recorded.requestId,
        erased: erased.filter((e) => e.count > 0),
        tombstones: recorded.tombstones,
      };
    },

    requests: (tenantId) => deps.requests.list(tenantId),

    async liftTombstone(tenantId, employeeId, liftedBy) {
      if (!(await deps.requests.liftTombstone(tenantId, employeeId, liftedBy.trim() || 'unknown')))
        throw new NotFoundError(
          `No erasure tombstone is in force for employee id "${employeeId}" in this tenant.`,
        );
    },
  };
}

/** A statement item of the export: the statement as the LRS would return it. */
function statementItem(row: Record<string, unknown>): unknown {
  const text = row.statement;
  return { ...row, statement: typeof text === 'string' ? JSON.parse(text) : text };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function uniqueBy<T>(values: T[], key: (v: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const v of values) if (!seen.has(key(v))) seen.set(key(v), v);
  return [...seen.values()];
}
