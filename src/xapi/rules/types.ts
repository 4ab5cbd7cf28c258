/**
 * Shared types of the xAPI statement-rules layer.
 *
 * The layer is pure: no database, no HTTP. The LRS's HTTP and storage layers call it.
 */

/** The xAPI versions this LRS speaks: xAPI 1.0.3 and IEEE 9274.1.1 (xAPI 2.0). */
export type XapiVersion = '1.0.3' | '2.0.0';

/** Every version this layer accepts, newest first. */
export const XAPI_VERSIONS: readonly XapiVersion[] = ['2.0.0', '1.0.3'];

/**
 * One rule violation. `path` names the offending JSON value the way a person would write it in
 * JavaScript (`statement.actor.mbox`, `statement.context.contextActivities.parent[0].id`,
 * `statement.verb.display["en-US"]`); `message` says what is wrong and what to send instead.
 */
export interface RuleError {
  path: string;
  message: string;
}

/** The outcome of a check that collects every error it finds, not just the first. */
export type RuleResult = { ok: true } | { ok: false; errors: RuleError[] };

/** A JSON object as parsed from a request (keys are own properties, values are JSON values). */
export type JsonObject = Record<string, unknown>;

/** Options every validating function takes. */
export interface VersionOption {
  /** The xAPI version of the request (from its X-Experience-API-Version header). */
  version: XapiVersion;
}

/** Builds a RuleResult from a list of errors. */
export function resultOf(errors: RuleError[]): RuleResult {
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
