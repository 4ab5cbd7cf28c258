import type { Config } from 'vega-lite';

/**
 * Sizes, fonts and colours shared by every chart. Each chart is drawn twice: `wide` for panels of 600 px
 * and more, `narrow` for phones and 360 px LMS iframes; the SVG scales with its container (viewBox), so
 * these widths set the text size a reader sees (14 px at the design width, never below ~11 px on screen).
 */
export interface ChartLayout {
  name: 'wide' | 'narrow';
  /** Design width in px of the whole SVG, padding included. */
  width: number;
  /** Height in px given to one labelled bar (text above, bar below). */
  bandStep: number;
  /**
   * Whether a band's numbers get their own line under its name (narrow) instead of sharing the name's
   * line, right-aligned (wide).
   */
  stackedText: boolean;
  /** Height in px of the plot area of a trend chart. */
  trendHeight: number;
  /** Columns of a legend before it wraps. */
  legendColumns: number;
}

export const wideLayout: ChartLayout = {
  name: 'wide',
  width: 720,
  bandStep: 48,
  stackedText: false,
  trendHeight: 280,
  legendColumns: 5,
};
export const narrowLayout: ChartLayout = {
  name: 'narrow',
  width: 360,
  bandStep: 68,
  stackedText: true,
  trendHeight: 240,
  legendColumns: 2,
};

export const fontFamily = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';
export const fontSize = 14;

/** Colours chosen for contrast on white (>= 4.5:1 for text colours) and for colour-blind readers. */
export const colors = {
  text: '#1b1f24',
  muted: '#57606a',
  grid: '#d8dee4',
  primary: '#0b5cad',
  primaryLight: '#9cc3e8',
  secondary: '#b35806',
  benefit: '#1a7f37',
  cost: '#b35806',
  net: '#0b5cad',
  event: '#6e40c9',
  /** NPS detractors, passives, promoters. */
  nps: ['#c0392b', '#bdbdbd', '#1a7f37'],
};

/** Two-series palette (treatment, control, ...) distinguishable without colour vision. */
export const seriesColors = ['#0b5cad', '#b35806', '#1a7f37', '#6e40c9'];

/**
 * Diverging palette for an ordered scale of `count` points (negative -> positive), from ColorBrewer RdBu.
 * The middle point of an odd scale is neutral grey.
 */
export function divergingColors(count: number): string[] {
  const palettes: Record<number, string[]> = {
    2: ['#ca0020', '#0571b0'],
    3: ['#ca0020', '#bababa', '#0571b0'],
    4: ['#ca0020', '#f4a582', '#92c5de', '#0571b0'],
    5: ['#ca0020', '#f4a582', '#d9d9d9', '#92c5de', '#0571b0'],
    6: ['#b2182b', '#ef8a62', '#fddbc7', '#d1e5f0', '#67a9cf', '#2166ac'],
    7: ['#b2182b', '#ef8a62', '#fddbc7', '#d9d9d9', '#d1e5f0', '#67a9cf', '#2166ac'],
  };
  const palette = palettes[count];
  if (palette) return palette;
  return Array.from({ length: count }, (_, i) => (i < count / 2 ? '#ca0020' : '#0571b0'));
}

/** Picks black or white text for a fill colour by its relative luminance (WCAG 2.x). */
export function textColorOn(fill: string): string {
  const channel = (hex: string) => {
    const c = parseInt(hex, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum =
    0.2126 * channel(fill.slice(1, 3)) +
    0.7152 * channel(fill.slice(3, 5)) +
    0.0722 * channel(fill.slice(5, 7));
  return 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05 ? '#ffffff' : colors.text;
}

/** Vega-Lite config shared by every chart: fonts, readable sizes, quiet grid, no ARIA noise inside. */
export const vegaConfig: Config = {
  font: fontFamily,
  // The root <svg> carries role="img" with <title> and <desc>; inner marks stay out of the a11y tree.
  aria: false,
  background: 'white',
  padding: 6,
  view: { stroke: null },
  axis: {
    labelFontSize: fontSize,
    titleFontSize: fontSize,
    labelColor: colors.text,
    titleColor: colors.text,
    titleFontWeight: 'normal',
    gridColor: colors.grid,
    domainColor: colors.muted,
    tickColor: colors.muted,
  },
  legend: {
    labelFontSize: fontSize,
    titleFontSize: fontSize,
    labelColor: colors.text,
    titleColor: colors.text,
    orient: 'top',
    direction: 'horizontal',
    title: null,
    symbolSize: 150,
    labelLimit: 260,
  },
  text: { fontSize, color: colors.text },
  title: { fontSize: fontSize + 2, color: colors.text },
};
