import { LaunchError, type LaunchRefusal } from '../launch/launch-error.js';

/** ltijs' string error codes (and jsonwebtoken's messages) -> Yardstick's launch refusals. */
const BY_CODE: [RegExp, LaunchRefusal][] = [
  [/^UNREGISTERED_PLATFORM$/, 'unregistered_platform'],
  [/^PLATFORM_NOT_ACTIVATED$/, 'platform_pending'],
  [/^(KEY_NOT_FOUND|KID_NOT_FOUND|KEYSET_NOT_FOUND)$/, 'unknown_kid'],
  [/invalid signature|invalid algorithm|ALG_NOT_RS256|jwt malformed|invalid token/i, 'bad_signature'],
  [/jwt expired/i, 'expired'],
  [/TOKEN_TOO_OLD/, 'too_old'],
  [/ISS_CLAIM_DOES_NOT_MATCH/, 'wrong_issuer'],
  [/MISSING_VALIDATION_COOKIE/, 'state_mismatch'],
  [/NONCE_ALREADY_RECEIVED/, 'nonce_replay'],
  [/AZP_DOES_NOT_MATCH_CLIENTID/, 'azp_mismatch'],
  [/WRONG_LTI_VERSION_CLAIM|NO_LTI_VERSION_CLAIM/, 'wrong_version'],
  [/NO_MESSAGE_TYPE_CLAIM/, 'unsupported_message_type'],
  [/NO_DEPLOYMENT_ID_CLAIM/, 'missing_deployment_id'],
  [/NO_SUB_CLAIM/, 'missing_sub'],
  [/NO_RESOURCE_LINK_ID_CLAIM/, 'missing_resource_link'],
  [/Session not found|NO_LTIK_OR_IDTOKEN_FOUND/, 'session_expired'],
];

/** Turns what ltijs put in `res.locals.err.details` into a LaunchError with a readable page. */
export function launchErrorFromLtijs(details: { message?: string; description?: string }): LaunchError {
  const message = details.message ?? '';
  const reason = BY_CODE.find(([pattern]) => pattern.test(message))?.[1] ?? 'bad_signature';
  return new LaunchError(reason, { ltijs: message });
}
