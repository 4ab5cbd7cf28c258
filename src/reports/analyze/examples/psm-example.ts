/**
 * Example input of `analyze psm`: a claims-navigation module taken voluntarily by 10 of 32 employees;
 * outcome = a benefits-literacy score six months later; covariates age (years) and tenure (years).
 */
const PEOPLE: [id: string, treated: boolean, outcome: number, age: number, tenure: number][] = [
  ['P01', false, 5.3, 40, 5.4],
  ['P02', false, 3.9, 42, 3.6],
  ['P03', false, 5.2, 29, 5.7],
  ['P04', false, 4.9, 30, 13.9],
  ['P05', false, 5.9, 42, 10.7],
  ['P06', false, 4.2, 34, 8.8],
  ['P07', true, 4.4, 33, 2.1],
  ['P08', false, 5.3, 48, 3.6],
  ['P09', false, 4.9, 30, 4.8],
  ['P10', false, 4.6, 35, 6.8],
  ['P11', false, 4.1, 28, 5.7],
  ['P12', false, 5.8, 52, 5.4],
  ['P13', true, 6.1, 28, 11.1],
  ['P14', false, 4.4, 26, 2.7],
  ['P15', false, 5, 38, 2.4],
  ['P16', false, 5.2, 57, 11],
  ['P17', true, 5.7, 31, 6.1],
  ['P18', false, 3.7, 28, 5.7],
  ['P19', false, 5.7, 38, 8.4],
  ['P20', true, 6.9, 60, 9.8],
  ['P21', false, 5, 30, 3.6],
  ['P22', false, 4.5, 47, 2.1],
  ['P23', false, 3.9, 28, 6.9],
  ['P24', true, 6.8, 57, 14.4],
  ['P25', true, 7.1, 45, 11.5],
  ['P26', true, 6.5, 37, 12.8],
  ['P27', false, 4.8, 42, 8.3],
  ['P28', true, 5.8, 27, 11.8],
  ['P29', true, 6.7, 59, 4.5],
  ['P30', false, 4.8, 26, 3.8],
  ['P31', true, 5.7, 36, 10.4],
  ['P32', false, 5.7, 36, 11],
];

export const PSM_EXAMPLE_ROWS = PEOPLE.map(([id, treated, outcome, age, tenure]) => ({
  id,
  treated,
  outcome,
  covariates: { age, tenure },
}));
