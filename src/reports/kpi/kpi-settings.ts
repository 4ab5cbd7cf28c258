import type { KpiSettings } from './kpi-report-service.js';

/** The defaults of config/default.json `reports`, for services built without a config (tests, CLI tools). */
export const DEFAULT_KPI_SETTINGS: KpiSettings = {
  minimumGroupSize: 5,
  campaignWindowDays: 14,
  quality: { maxNullRate: 0.02, learnerTolerance: 0.2 },
};
