/**
 * Canonical keys for Agents and identified Groups, for indexing and query equality.
 *
 * xAPI Communication 2.1.3 (`agent` parameter): "Agents or Identified Groups are equal when the
 * same Inverse Functional Identifier is used in each Object compared and those Inverse Functional
 * Identifiers have equal values." A key names the IFI kind and its value, so equal keys mean equal
 * identities:
 *
 * - `mbox:mailto:Jo.Smith@example.com` (domain and `mailto:` lowercased, local part kept: xAPI Data
 *   2.4.2.3 says only the domain is case-insensitive)
 * - `mbox_sha1sum:<40 lowercase hex digits>`
 * - `openid:<IRI as given>`
 * - `account:["<homePage>","<name>"]` (JSON-encoded so no separator can be forged)
 *
 * An anonymous Group (no IFI) has no key.
 */
import { normalizeMbox } from './data-types/mbox.js';
import { isJsonObject } from './json.js';

/** The Inverse Functional Identifier properties (xAPI Data 2.4.2.3). */
export const IFI_PROPERTIES = ['mbox', 'mbox_sha1sum', 'openid', 'account'] as const;

/**
 * The canonical key of an Agent or identified Group, or `undefined` when the value has no usable
 * IFI (anonymous Group, malformed value) or more than one. Expects a validated Agent/Group.
 */
export function agentKey(agent: unknown): string | undefined {
  if (!isJsonObject(agent)) return undefined;
  const present = IFI_PROPERTIES.filter((ifi) => agent[ifi] !== undefined);
  if (present.length !== 1) return undefined;
  const { mbox, mbox_sha1sum: sha1sum, openid, account } = agent;
  if (typeof mbox === 'string') return `mbox:${normalizeMbox(mbox)}`;
  if (typeof sha1sum === 'string') return `mbox_sha1sum:${sha1sum.toLowerCase()}`;
  if (typeof openid === 'string') return `openid:${openid}`;
  if (isJsonObject(account) && typeof account.homePage === 'string' && typeof account.name === 'string') {
    return `account:${JSON.stringify([account.homePage, account.name])}`;
  }
  return undefined;
}

/** The IFI of an Agent/Group alone (one property), as the `ids` format and the Agents resource use it. */
export function agentIfi(agent: unknown): Record<string, unknown> | undefined {
  if (!isJsonObject(agent)) return undefined;
  for (const ifi of IFI_PROPERTIES) {
    if (agent[ifi] !== undefined) return { [ifi]: agent[ifi] };
  }
  return undefined;
}
