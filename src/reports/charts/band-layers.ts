import type { TopLevelSpec } from 'vega-lite';
import { measureText } from './text-metrics.js';
import { colors, fontSize, vegaConfig, type ChartLayout } from './theme.js';

/**
 * The labelled-band layout shared by the bar kinds: each category gets one horizontal band with its
 * name on the left and its numbers on the right of a text line, and the bar below. Names never compete
 * with bars for width, which is what keeps bar charts readable in a 360 px iframe.
 */

/** Fields every band row carries; kinds add their own numeric fields next to these. */
export interface BandRow {
  /** Unique, ordered band key (index-prefixed so equal labels stay separate). */
  band: string;
  /** Category name shown left, already shortened to fit. */
  name: string;
  /** Formatted numbers shown right (the same strings as in the table). */
  numbers: string;
}

/**
 * Shortens `text` with an ellipsis so it fits `maxPx` at the chart font size. The full text stays in
 * the table and the SVG description.
 */
export function fitText(text: string, maxPx: number, size = fontSize): string {
  if (measureText(text, size) <= maxPx) return text;
  const chars = [...text];
  let keep = chars.length - 1;
  while (keep > 3 && measureText(`${chars.slice(0, keep).join('').trimEnd()}…`, size) > maxPx) keep -= 1;
  return `${chars.slice(0, keep).join('').trimEnd()}…`;
}

/** Width in px of the plot area for a layout (the SVG minus vega padding). */
export function plotWidth(layout: ChartLayout): number {
  return layout.width - 2 * (vegaConfig.padding as number);
}

/** Builds the name/numbers fields of band rows, shortening names to leave room for the numbers. */
export function bandText(index: number, label: string, numbers: string, layout: ChartLayout): BandRow {
  const numbersPx = layout.stackedText ? 0 : measureText(numbers, fontSize, 'bold') + 24;
  return {
    band: `${String(index).padStart(3, '0')} ${label}`,
    name: fitText(label, plotWidth(layout) - numbersPx),
    numbers,
  };
}

/** The y encoding of a band chart: one band per row, in row order, no visible axis. */
export const bandY = {
  field: 'band',
  type: 'nominal',
  sort: null,
  axis: null,
  scale: { paddingInner: 0, paddingOuter: 0 },
} as const;

/** Thickness in px of a band's bar. */
export const barSize = 16;

/**
 * Vertical offset in px of a band's bar centre below the band centre; the text sits above the bar.
 * `size` is the bar's thickness.
 */
export function barOffset(layout: ChartLayout, size = barSize): number {
  return layout.stackedText ? 10 + size / 2 : 2 + size / 2;
}

/** The two text layers (name, then numbers on the same line or the next) of every band chart. */
export function bandTextLayers(
  layout: ChartLayout,
): NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> {
  const nameY = layout.stackedText ? -16 : -2;
  return [
    {
      mark: { type: 'text', align: 'left', baseline: 'alphabetic', yOffset: nameY, color: colors.text },
      encoding: { y: bandY, x: { value: 0 }, text: { field: 'name' } },
    },
    {
      mark: {
        type: 'text',
        align: layout.stackedText ? 'left' : 'right',
        baseline: 'alphabetic',
        yOffset: layout.stackedText ? 3 : -2,
        color: colors.text,
        fontWeight: 'bold',
      },
      encoding: {
        y: bandY,
        x: { value: layout.stackedText ? 0 : 'width' },
        text: { field: 'numbers' },
      },
    },
  ];
}

/** Top-level spec frame of a band chart: fixed band height, width fitted to the layout. */
export function bandFrame(layout: ChartLayout) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: layout.width,
    height: { step: layout.bandStep },
    autosize: { type: 'fit-x', contains: 'padding' },
    config: vegaConfig,
  } as const;
}
