import assert from 'node:assert/strict';
import { roiMethod } from '../../../../src/reports/analyze/roi-method.js';
import { phillipsRoi } from '../../../../src/reports/roi/phillips.js';
import { fixture, runCsv, runJson, validationError } from './run-method.js';

describe('analyze roi', () => {
  const worked = (n: number) => runJson(roiMethod, JSON.parse(fixture(`roi-worked-example-${n}.json`)));

  it('reproduces worked example 1 (benefits training, $450 vs $150) as exactly 200%', () => {
    const r = worked(1).result;
    assert.equal(r.roiPercent.exact, '200');
    assert.equal(r.benefit.display, '450.00');
    assert.equal(r.netBenefit.display, '300.00');
  });

  it('reproduces worked example 2 (401(k), $380 vs $120) as 650/3 %, shown 216.7', () => {
    const r = worked(2).result;
    assert.equal(r.roiPercent.exact, '650/3');
    assert.equal(r.roiPercent.display, '216.7');
    assert.equal(r.roi.exact, '13/6');
  });

  it('reproduces worked example 3 (claims, $210 vs $80) as exactly 162.5%', () => {
    const r = worked(3).result;
    assert.equal(r.roiPercent.exact, '325/2');
    assert.equal(r.roiPercent.display, '162.5');
  });

  it('reproduces worked example 4 (wellness, $200,000 vs $50,000) as exactly 300% with BCR 4', () => {
    const r = worked(4).result;
    assert.equal(r.roiPercent.exact, '300');
    assert.equal(r.benefitCostRatio.exact, '4');
    assert.equal(r.benefit.display, '200000.00');
  });

  it('reproduces worked example 5 (emotional intelligence, $360,000 vs $75,000) as exactly 380%, from JSON and CSV', () => {
    const fromJson = worked(5).result;
    assert.equal(fromJson.roiPercent.exact, '380');
    assert.equal(fromJson.cost.display, '75000.00');
    assert.deepEqual(fromJson.benefitModel.intangibles, ['Team climate']);
    const fromCsv = runCsv(roiMethod, fixture('roi.csv')).result;
    assert.equal(fromCsv.roiPercent.exact, '380');
    assert.deepEqual(fromCsv.benefit, fromJson.benefit);
  });

  it('equals the Phillips calculator on the same totals, including payback months', () => {
    const out = runJson(roiMethod, { benefit: '1234.56', cost: '789.01' });
    const direct = phillipsRoi({ benefit: '1234.56', cost: '789.01' });
    assert.equal(out.result.roiPercent.exact, `${direct.roiPercent.num}/${direct.roiPercent.den}`);
    assert.equal(out.result.paybackMonths?.value, direct.approx.paybackMonths);
  });

  it('multiplies CSV cost units by their unit cost exactly', () => {
    const csv =
      'kind,label,units,value_per_unit\nbenefit,Saved,1,1000\ncost,Seats,3,0.35\ncost,Facilitator,,200\n';
    const r = runCsv(roiMethod, csv).result;
    assert.deepEqual(
      r.costBreakdown.lines.map((l) => l.amount.exact),
      ['21/20', '200'],
    );
  });

  it('applies confidence only when asked, and warns when it is given but not applied', () => {
    const input = {
      benefitItems: [{ label: 'Claims avoided', units: 10, valuePerUnit: 100, confidence: 0.8 }],
      cost: 400,
    };
    const plain = runJson(roiMethod, input);
    assert.equal(plain.result.roiPercent.exact, '150');
    assert.match(plain.warnings.join(' '), /confidence below 1 that is not applied/);
    const adjusted = runJson(roiMethod, input, { adjustForConfidence: true });
    assert.equal(adjusted.result.roiPercent.exact, '100');
    assert.deepEqual(adjusted.warnings, []);
  });

  it('adds a sensitivity table sorted by swing when asked', () => {
    const out = runJson(roiMethod, JSON.parse(fixture('roi-worked-example-4.json')), { sensitivity: true });
    const table = out.result.sensitivity!;
    assert.equal(table.baseRoiPercent.exact, '300');
    assert.equal(table.rows[0]!.assumption, 'Cost: Fully loaded cost');
    assert.deepEqual(
      table.rows[0]!.cells.map((c) => c.roiPercent.display),
      ['700.0', '433.3', '300.0', '220.0', '166.7'],
    );
  });

  it('lists every problem of a bad input with its path', () => {
    const error = validationError(() =>
      runJson(roiMethod, {
        benefit: 100,
        benefitItems: [{ label: '', units: 'x', valuePerUnit: 1 }],
        cost: -5,
        extra: 1,
      }),
    );
    const paths = error.details.map((d) => d.path);
    assert.ok(paths.includes('benefitItems[0].label'), paths.join('; '));
    assert.ok(paths.includes('benefitItems[0].units'), paths.join('; '));
    assert.ok(paths.includes('(top level)'), paths.join('; '));
    assert.match(error.message, /unknown field "extra"/);
    assert.match(error.message, /either benefit \(a total\) or benefitItems/);
  });

  it('refuses a zero cost with the calculator message', () => {
    const error = validationError(() => runJson(roiMethod, { benefit: 100, cost: 0 }));
    assert.match(error.message, /cost must be positive/);
  });

  it('names the CSV rows whose kind is unknown', () => {
    const csv = 'kind,label,units,value_per_unit\nbenefit,A,1,10\nbenfit,B,1,10\ncost,C,1,5\nexpense,D,1,1\n';
    const error = validationError(() => runCsv(roiMethod, csv));
    assert.match(
      error.message,
      /the CSV column kind must be benefit or cost or intangible but is not on rows 3 and 5/,
    );
  });
});
