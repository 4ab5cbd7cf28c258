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
