/**
 * Platform storage (1EdTech "LTI Client Side postMessages" 1.0 and "OIDC Login with LTI Client Side
 * postMessages" 1.0): instead of a cookie, the tool keeps its OIDC state and nonce in the platform's
 * window through `lti.put_data` and reads them back with `lti.get_data`. The messages themselves are
 * sent by the browser (public/lti-storage.js); this file holds the rules the server applies.
 */

/**
 * A storage target is `_parent` or the name of a frame in the platform's window (OIDC Login with LTI
 * Client Side postMessages, 3.1: `lti_storage_target`). Anything else (a URL, script) is refused rather
 * than written into a page.
 */
export function parseStorageTarget(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return /^[A-Za-z0-9_.-]{1,100}$/.test(value) ? value : null;
}

/** The keys the state and nonce are stored under (the specification's examples: "state_"/"nonce_" + value). */
export function storageKeys(state: string, nonce: string): { state: string; nonce: string } {
  return { state: `state_${state}`, nonce: `nonce_${nonce}` };
}

/**
 * The origin the platform's replies must come from: the origin of its OIDC authentication endpoint
 * (Client Side postMessages, 4.1: the tool checks `event.origin` of every response).
 */
export function platformOrigin(authUrl: string): string {
  return new URL(authUrl).origin;
}
