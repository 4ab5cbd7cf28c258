import { SeededRandom } from '../synthetic/random.js';
import type { DemoPerson } from './demo-people-repository.js';

/**
 * Employees of the demo tenant: D0001..D0600 with department, site, tenure, remote and salary, and
 * person ids of their own seeded stream (so the names and attributes are those of earlier demos).
 */
export function demoPeople(count = 600, seed = 42): DemoPerson[] {
  const rnd = new SeededRandom(seed);
  const ids = new SeededRandom(seed + 1_000_003);
  const first = ['Ana', 'Ben', 'Cara', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea'];
  const last = ['Alvarez', 'Brooks', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jones'];
  return Array.from({ length: count }, (_, i) => ({
    id: ids.uuid(),
    employeeId: `D${String(i + 1).padStart(4, '0')}`,
    displayName: `${rnd.pick(first)} ${rnd.pick(last)}`,
    attributes: {
      department: rnd.pick(['Sales', 'Operations', 'Finance', 'Support']),
      site: rnd.pick(['Leeds', 'Austin']),
      tenure_years: Math.round(rnd.logNormal(4, 0.6) * 10) / 10,
      remote: rnd.chance(0.3),
      salary: Math.round(rnd.logNormal(48000, 0.25) / 100) * 100,
    },
  }));
}

/** The first day of each month from `from` to `to` (YYYY-MM), inclusive, as YYYY-MM. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m === 13) [y, m] = [y + 1, 1];
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Case A (401(k)): deferral around 4.2%, a 0.8-point rise for the treatment arm from April;
 * the employer matches half of the deferral up to 6% of salary.
 */
export function payrollRows(
  people: readonly DemoPerson[],
  treated: ReadonlySet<string>,
  months: readonly string[],
  seed = 7,
): Record<string, string | number>[] {
  const rnd = new SeededRandom(seed);
  const rows: Record<string, string | number>[] = [];
  for (const p of people) {
    // Plan members only (participation is its own outcome); a modest spread keeps the demo's story stable
    // whichever way the randomization falls (assignments depend on person ids, new in every database).
    const base = Math.max(1, rnd.normal(4.2, 0.9));
    const salary = Number(p.attributes.salary);
    for (const month of months) {
      const lift =
        treated.has(p.employeeId) && month >= '2025-04' ? rnd.normal(0.8, 0.6) : rnd.normal(0, 0.15);
      const deferral = Math.min(25, Math.max(0, round2(base + lift)));
      const contribution = round2((salary / 12) * (deferral / 100));
      rows.push({
        employee_id: p.employeeId,
        period: month,
        deferral_pct: deferral,
        contribution_amount: contribution,
        employer_match_amount: round2((salary / 12) * (Math.min(deferral, 6) / 100) * 0.5),
      });
    }
  }
  return rows;
}

/**
 * Case B (claims): minor ER claims at about 0.5 a year; navigation-module takers (who skew towards
 * longer tenure and Austin) drop to about 0.3 a year after July, matched non-takers barely move.
 */
export function claimRows(
  people: readonly DemoPerson[],
  treated: ReadonlySet<string>,
  seed = 11,
): Record<string, string | number>[] {
  const rnd = new SeededRandom(seed);
  const rows: Record<string, string | number>[] = [];
  let n = 0;
  for (const p of people) {
    const frailty = rnd.logNormal(1, 0.35);
    for (const month of monthRange('2025-01', '2025-12')) {
      const rate = ((treated.has(p.employeeId) && month >= '2025-07' ? 0.3 : 0.5) * frailty) / 12;
      if (rnd.chance(rate)) {
        n += 1;
        rows.push({
          claim_id: `ER-${String(n).padStart(5, '0')}`,
          employee_id: p.employeeId,
          claim_type: 'ER minor',
          cost: Math.round(rnd.logNormal(1400, 0.3)),
          service_date: `${month}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
        });
      }
    }
  }
  return rows;
}

/**
 * The wellbeing program (examples 4 and 5): absence near 8 days a year drifting slightly up, then
 * about 1.5 days lower after January 2025; productivity index 100 rising to about 103.
 */
export function hrisRows(
  people: readonly DemoPerson[],
  months: readonly string[],
  seed = 13,
): Record<string, string | number>[] {
  const rnd = new SeededRandom(seed);
  const rows: Record<string, string | number>[] = [];
  for (const p of people) {
    const frailty = rnd.logNormal(1, 0.3);
    const skill = rnd.normal(100, 4);
    months.forEach((month, i) => {
      const after = month >= '2025-01';
      const absence = ((8 + 0.02 * i) * frailty - (after ? 1.5 : 0)) / 12 + rnd.normal(0, 0.25);
      rows.push({
        employee_id: p.employeeId,
        period: month,
        absence_days: Math.min(31, Math.max(0, round2(absence))),
        productivity_index: round2(skill + 0.05 * i + (after ? 3 : 0) + rnd.normal(0, 1.5)),
      });
    });
  }
  return rows;
}
