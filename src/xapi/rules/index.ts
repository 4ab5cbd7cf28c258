/**
 * The xAPI statement-rules layer: pure functions the LRS's HTTP and storage layers call.
 * See docs/xapi-rules.md.
 */
export * from './types.js';
export { formatPath, type PathSegment } from './json-path.js';
export {
  parseJsonLossless,
  serializeJson,
  isJsonObject,
  toPlainJson,
  canonicalNumber,
  cloneJson,
  isLosslessNumber,
  LosslessNumber,
} from './json.js';
export { validateStatement, validateStatementBatch, type ValidateOptions } from './validate-statement.js';
export { fitsIndex, MAX_INDEXED_BYTES } from './checks/index-length-checks.js';
export { isAcceptedStatementVersion } from './checks/version-checks.js';
export { parseTimestamp, formatTimestamp, type ParsedTimestamp } from './data-types/timestamp.js';
export { isWellFormedLanguageTag } from './data-types/language-tag.js';
export { isUuid, normalizeUuid } from './data-types/uuid.js';
export { isIri } from './data-types/iri.js';
export { isIsoDuration } from './data-types/duration.js';
export { normalizeMbox, mboxSha1sum, isMailtoIri, isSha1Hex } from './data-types/mbox.js';
export { agentKey, agentIfi, IFI_PROPERTIES } from './agent-key.js';
export { parseAgentParameter, type AgentParameterResult } from './agent-parameter.js';
export {
  formatStatement,
  reduceActor,
  STATEMENT_FORMATS,
  type StatementFormat,
  type FormatOptions,
} from './format.js';
export {
  parseAcceptLanguage,
  chooseLanguage,
  reduceLanguageMap,
  type LanguageRange,
} from './language-preference.js';
export { compareStatements, areStatementsEquivalent, type EquivalenceResult } from './equivalence.js';
export {
  prepareStatement,
  prepareStatementsText,
  parseStatementsText,
  defaultStatementVersion,
  prepareValid,
  stamp as storedStamp,
  type PrepareContext,
  type PreparedStatement,
} from './prepare.js';
export { extractStatementKeys, type StatementKeys } from './query-keys.js';
export { VOIDED_VERB } from '../model.js';
export {
  verifyStatementSignature,
  verifySignedStatements,
  signatureAttachmentIndexes,
  SIGNATURE_USAGE_TYPE,
} from './signature.js';
export { parseCompactJws, verifyJwsSignature, XAPI_JWS_ALGORITHMS } from './jws.js';
export {
  boundaryFromContentType,
  parseMultipartMixed,
  mediaTypeOf,
  type MultipartPart,
} from './multipart.js';
export {
  readStatementRequest,
  matchAttachmentParts,
  sha2AlgorithmFor,
  type AttachmentPart,
} from './attachments.js';
export type { AgentUsage, ActivityUsage } from './statement-walk.js';
