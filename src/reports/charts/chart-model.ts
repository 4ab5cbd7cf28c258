/**
 * Chart models: what a presenter hands to `renderChart`. Every number arrives already computed by the
 * calculators in `reports/stats` and `reports/roi`; the chart layer only lays numbers out and formats
 * them once, so the SVG and its data table can never disagree.
 */

/** Units a value can carry; the shared formatter turns each into one display string. */
export type ValueUnit = 'proportion' | 'minutes' | 'money' | 'count' | 'points';

/** Why a chart shows a message instead of marks. */
export interface Suppression {
  /** The privacy minimum that was not met (learners per aggregate), e.g. 5. */
  minimumGroupSize: number;
}

interface ChartModelBase {
  /** Unique on the page; letters, digits and dashes, starting with a letter. Used for SVG element ids. */
  id: string;
  /** Short title, shown in the figure caption and as the SVG `<title>`. */
  title: string;
  /** One or two sentences on what the chart shows; becomes the start of the SVG `<desc>`. */
  description: string;
  /** Set when an aggregate covers fewer learners than the privacy minimum; the chart is then withheld. */
  suppressed?: Suppression;
  /**
   * ISO date (YYYY-MM-DD) of the newest data behind the chart, shown as "Data as of ..." (leading and
   * lagging panels mature at different speeds, so each chart says how fresh it is).
   */
  dataAsOf?: string;
  /** Header of the table's first column, e.g. "Module" or "Survey item"; each kind has a default. */
  rowHeader?: string;
}

/** One share of learners with its Wilson interval (all proportions in [0, 1]). */
export interface ProportionRow {
  label: string;
  successes: number;
  trials: number;
  estimate: number;
  lower: number;
  upper: number;
}

/** Completion or mastery rate per module, with its interval and denominator. */
export interface ProportionBarsModel extends ChartModelBase {
  kind: 'proportion-bars';
  rows: ProportionRow[];
  options?: {
    /** Names the rate in the table header and description, e.g. "Completion rate". */
    measure?: string;
    /** Names what `successes` and `trials` count, e.g. ["completed", "assigned"]. */
    countNames?: [string, string];
    /** Confidence level of the intervals, default 0.95. */
    confidence?: number;
  };
}

/** Time on task for one module, in minutes (R type-7 quantiles). */
export interface QuantileRow {
  label: string;
  median: number;
  p90: number;
  sessions: number;
  /** Sessions whose duration was estimated (abandoned or idle-capped). */
  estimatedSessions?: number;
}

export interface QuantileBarsModel extends ChartModelBase {
  kind: 'quantile-bars';
  rows: QuantileRow[];
}

/** Answer counts for one Likert item, one count per scale point in `options.scale` order. */
export interface LikertRow {
  label: string;
  counts: number[];
}

export interface LikertModel extends ChartModelBase {
  kind: 'likert';
  rows: LikertRow[];
  /** Scale point names from the most negative to the most positive, e.g. 5 agreement levels. */
  options: { scale: string[] };
}

/** NPS counts for one group, as returned by `netPromoterScore` (percentages 0-100, score in points). */
export interface NpsRow {
  label: string;
  n: number;
  promoters: number;
  passives: number;
  detractors: number;
  promoterPercent: number;
  passivePercent: number;
  detractorPercent: number;
  score: number;
}

export interface NpsModel extends ChartModelBase {
  kind: 'nps';
  rows: NpsRow[];
}

/** One weekly value of one series. `week` is the ISO date (YYYY-MM-DD) the week starts on. */
export interface TrendRow {
  week: string;
  series: string;
  value: number;
}

/** A confounding event (plan rule change, market shift) drawn as a dated rule. */
export interface TrendEvent {
  date: string;
  label: string;
}

export interface TrendModel extends ChartModelBase {
  kind: 'trend';
  rows: TrendRow[];
  options: {
    unit: ValueUnit;
    /** Axis and table name of the value, e.g. "Weekly completion rate". */
    measure: string;
    /** Series in legend order, e.g. ["Treatment", "Control"]; defaults to the order of first appearance. */
    series?: string[];
    events?: TrendEvent[];
    currency?: string;
  };
}

/** One bar of the ROI waterfall: a monetized benefit (positive) or a fully loaded cost (positive amount). */
export interface WaterfallRow {
  label: string;
  kind: 'benefit' | 'cost';
  /** Money in whole currency units; always positive, `kind` gives the sign. */
  amount: number;
}

export interface WaterfallModel extends ChartModelBase {
  kind: 'waterfall';
  rows: WaterfallRow[];
  options?: { currency?: string; netLabel?: string };
}

/** A point estimate with its interval for one group on one measure. */
export interface GroupEstimateRow {
  measure: string;
  group: string;
  estimate: number;
  lower: number;
  upper: number;
  n: number;
}

export interface GroupComparisonModel extends ChartModelBase {
  kind: 'group-comparison';
  rows: GroupEstimateRow[];
  options: { unit: ValueUnit; groups?: string[]; confidence?: number; currency?: string };
}

export type ChartModel =
  | ProportionBarsModel
  | QuantileBarsModel
  | LikertModel
  | NpsModel
  | TrendModel
  | WaterfallModel
  | GroupComparisonModel;

export type ChartKind = ChartModel['kind'];

/** The numbers behind a chart, as display strings with their units. */
export interface ChartTable {
  caption: string;
  headers: string[];
  rows: string[][];
  /** Extra lines shown under the table (e.g. the confounding events of a trend). */
  notes: string[];
}

export interface RenderedChart {
  id: string;
  title: string;
  description: string;
  kind: ChartKind;
  status: 'chart' | 'empty' | 'suppressed';
  /** SVG laid out for wide containers (trusted server output, safe to inline). Empty unless status is chart. */
  svg: string;
  /** The same chart laid out for narrow containers (phones, 360 px iframes). */
  svgNarrow: string;
  table: ChartTable;
  /** "Data as of Mar 2, 2026", or empty when the model gives no date. */
  dataAsOf: string;
  /** One-sentence summary of the chart for screen readers (also inside the SVG `<desc>`). */
  alt: string;
  /** Shown instead of the chart when status is empty or suppressed. */
  message: string;
}
