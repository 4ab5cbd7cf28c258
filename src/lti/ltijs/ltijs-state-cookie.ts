import { createHmac } from 'node:crypto';

/**
 * ltijs checks a launch's state only through its own signed cookie `state<state>` (value: the issuer),
 * set at login (ltijs Provider, sessionValidator: MISSING_VALIDATION_COOKIE without it). A launch through
 * platform storage has no cookie: Yardstick has checked the state itself (its single-use login state
 * row, and the state read back from the platform's frame), so it hands ltijs the cookie ltijs would have
 * set, signed the way cookie-parser checks it (`s:` + value + "." + base64 HMAC-SHA256, no padding).
 * ltijs still verifies the id_token's signature, issuer and age. Only ever called after those checks.
 */
export function vouchForLaunchState(
  req: { headers: Record<string, string | string[] | undefined> },
  s: { state: string; issuer: string; key: string },
): void {
  const mac = createHmac('sha256', s.key).update(s.issuer).digest('base64').replace(/=+$/, '');
  const cookie = `state${s.state}=${encodeURIComponent(`s:${s.issuer}.${mac}`)}`;
  const existing = typeof req.headers.cookie === 'string' ? req.headers.cookie : '';
  req.headers.cookie = existing ? `${existing}; ${cookie}` : cookie;
}
