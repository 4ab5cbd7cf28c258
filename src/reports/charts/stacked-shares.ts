import type { TopLevelSpec } from 'vega-lite';
import { bandFrame, bandText, bandTextLayers, bandY, barOffset, type BandRow } from './band-layers.js';
import { formatPercent } from './format.js';
import { textColorOn, type ChartLayout } from './theme.js';

/**
 * 100% stacked bars shared by the Likert and NPS kinds: one band per item, one segment per category in
 * scale order, each segment labelled with its share when it is wide enough to hold the text.
 */

export interface StackedSegment {
  category: string;
  count: number;
  /** Share of the item's answers in [0, 1]. */
  share: number;
  /** The share as shown in the table and on the segment, e.g. "42.0%". */
  shareText: string;
}

export interface StackedItem {
  label: string;
  /** Numbers shown right of the item name, e.g. "n = 42" or "NPS +35 · n = 120". */
  numbers: string;
  segments: StackedSegment[];
}

/** Segments of one item from raw counts; shares are count / total (all 0 when nobody answered). */
export function segmentsFromCounts(categories: string[], counts: number[]): StackedSegment[] {
  const total = counts.reduce((sum, c) => sum + c, 0);
  return categories.map((category, i) => {
    const count = counts[i] ?? 0;
    const share = total === 0 ? 0 : count / total;
    return { category, count, share, shareText: formatPercent(share) };
  });
}

/** Builds the stacked-share spec; `colors` follow `categories` order. */
export function stackedSharesSpec(
  items: StackedItem[],
  categories: string[],
  colors: string[],
  layout: ChartLayout,
  axisTitle: string,
): TopLevelSpec {
  const bands: BandRow[] = items.map((item, i) => bandText(i, item.label, item.numbers, layout));
  const minLabelShare = layout.name === 'wide' ? 0.07 : 0.14;
  const segments = items.flatMap((item, i) => {
    let start = 0;
    return item.segments.map((s, j) => {
      const row = {
        band: bands[i]!.band,
        category: s.category,
        order: j,
        x0: start,
        x1: start + s.share,
        mid: start + s.share / 2,
        label: s.share >= minLabelShare ? s.shareText : '',
        labelColor: textColorOn(colors[j] ?? '#ffffff'),
      };
      start += s.share;
      return row;
    });
  });
  return {
    ...bandFrame(layout),
    layer: [
      {
        data: { values: segments },
        mark: { type: 'bar', size: 22, yOffset: barOffset(layout, 22) },
        encoding: {
          y: bandY,
          x: {
            field: 'x0',
            type: 'quantitative',
            scale: { domain: [0, 1], nice: false },
            axis: { format: '.0%', title: axisTitle, tickCount: layout.name === 'wide' ? 10 : 4 },
          },
          x2: { field: 'x1' },
          color: {
            field: 'category',
            type: 'nominal',
            scale: { domain: categories, range: colors },
            legend: { columns: layout.legendColumns, symbolType: 'square' },
          },
        },
      },
      {
        data: { values: segments },
        mark: {
          type: 'text',
          align: 'center',
          baseline: 'middle',
          yOffset: barOffset(layout, 22),
          fontSize: 13,
        },
        encoding: {
          y: bandY,
          x: { field: 'mid', type: 'quantitative' },
          text: { field: 'label' },
          color: { field: 'labelColor', type: 'nominal', scale: null },
        },
      },
      ...bandTextLayers(layout).map((layer) => ({ ...layer, data: { values: bands } })),
    ],
  } as TopLevelSpec;
}
