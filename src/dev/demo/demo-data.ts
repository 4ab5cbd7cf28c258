import { SeededRandom } from '../synthetic/random.js';
import type { DemoPerson } from './demo-people-repository.js';

/** Employees at the first two sites (Leeds and Austin): the 401(k) pilot's pool and the wellbeing program's. */
const FIRST_SITES_HEADCOUNT = 600;

/**
 * Employees of the demo tenant: D0001..D2000 with department, site, tenure, remote and salary, and
 * person ids of their own seeded stream (so the names and attributes are those of earlier demos). The
 * first 600 work in Leeds or Austin; the rest at the Denver site, in the same health plan: the claims
 * pilot needs a company of this size to measure an effect on a rare claim (see claimRows).
 */
export function demoPeople(count = 2000, seed = 42): DemoPerson[] {
  const rnd = new SeededRandom(seed);
  const ids = new SeededRandom(seed + 1_000_003);
  const first = ['Ana', 'Ben', 'Cara', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lea'];
  const last = ['Alvarez', 'Brooks', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jones'];
  return Array.from({ length: count }, (_, i) => {
    const id = ids.uuid();
    const displayName = `${rnd.pick(first)} ${rnd.pick(last)}`;
    const department = rnd.pick(['Sales', 'Operations', 'Finance', 'Support']);
    // Drawn for everyone, so each person's later attributes come from the same stream position.
    const firstSite = rnd.pick(['Leeds', 'Austin']);
    return {
      id,
      employeeId: `D${String(i + 1).padStart(4, '0')}`,
      displayName,
      attributes: {
        department,
        site: i < FIRST_SITES_HEADCOUNT ? firstSite : 'Denver',
        tenure_years: Math.round(rnd.logNormal(4, 0.6) * 10) / 10,
        remote: rnd.chance(0.3),
        salary: Math.round(rnd.logNormal(48000, 0.25) / 100) * 100,
      },
    };
  });
}

/** The employees of the first two sites (the 401(k) pilot draws from them). */
export function firstSitesPeople(people: readonly DemoPerson[]): DemoPerson[] {
  return people.slice(0, FIRST_SITES_HEADCOUNT);
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
 * Case B (claims), read from the seed: everyone has about two minor-condition episodes a year (more
 * with longer tenure), and 12% of them end at the ER. From July, navigation-module takers take 3% of
 * their episodes to the ER (a 9-point fall); from September's copay change everyone else takes 11%
 * (1 point). Only the ER claims are rows, as in a claims extract of minor ER visits: about 0.24 a year
 * before, so a person-level count is rare and noisy, and the effect (about 0.17 claims a year) shows
 * through that noise only with a few hundred matched pairs.
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
    const episodesPerMonth =
      (2 * rnd.logNormal(1, 0.35) * (0.8 + 0.05 * Number(p.attributes.tenure_years))) / 12;
    for (const month of monthRange('2025-01', '2025-12')) {
      const erShare = treated.has(p.employeeId)
        ? month >= '2025-07'
          ? 0.03
          : 0.12
        : month >= '2025-09'
          ? 0.11
          : 0.12;
      if (rnd.chance(episodesPerMonth * erShare)) {
        n += 1;
        rows.push({
          claim_id: `ER-${String(n).padStart(5, '0')}`,
          employee_id: p.employeeId,
          claim_type: 'ER minor',
          cost: Math.round(rnd.logNormal(1450, 0.3)),
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
