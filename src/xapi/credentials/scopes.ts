/**
 * LRS credential scopes (xAPI Communication 4.1, "OAuth 1.0 Authorization Scope"), applied to
 * HTTP Basic credentials as well.
 */
export const LRS_SCOPES = [
  'statements/write',
  'statements/read/mine',
  'statements/read',
  'state',
  'define',
  'profile',
  'all/read',
  'all',
] as const;

export type LrsScope = (typeof LRS_SCOPES)[number];

/** What a request needs: one resource area and whether it reads or writes. */
export type LrsPermission = 'statements/write' | 'statements/read' | 'state' | 'profile' | 'define';

export function isLrsScope(value: string): value is LrsScope {
  return (LRS_SCOPES as readonly string[]).includes(value);
}

/**
 * True when `scopes` allow `permission` for a read (`write` false) or a write. `all` allows
 * everything; `all/read` allows every read; `statements/read/mine` allows statement reads limited
 * to the credential's own statements (the caller applies that limit, see {@link readsOnlyOwnStatements}).
 */
export function allows(scopes: readonly string[], permission: LrsPermission, write: boolean): boolean {
  if (scopes.includes('all')) return true;
  if (!write && scopes.includes('all/read')) return true;
  if (permission === 'statements/read') {
    return scopes.includes('statements/read') || scopes.includes('statements/read/mine');
  }
  if (permission === 'define' && !write) return true;
  return scopes.includes(permission);
}

/** True when the credential may read only the statements it stored itself. */
export function readsOnlyOwnStatements(scopes: readonly string[]): boolean {
  return !scopes.some((s) => s === 'all' || s === 'all/read' || s === 'statements/read');
}
