import type { Forecast } from '../../reports/program-forecast-service.js';
import type { ForecastVersion } from '../../cohorts/model.js';

const money = (amount: string, currency: string) =>
  `${currency} ${Number(amount).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;

const TRIGGERS: Record<ForecastVersion['trigger'], string> = {
  import: 'an accepted outcome import',
  schedule: 'the scheduled refresh',
  manual: 'an administrator',
  demo: 'the demo seed',
};

/** View model of the newest forecast version with the list of earlier ones. */
export function presentForecast(versions: ForecastVersion[]) {
  const latest = versions[0];
  if (!latest) return null;
  const f = latest.forecast as Forecast;
  const pct = (x: string) => `${+(Number(x) * 100).toFixed(2)}%`;
  return {
    version: latest.version,
    asOf: latest.createdAt.toISOString().slice(0, 10),
    dataAsOf: latest.dataAsOf,
    trigger: TRIGGERS[latest.trigger],
    settings: `${latest.horizonYears} year(s), discount rate ${pct(latest.discountRate)}, effect decay ${pct(latest.effectDecay)} a year`,
    cost: money(f.cost, f.currency),
    years: f.years.map((y) => ({
      year: y.year,
      benefit: money(y.benefit, f.currency),
      presentValue: money(y.presentValue, f.currency),
      cumulativeNet: money(y.cumulativeNet, f.currency),
      roi: `${y.cumulativeRoiPercent}%`,
      conservativeRoi:
        y.conservativeCumulativeRoiPercent === null ? 'n/a' : `${y.conservativeCumulativeRoiPercent}%`,
    })),
    methods: f.effects.map((e) => `${e.outcome}: ${e.method}`).join('; '),
    assumptions: f.assumptions,
    warnings: f.warnings,
    history: versions.slice(1).map((v) => {
      const vf = v.forecast as Forecast;
      return {
        version: v.version,
        asOf: v.createdAt.toISOString().slice(0, 10),
        dataAsOf: v.dataAsOf ?? 'unknown',
        trigger: TRIGGERS[v.trigger],
        roi: `${vf.years.at(-1)?.cumulativeRoiPercent ?? 'n/a'}%`,
      };
    }),
  };
}
