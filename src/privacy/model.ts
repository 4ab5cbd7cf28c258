import { createHash } from 'node:crypto';

/**
 * How an operator names a person: one identifier, as the CLI takes it. The rest of the person's
 * identity (LTI users, people rows, agents) is found from it.
 */
export type PersonSelector =
  | { kind: 'mbox'; mbox: string }
  | { kind: 'account'; homePage: string; name: string }
  | { kind: 'employeeId'; employeeId: string };

/** An LTI user of the person: one per platform. */
export interface IdentityLtiUser {
  id: string;
  platformId: string;
  sub: string;
  name: string | null;
  email: string | null;
  xapiHomePage: string;
  xapiName: string;
}

/** A row of the people table of the person (employee id, LMS user, email). */
export interface IdentityPerson {
  id: string;
  employeeId: string | null;
  lmsUserId: string | null;
  email: string | null;
  displayName: string | null;
}

/**
 * One person's identity in a tenant: every identifier under which Yardstick holds their data.
 * `agentKeys` are canonical xAPI agent keys as `xapi_statement_agent.agent_key` stores them
 * (mbox, mbox_sha1sum of each mbox, account per LTI user); `sweepValues` are the identifiers searched
 * for as text in stores Yardstick does not own (ltijs' tables, pg-boss job payloads).
 */
export interface PersonIdentity {
  tenantId: string;
  ltiUsers: IdentityLtiUser[];
  people: IdentityPerson[];
  emails: string[];
  employeeIds: string[];
  accounts: { homePage: string; name: string }[];
  agentKeys: string[];
  sweepValues: string[];
}

/** One place a person appears, with how many rows (or items) name them there. */
export interface PersonLocation {
  place: string;
  count: number;
}

/** An item of an export, labelled with the store it came from. */
export interface ExportItem {
  source: string;
  data: unknown;
}

export interface PersonExport {
  tenantId: string;
  exportedAt: string;
  identity: { ltiUsers: IdentityLtiUser[]; people: IdentityPerson[]; agentKeys: string[] };
  locations: PersonLocation[];
  items: ExportItem[];
  notes: string[];
}

export interface ErasureResult {
  requestId: string;
  erased: PersonLocation[];
  tombstones: number;
}

/** Canonical mbox IRI: `mailto:` and the domain lowercased, the local part kept (xAPI Data 2.4.2.3). */
export function normalizeMboxIri(mbox: string): string {
  const address = mbox.replace(/^mailto:/i, '');
  const at = address.lastIndexOf('@');
  if (at < 0) return `mailto:${address}`;
  return `mailto:${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** The xAPI agent keys of an identity's mboxes and accounts (as src/xapi/rules/agent-key.ts makes them). */
export function agentKeysOf(
  emails: readonly string[],
  accounts: readonly { homePage: string; name: string }[],
) {
  const keys = new Set<string>();
  for (const email of emails) {
    const iri = normalizeMboxIri(email);
    keys.add(`mbox:${iri}`);
    // mbox_sha1sum is the SHA-1 of the mailto IRI as the client wrote it: try the usual spellings.
    for (const spelled of new Set([iri, iri.toLowerCase(), `mailto:${email.replace(/^mailto:/i, '')}`]))
      keys.add(`mbox_sha1sum:${createHash('sha1').update(spelled).digest('hex')}`);
  }
  for (const a of accounts) keys.add(`account:${JSON.stringify([a.homePage, a.name])}`);
  return [...keys];
}

/** The address of an mbox (without `mailto:`), for matching email columns. */
export function mboxAddress(mbox: string): string {
  return mbox.replace(/^mailto:/i, '');
}

/** Kinds of data a tenant can keep for a limited period (issue #18, GDPR art. 5(1)(e)). */
export const RETENTION_KINDS = ['statements', 'answers', 'outcome_rows', 'logs'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** What each kind covers, in the operator's terms. */
export const RETENTION_KIND_TEXT: Record<RetentionKind, string> = {
  statements: 'xAPI statements, by when the LRS stored them (KPI rollups rebuilt)',
  answers: 'quiz and survey answers (answered statements), by when stored',
  outcome_rows: 'outcome rows (payroll, plan participation, claims, HRIS), by the period they describe',
  logs: 'the grade passback log, by score time',
};

/** A period of one kind of data: rows older than `days` are erased by the sweep. */
export interface RetentionPolicy {
  kind: RetentionKind;
  days: number;
  setBy: string;
  setAt: Date;
  lastSweptAt: Date | null;
}

/** A confirmed request to delete a whole tenant; purged once `purgeAfter` has passed. */
export interface TenantDeletion {
  tenantId: string;
  requestedBy: string;
  requestedAt: Date;
  purgeAfter: Date;
}

/** The moment before which rows of a `days` period are erased at `now`. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
