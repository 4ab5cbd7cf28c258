import assert from 'node:assert/strict';
import type { ChartModel, RenderedChart } from '../../../../src/reports/charts/chart-model.js';
import { chartSpec, renderChart } from '../../../../src/reports/charts/render.js';
import { narrowLayout, wideLayout } from '../../../../src/reports/charts/theme.js';
import { renderVegaLite } from '../../../../src/reports/charts/vega-render.js';
import { demoCharts } from '../../../fixtures/charts/demo-charts.js';
import { svgTexts, xmlProblems } from '../../../support/xml-check.js';

function byId(id: string): ChartModel {
  const model = demoCharts().find((c) => c.id === id);
  if (!model) throw new Error(`no demo chart ${id}`);
  return model;
}

describe('renderChart, for every chart kind', () => {
  const rendered = new Map<string, RenderedChart>();
  before(async () => {
    for (const model of demoCharts()) rendered.set(model.id, await renderChart(model));
  });

  it('covers all seven kinds in the demo set', () => {
    assert.deepEqual([...new Set(demoCharts().map((c) => c.kind))].sort(), [
      'group-comparison',
      'likert',
      'nps',
      'proportion-bars',
      'quantile-bars',
      'trend',
      'waterfall',
    ]);
  });

  for (const model of demoCharts()) {
    describe(`${model.kind} (${model.id})`, () => {
      it('renders well-formed SVG in both layouts', () => {
        const chart = rendered.get(model.id)!;
        assert.equal(chart.status, 'chart');
        for (const svg of [chart.svg, chart.svgNarrow]) {
          assert.deepEqual(xmlProblems(svg), []);
          assert.ok(svgTexts(svg).length > 0, 'the chart has SVG text');
        }
      });

      it('names the image by a <title> and <desc> inside the root, referenced by aria attributes', () => {
        const chart = rendered.get(model.id)!;
        for (const [svg, layout] of [
          [chart.svg, 'wide'],
          [chart.svgNarrow, 'narrow'],
        ] as const) {
          const root = /^<svg[^>]*>/.exec(svg)![0];
          assert.match(root, /role="img"/);
          assert.match(root, new RegExp(`aria-labelledby="${model.id}-${layout}-title"`));
          assert.match(root, new RegExp(`aria-describedby="${model.id}-${layout}-desc"`));
          assert.ok(svg.startsWith(`${root}<title id="${model.id}-${layout}-title">${model.title}</title>`));
          assert.ok(svg.includes(`<desc id="${model.id}-${layout}-desc">${model.description} `));
        }
        assert.ok(chart.alt.length > 20);
      });

      it('compiles without Vega-Lite or Vega warnings', async () => {
        for (const layout of [wideLayout, narrowLayout]) {
          const { warnings } = await renderVegaLite(chartSpec(model, layout));
          assert.deepEqual(warnings, []);
        }
      });

      it('gives a table with one cell per header on every row', () => {
        const { table } = rendered.get(model.id)!;
        assert.equal(table.caption, model.title);
        assert.ok(table.rows.length > 0);
        for (const row of table.rows) assert.equal(row.length, table.headers.length);
      });

      it('renders byte-identical output for the same model', async () => {
        const again = await renderChart(model);
        assert.deepEqual(again, rendered.get(model.id));
      });
    });
  }

  it('keeps every element id unique when all charts share one page', () => {
    const ids = [...rendered.values()].flatMap((c) =>
      [...`${c.svg}${c.svgNarrow}`.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]),
    );
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('chart tables and labels show the same numbers', () => {
  it('proportion bars: rate, Wilson interval and denominator per module', async () => {
    const chart = await renderChart(byId('completion'));
    assert.deepEqual(chart.table.headers, [
      'Module',
      'Completion rate',
      '95% confidence interval',
      'Completed of assigned',
    ]);
    assert.deepEqual(chart.table.rows[0], [
      'Why save for retirement',
      '76.7%',
      '68.3% to 83.4%',
      '92 of 120',
    ]);
    assert.deepEqual(chart.table.rows[3], ['Auto-enrollment', '80.0%', '54.8% to 93.0%', '12 of 15']);
    for (const svg of [chart.svg, chart.svgNarrow]) {
      const texts = svgTexts(svg);
      for (const [, rate, , counts] of chart.table.rows)
        assert.ok(texts.includes(`${rate} (${counts})`), `${rate} (${counts})`);
    }
  });

  it('proportion bars: plots exactly the estimates and bounds of the model', () => {
    const model = byId('completion');
    const spec = chartSpec(model, wideLayout) as {
      data: { values: { estimate: number; lower: number; upper: number }[] };
    };
    assert.deepEqual(
      spec.data.values.map((v) => [v.estimate, v.lower, v.upper]),
      model.rows.map((r) => [
        (r as { estimate: number }).estimate,
        (r as { lower: number }).lower,
        (r as { upper: number }).upper,
      ]),
    );
  });

  it('quantile bars: median and 90th percentile in minutes, sessions with estimated ones', async () => {
    const chart = await renderChart(byId('time-on-task'));
    assert.deepEqual(chart.table.rows[0], [
      'Why save for retirement',
      '11.5 min',
      '24.3 min',
      '140 (9 estimated)',
    ]);
    assert.deepEqual(chart.table.rows[2]!.slice(1), ['17.8 min', '41.5 min', '88']);
    const texts = svgTexts(chart.svg);
    for (const [, median, p90] of chart.table.rows)
      assert.ok(texts.includes(`median ${median} · p90 ${p90}`));
  });

  it('likert: counts with shares per scale point, answers per item, shares labelled on the bars', async () => {
    const chart = await renderChart(byId('confidence-survey'));
    assert.deepEqual(chart.table.headers, [
      'Survey item',
      'Strongly disagree',
      'Disagree',
      'Neutral',
      'Agree',
      'Strongly agree',
      'Answers',
    ]);
    assert.deepEqual(chart.table.rows[0], [
      'I know how much my employer matches',
      '3 (2.9%)',
      '6 (5.7%)',
      '11 (10.5%)',
      '48 (45.7%)',
      '37 (35.2%)',
      '105',
    ]);
    const texts = svgTexts(chart.svg);
    for (const share of ['10.5%', '45.7%', '35.2%', '39.0%', '25.7%'])
      assert.ok(texts.includes(share), share);
    assert.ok(texts.includes('n = 105'));
  });

  it('nps: score in points and the three groups with counts and shares', async () => {
    const chart = await renderChart(byId('nps'));
    assert.deepEqual(chart.table.rows[0], [
      'Treatment',
      '+28',
      '19 (18.1%)',
      '38 (36.2%)',
      '48 (45.7%)',
      '105',
    ]);
    assert.deepEqual(chart.table.rows[1], [
      'Content version B',
      '0',
      '12 (30.0%)',
      '16 (40.0%)',
      '12 (30.0%)',
      '40',
    ]);
    const texts = svgTexts(chart.svgNarrow);
    assert.ok(texts.includes('NPS +28 · n = 105'));
    for (const share of ['18.1%', '36.2%', '45.7%']) assert.ok(texts.includes(share), share);
  });

  it('trend: one table row per week, one column per series, events as notes and labelled rules', async () => {
    const chart = await renderChart(byId('deferral-trend'));
    assert.deepEqual(chart.table.headers, [
      'Week starting',
      'Treatment: Deferral rate',
      'Control: Deferral rate',
    ]);
    assert.equal(chart.table.rows.length, 12);
    assert.deepEqual(chart.table.rows[0], ['Jan 5, 2026', '4.1%', '4.0%']);
    assert.deepEqual(chart.table.rows[11], ['Mar 23, 2026', '5.7%', '4.4%']);
    assert.deepEqual(chart.table.notes, [
      'Event on Feb 2, 2026: Course launch',
      'Event on Mar 16, 2026: Match formula changed',
    ]);
    const texts = svgTexts(chart.svg);
    assert.ok(texts.includes('Course launch') && texts.includes('Match formula changed'));
    const weekLabels = ['Jan 5', 'Jan 19', 'Feb 2', 'Feb 16', 'Mar 2', 'Mar 16'];
    assert.deepEqual(
      texts.filter((t) => /^[A-Z][a-z]{2} \d{1,2}$/.test(t)),
      weekLabels,
      'ticks sit on every other data week',
    );
    assert.equal((chart.svg.match(/stroke-dasharray="4,3"/g) ?? []).length, 2, 'two dated rules');
  });

  it('trend: a missing week of one series reads "no data" rather than a number', async () => {
    const chart = await renderChart({
      id: 't',
      kind: 'trend',
      title: 'T',
      description: 'D',
      options: { unit: 'count', measure: 'Launches' },
      rows: [
        { week: '2026-01-05', series: 'A', value: 3 },
        { week: '2026-01-12', series: 'A', value: 4 },
        { week: '2026-01-12', series: 'B', value: 1200 },
      ],
    });
    assert.deepEqual(chart.table.rows, [
      ['Jan 5, 2026', '3', 'no data'],
      ['Jan 12, 2026', '4', '1,200'],
    ]);
  });

  it('trend: a count axis of a small series has whole-number ticks only', async () => {
    const chart = await renderChart({
      id: 't',
      kind: 'trend',
      title: 'T',
      description: 'D',
      options: { unit: 'count', measure: 'Learners', series: ['Started'] },
      rows: [
        { week: '2026-01-05', series: 'Started', value: 1 },
        { week: '2026-01-12', series: 'Started', value: 0 },
        { week: '2026-01-19', series: 'Started', value: 1 },
      ],
    });
    const ticks = svgTexts(chart.svg).filter((t) => /^\d+$/.test(t));
    assert.deepEqual(ticks, ['0', '1']);
  });

  it('trend: a week without data breaks the line, reads "no data" and each point has a hover title', async () => {
    const chart = await renderChart({
      id: 't',
      kind: 'trend',
      title: 'T',
      description: 'D',
      options: { unit: 'count', measure: 'Learners', series: ['Started'] },
      rows: [
        { week: '2026-01-05', series: 'Started', value: 3 },
        { week: '2026-01-12', series: 'Started', value: 5 },
        { week: '2026-01-26', series: 'Started', value: 4 },
      ],
    });
    assert.deepEqual(chart.table.rows[2], ['Jan 19, 2026', 'no data']);
    const line = /class="mark-line[^"]*"[^>]*>\s*<path[^>]*\sd="([^"]*)"/.exec(chart.svg)![1]!;
    assert.equal((line.match(/M/g) ?? []).length, 2, `two pieces of line: ${line}`);
    assert.deepEqual(
      [...chart.svg.matchAll(/<path[^>]*><title>([^<]*)<\/title><\/path>/g)].map((m) => m[1]),
      [
        'Started, week of Jan 5, 2026: 3',
        'Started, week of Jan 12, 2026: 5',
        'Started, week of Jan 26, 2026: 4',
      ],
    );
  });

  it('waterfall: signed steps, running totals, and a net bar equal to benefits minus costs', async () => {
    const chart = await renderChart(byId('roi-waterfall'));
    assert.deepEqual(chart.table.rows, [
      ['Captured employer match', 'Benefit', '+$148,200', '$148,200'],
      ['Lower separation costs', 'Benefit', '+$61,750', '$209,950'],
      ['Development (prorated)', 'Cost', '-$38,000', '$171,950'],
      ['Participant time', 'Cost', '-$52,400', '$119,550'],
      ['Delivery and platform', 'Cost', '-$21,300', '$98,250'],
      ['Net benefit', 'Net benefit', '$98,250', '$98,250'],
    ]);
    const texts = svgTexts(chart.svg);
    for (const row of chart.table.rows) assert.ok(texts.includes(row[2]!), row[2]);
  });

  it('waterfall: rejects a negative amount and says to mark it as a cost', async () => {
    await assert.rejects(
      renderChart({
        id: 'w',
        kind: 'waterfall',
        title: 'T',
        description: 'D',
        rows: [{ label: 'x', kind: 'benefit', amount: -5 }],
      }),
      /mark it kind "cost"/,
    );
  });

  it('group comparison: estimate, interval and learners per measure and group, groups in the given order', async () => {
    const chart = await renderChart(byId('treatment-vs-control'));
    assert.deepEqual(chart.table.rows, [
      ['Raised deferral', 'Treatment', '28.4%', '21.1% to 37.0%', '120'],
      ['Raised deferral', 'Control', '14.2%', '8.9% to 21.9%', '118'],
      ['Captured full match', 'Treatment', '61.0%', '52.0% to 69.0%', '120'],
      ['Captured full match', 'Control', '52.0%', '43.0% to 61.0%', '118'],
    ]);
    const texts = svgTexts(chart.svg);
    for (const [, , estimate, , n] of chart.table.rows) assert.ok(texts.includes(`${estimate} (n = ${n})`));
  });

  it('likert: rejects an item whose counts do not match the scale', async () => {
    await assert.rejects(
      renderChart({
        id: 'l',
        kind: 'likert',
        title: 'T',
        description: 'D',
        options: { scale: ['No', 'Yes'] },
        rows: [{ label: 'Q1', counts: [1, 2, 3] }],
      }),
      /3 counts but the scale has 2 points/,
    );
  });
});

describe('chart input checks', () => {
  it('rejects a row with a number that is not finite, naming the chart, row and field', async () => {
    const model = byId('completion') as Extract<ChartModel, { kind: 'proportion-bars' }>;
    const rows = model.rows.map((r, i) => (i === 1 ? { ...r, upper: Number.NaN } : r));
    await assert.rejects(renderChart({ ...model, rows }), /chart "completion" row 2: upper is NaN/);
    const likert = byId('confidence-survey') as Extract<ChartModel, { kind: 'likert' }>;
    await assert.rejects(
      renderChart({ ...likert, rows: [{ label: 'Q', counts: [1, Infinity, 2, 3, 4] }] }),
      /row 1: counts is Infinity/,
    );
  });
});

describe('charts without data to show', () => {
  it('shows a short message instead of an empty chart when there are no rows', async () => {
    const chart = await renderChart({ ...byId('completion'), rows: [] } as ChartModel);
    assert.equal(chart.status, 'empty');
    assert.equal(chart.svg, '');
    assert.equal(chart.svgNarrow, '');
    assert.equal(chart.message, 'No data yet for this chart.');
    assert.deepEqual(chart.table.rows, []);
  });

  it('withholds a suppressed chart, its table included, and names the privacy minimum', async () => {
    const chart = await renderChart({ ...byId('nps'), suppressed: { minimumGroupSize: 5 } });
    assert.equal(chart.status, 'suppressed');
    assert.equal(chart.svg, '');
    assert.deepEqual(chart.table.rows, []);
    assert.match(chart.message, /fewer than 5 learners/);
    assert.doesNotMatch(JSON.stringify(chart), /105|45\.7%/, 'no aggregate leaks into the output');
  });
});

describe('chart text from users is escaped', () => {
  const script = '<script>alert("x")</script>';

  it('escapes labels, titles, descriptions and event names inside the SVG', async () => {
    const models: ChartModel[] = [
      {
        ...byId('completion'),
        title: `T ${script}`,
        description: `D ${script}`,
        rows: [{ label: script, successes: 1, trials: 2, estimate: 0.5, lower: 0.1, upper: 0.9 }],
      } as ChartModel,
      {
        ...byId('confidence-survey'),
        rows: [{ label: `${script} & more`, counts: [1, 2, 3, 4, 5] }],
      } as ChartModel,
      {
        ...(byId('deferral-trend') as Extract<ChartModel, { kind: 'trend' }>),
        options: {
          unit: 'proportion',
          measure: script,
          series: [script],
          events: [{ date: '2026-02-02', label: script }],
        },
        rows: [
          { week: '2026-01-05', series: script, value: 0.1 },
          { week: '2026-03-02', series: script, value: 0.2 },
        ],
      },
    ];
    for (const model of models) {
      const chart = await renderChart(model);
      for (const svg of [chart.svg, chart.svgNarrow]) {
        assert.doesNotMatch(svg, /<script/i);
        assert.match(svg, /&lt;script&gt;/);
        assert.deepEqual(xmlProblems(svg), []);
      }
    }
  });
});
