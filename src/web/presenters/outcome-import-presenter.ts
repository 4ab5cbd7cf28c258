import type { OutcomeImport } from '../../outcomes/model.js';
import { progressFraction } from '../../outcomes/outcome-import-service.js';

/** The JSON an API client sees for one import: status, progress for a progress bar, report, result. */
export function presentOutcomeImport(imp: OutcomeImport, base: string, options: { report?: boolean } = {}) {
  const self = `${base}/imports/${imp.id}`;
  return {
    id: imp.id,
    kind: imp.kind,
    source: imp.source,
    fileName: imp.fileName,
    status: imp.status,
    progress: {
      fraction: progressFraction(imp),
      bytesRead: imp.bytesRead,
      bytesTotal: imp.bytesTotal,
      rowsParsed: imp.rowsParsed,
      rowsInvalid: imp.rowsInvalid,
    },
    mapping: imp.mapping,
    options: imp.options,
    contentHash: imp.contentHash,
    failure: imp.failure,
    ...(options.report === false ? {} : { report: imp.report }),
    createdBy: imp.createdBy,
    createdAt: imp.createdAt.toISOString(),
    stagedAt: imp.stagedAt?.toISOString() ?? null,
    acceptedBy: imp.acceptedBy,
    acceptedAt: imp.acceptedAt?.toISOString() ?? null,
    applied: imp.applied,
    links: {
      self,
      file: imp.status === 'created' && imp.source === 'csv' ? `${self}/file` : null,
      accept: imp.status === 'staged' ? `${self}/accept` : null,
    },
  };
}
