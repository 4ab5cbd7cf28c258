import type { Forecast } from '../../reports/program-forecast-service.js';
import type { ForecastVersion } from '../../cohorts/model.js';
import { METHOD_NAMES } from '../../reports/program-roi-report-service.js';
import {
  formatDate,
  formatDateOr,
  formatMoney,
  formatPercent,
  formatRate,
  formatYears,
  outcomeLabel,
  withOutcomeLabels,
} from './format.js';

const money = (amount: string, currency: string) => formatMoney(amount, currency);

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
  return {
    version: latest.version,
    asOf: formatDate(latest.createdAt),
    dataAsOf: latest.dataAsOf ? formatDate(latest.dataAsOf) : null,
    trigger: TRIGGERS[latest.trigger],
    settings: `${formatYears(latest.horizonYears)}, discount rate ${formatRate(latest.discountRate)}, effect decay ${formatRate(latest.effectDecay)} a year`,
    cost: money(f.cost, f.currency),
    years: f.years.map((y) => ({
      year: y.year,
      benefit: money(y.benefit, f.currency),
      presentValue: money(y.presentValue, f.currency),
      cumulativeNet: money(y.cumulativeNet, f.currency),
      roi: formatPercent(y.cumulativeRoiPercent),
      conservativeRoi:
        y.conservativeCumulativeRoiPercent === null
          ? 'n/a'
          : formatPercent(y.conservativeCumulativeRoiPercent),
    })),
    methods: f.effects
      .map(
        (e) =>
          `${outcomeLabel(e.outcome)}: ${METHOD_NAMES[e.method as keyof typeof METHOD_NAMES] ?? e.method}`,
      )
      .join('; '),
    assumptions: f.assumptions,
    warnings: f.warnings.map(withOutcomeLabels),
    history: versions.slice(1).map((v) => {
      const vf = v.forecast as Forecast;
      return {
        version: v.version,
        asOf: formatDate(v.createdAt),
        dataAsOf: formatDateOr(v.dataAsOf),
        trigger: TRIGGERS[v.trigger],
        roi: vf.years.at(-1) ? formatPercent(vf.years.at(-1)!.cumulativeRoiPercent) : 'n/a',
      };
    }),
  };
}
