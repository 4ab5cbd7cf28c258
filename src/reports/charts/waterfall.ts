import type { WaterfallModel } from './chart-model.js';
import type { ChartKindDefinition } from './chart-kind.js';
import { bandFrame, bandText, bandTextLayers, bandY, barOffset, barSize } from './band-layers.js';
import { axisFormat, formatMoney } from './format.js';
import { colors } from './theme.js';

const kindNames = { benefit: 'Benefit', cost: 'Cost', net: 'Net benefit' } as const;

interface WaterfallPlotRow {
  label: string;
  step: keyof typeof kindNames;
  stepName: string;
  start: number;
  end: number;
  amountText: string;
  runningText: string;
}

/**
 * Phillips ROI waterfall: monetized benefits step up, fully loaded costs step down, and the last bar is
 * the net benefit (the sum of all steps, from zero). Amounts are money in whole currency units.
 */
export const waterfall: ChartKindDefinition<WaterfallModel, WaterfallPlotRow> = {
  rows: (model) => {
    const currency = model.options?.currency;
    let running = 0;
    const steps: WaterfallPlotRow[] = model.rows.map((row) => {
      if (!(row.amount >= 0)) {
        throw new Error(
          `waterfall amount for "${row.label}" is ${row.amount}; give a positive amount and mark it kind "cost" to subtract it.`,
        );
      }
      const start = running;
      running += row.kind === 'benefit' ? row.amount : -row.amount;
      const sign = row.kind === 'benefit' ? '+' : '-';
      return {
        label: row.label,
        step: row.kind,
        stepName: kindNames[row.kind],
        start,
        end: running,
        amountText: `${sign}${formatMoney(row.amount, currency)}`,
        runningText: formatMoney(running, currency),
      };
    });
    const net = formatMoney(running, currency);
    return [
      ...steps,
      {
        label: model.options?.netLabel ?? 'Net benefit',
        step: 'net',
        stepName: kindNames.net,
        start: 0,
        end: running,
        amountText: net,
        runningText: net,
      },
    ];
  },

  table: (rows, model) => ({
    caption: model.title,
    headers: [model.rowHeader ?? 'Item', 'Type', 'Amount', 'Running total'],
    rows: rows.map((r) => [r.label, r.stepName, r.amountText, r.runningText]),
    notes: [],
  }),

  alt: (rows) => {
    const sum = (step: string) => rows.filter((r) => r.step === step).length;
    const net = rows[rows.length - 1]!;
    return `Waterfall chart of ${sum('benefit')} monetized ${sum('benefit') === 1 ? 'benefit' : 'benefits'} minus ${sum('cost')} ${sum('cost') === 1 ? 'cost' : 'costs'}, ending at a net benefit of ${net.amountText}.`;
  },

  spec: (rows, model, layout) => {
    const domain = Object.values(kindNames);
    return {
      ...bandFrame(layout),
      data: {
        values: rows.map((r, i) => ({ ...r, ...bandText(i, r.label, r.amountText, layout) })),
      },
      layer: [
        {
          mark: { type: 'bar', size: barSize, yOffset: barOffset(layout) },
          encoding: {
            y: bandY,
            x: {
              field: 'start',
              type: 'quantitative',
              axis: {
                format: axisFormat('money', model.options?.currency),
                title: `Amount (${model.options?.currency ?? 'USD'})`,
                tickCount: layout.name === 'wide' ? 8 : 3,
              },
            },
            x2: { field: 'end' },
            color: {
              field: 'stepName',
              type: 'nominal',
              scale: { domain, range: [colors.benefit, colors.cost, colors.net] },
              legend: { columns: 3, symbolType: 'square' },
            },
          },
        },
        {
          data: { values: [{ zero: 0 }] },
          mark: { type: 'rule', color: colors.muted },
          encoding: { x: { field: 'zero', type: 'quantitative' } },
        },
        ...bandTextLayers(layout),
      ],
    };
  },
};
