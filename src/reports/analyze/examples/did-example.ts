/**
 * Example input of `analyze did`: a 401(k) deferral pilot in six sites (three trained), two employees
 * per site measured before and after; deferral in percent of pay.
 */
const PANEL: [unit: string, site: string, treated: boolean, before: number, after: number][] = [
  ['E01', 'North', true, 4.0, 5.1],
  ['E02', 'North', true, 3.6, 4.4],
  ['E03', 'East', true, 4.4, 5.0],
  ['E04', 'East', true, 5.1, 6.2],
  ['E05', 'Harbor', true, 3.9, 4.9],
  ['E06', 'Harbor', true, 4.6, 5.3],
  ['E07', 'South', false, 4.2, 4.4],
  ['E08', 'South', false, 3.8, 4.1],
  ['E09', 'West', false, 4.5, 4.6],
  ['E10', 'West', false, 4.9, 5.3],
  ['E11', 'Valley', false, 4.1, 4.2],
  ['E12', 'Valley', false, 3.7, 4.0],
];

export const DID_EXAMPLE_ROWS = PANEL.flatMap(([unitId, clusterId, treated, before, after]) => [
  { unitId, clusterId, treated, post: false, y: before },
  { unitId, clusterId, treated, post: true, y: after },
]);
