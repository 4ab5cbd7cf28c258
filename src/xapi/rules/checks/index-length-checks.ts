/**
 * Values the LRS indexes must fit a PostgreSQL btree entry (about 2,700 bytes per row of an index,
 * all its columns together). xAPI sets no length for IRIs or identifiers, so a longer verb id,
 * Activity id or Agent identifier is refused with 400 naming the field and the limit, rather than
 * failing in the database with a 500 that clients would retry forever. The limit leaves room for the
 * other columns of each index (tenant, seq, usage) and is far above any identifier in real use.
 */
import { agentKey } from '../agent-key.js';
import { isJsonObject } from '../json.js';
import { formatPath, type PathSegment } from '../json-path.js';
import { collectActivities, collectAgents, statementParts } from '../statement-walk.js';
import type { RuleError } from '../types.js';

/** Longest indexed value (verb id, Activity id, Agent identifier), in UTF-8 bytes. */
export const MAX_INDEXED_BYTES = 2000;

/**
 * True when `value` can be an indexed column of the LRS: at most {@link MAX_INDEXED_BYTES} and
 * without U+0000 (a PostgreSQL text column cannot hold it; the statement text keeps it escaped).
 */
export function fitsIndex(value: string): boolean {
  if (value.includes('\u0000')) return false;
  return value.length <= MAX_INDEXED_BYTES / 3 || Buffer.byteLength(value, 'utf8') <= MAX_INDEXED_BYTES;
}

function tooLong(path: PathSegment[], what: string, value: string): RuleError {
  return {
    path: formatPath(path),
    message: value.includes('\u0000')
      ? `contains the character U+0000, which this LRS cannot store in a ${what}; remove it`
      : `is longer than ${MAX_INDEXED_BYTES} bytes, the longest ${what} this LRS stores; use a shorter identifier`,
  };
}

/** Verb ids, Activity ids and Agent identifiers that {@link fitsIndex} refuses. */
export function indexedLengthErrors(statement: unknown, root: PathSegment[]): RuleError[] {
  const errors: RuleError[] = [];
  for (const part of statementParts(statement, root)) {
    const verb = part.node.verb;
    if (isJsonObject(verb) && typeof verb.id === 'string' && !fitsIndex(verb.id))
      errors.push(tooLong([...part.path, 'verb', 'id'], 'verb id', verb.id));
  }
  for (const activity of collectActivities(statement, root)) {
    const id = activity.node.id;
    if (typeof id === 'string' && !fitsIndex(id))
      errors.push(tooLong([...activity.path, 'id'], 'Activity id', id));
  }
  const seen = new Set<string>();
  for (const agent of collectAgents(statement, root)) {
    const key = agentKey(agent.node);
    const path = formatPath(agent.path);
    if (key === undefined || fitsIndex(key) || seen.has(path)) continue;
    seen.add(path);
    errors.push(
      tooLong(agent.path, 'Agent identifier (mbox, openid, or account homePage and name together)', key),
    );
  }
  return errors;
}
