import { LaunchError } from './launch-error.js';

/** LTI claim names (LTI 1.3 Core 5.3, 5.4; Deep Linking 2.0 4.4). */
export const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinking: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
} as const;

export const MESSAGE_TYPES = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;

export type LaunchClaims = Record<string, unknown> & {
  iss?: unknown;
  aud?: unknown;
  azp?: unknown;
  sub?: unknown;
  iat?: unknown;
  exp?: unknown;
  nonce?: unknown;
};

/** Decodes a JWT's header and payload without verifying it (ltijs verifies the signature next). */
export function decodeJwt(token: unknown): { header: Record<string, unknown>; payload: LaunchClaims } {
  if (typeof token !== 'string') throw new LaunchError('malformed_token', {}, 'No id_token was posted.');
  const parts = token.split('.');
  if (parts.length !== 3) throw new LaunchError('malformed_token', {}, 'The id_token is not a JWT.');
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as LaunchClaims;
    if (!payload || typeof payload !== 'object') throw new Error('payload is not an object');
    return { header, payload };
  } catch {
    throw new LaunchError('malformed_token', {}, 'The id_token is not valid JSON.');
  }
}

/**
 * The client id the token is meant for (OpenID Connect Core 3.1.3.7): its single audience, or azp when
 * aud lists several. Several audiences without azp are refused: nothing says which tool is addressed.
 */
export function audienceClientId(claims: LaunchClaims): string {
  const aud = claims.aud;
  const list = Array.isArray(aud)
    ? aud.filter((a): a is string => typeof a === 'string')
    : typeof aud === 'string'
      ? [aud]
      : [];
  if (list.length === 0) throw new LaunchError('malformed_token', {}, 'The id_token has no aud claim.');
  if (list.length > 1) {
    if (typeof claims.azp !== 'string')
      throw new LaunchError('multiple_audiences_without_azp', { aud: list.join(', ') });
    if (!list.includes(claims.azp))
      throw new LaunchError('azp_mismatch', { azp: claims.azp, aud: list.join(', ') });
    return claims.azp;
  }
  if (claims.azp !== undefined && claims.azp !== list[0])
    throw new LaunchError('azp_mismatch', { azp: String(claims.azp), aud: list[0] });
  return list[0]!;
}

export interface TimeRules {
  nowSeconds: number;
  leewaySeconds: number;
  maxAgeSeconds: number;
}

/**
 * Times (OpenID Connect Core 3.1.3.7 items 9-10): iat no later than now + leeway, iat no older than
 * maxAge + leeway, exp no earlier than now - leeway. All in seconds since the epoch.
 */
export function checkTimes(claims: LaunchClaims, rules: TimeRules): void {
  const { nowSeconds: now, leewaySeconds: leeway } = rules;
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number')
    throw new LaunchError('malformed_token', {}, 'The id_token lacks iat or exp.');
  if (claims.iat > now + leeway)
    throw new LaunchError('issued_in_future', { iat: new Date(claims.iat * 1000).toISOString() });
  if (claims.exp < now - leeway)
    throw new LaunchError('expired', { exp: new Date(claims.exp * 1000).toISOString() });
  if (now - claims.iat > rules.maxAgeSeconds + leeway)
    throw new LaunchError('too_old', { iat: new Date(claims.iat * 1000).toISOString() });
}

/**
 * The LTI claims Yardstick needs (LTI 1.3 Core 5.3): version 1.3.0, a supported message type, a
 * deployment id, a sub, and a resource link id on resource link launches.
 */
export function checkLtiClaims(claims: LaunchClaims): void {
  if (claims[CLAIM.version] !== '1.3.0')
    throw new LaunchError('wrong_version', { version: String(claims[CLAIM.version] ?? '(none)') });
  const type = claims[CLAIM.messageType];
  if (!MESSAGE_TYPES.includes(type as (typeof MESSAGE_TYPES)[number])) {
    throw new LaunchError('unsupported_message_type', { messageType: String(type ?? '(none)') });
  }
  const deployment = claims[CLAIM.deploymentId];
  if (typeof deployment !== 'string' || deployment === '') throw new LaunchError('missing_deployment_id');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new LaunchError('missing_sub');
  if (type === 'LtiResourceLinkRequest') {
    const link = claims[CLAIM.resourceLink] as { id?: unknown } | undefined;
    if (!link || typeof link.id !== 'string' || link.id === '')
      throw new LaunchError('missing_resource_link');
  }
}
