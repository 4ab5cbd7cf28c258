import * as vega from 'vega';

/**
 * Text width estimates for headless rendering. Without a canvas vega guesses 0.8 em per character,
 * which is so wide that `autosize: fit` shrinks plots to make room for text that is not there. We give
 * vega (and our own label shortening) per-character advance widths instead: Helvetica's metrics scaled
 * up to cover DejaVu Sans, the widest common `system-ui` fallback, so estimates err on the wide side.
 */

// Helvetica advance widths in 1/1000 em for printable ASCII (32..126), from the standard AFM file.
const asciiWidths = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const otherWidth = 700;
const regularScale = 1.12;
const boldScale = 1.22;

/** Estimated width in px of `text` at `fontSize` px; bold when `fontWeight` is "bold" or >= 600. */
export function measureText(text: string, fontSize: number, fontWeight?: string | number): number {
  const bold = fontWeight === 'bold' || (typeof fontWeight === 'number' && fontWeight >= 600);
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 32 && code <= 126 ? asciiWidths[code - 32]! : otherWidth;
  }
  return (units / 1000) * fontSize * (bold ? boldScale : regularScale);
}

interface TextItem {
  text?: unknown;
  fontSize?: number;
  fontWeight?: string | number;
}

interface TextMetrics {
  width: (item: TextItem, text?: unknown) => number;
}

let installed = false;

/**
 * Makes vega measure text with `measureText`. Vega documents `textMetrics.width` as replaceable (vl-convert
 * does the same); this is idempotent and affects only this process's vega.
 *
 * @throws Error if this vega build no longer exports `textMetrics`.
 */
export function installTextMetrics(): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics?: TextMetrics }).textMetrics;
  if (!metrics)
    throw new Error('vega no longer exports textMetrics; check the vega version in package.json.');
  metrics.width = (item, text) => {
    const value = text ?? item.text;
    const line = Array.isArray(value) ? value.join(' ') : value == null ? '' : String(value);
    return measureText(line, item.fontSize ?? 11, item.fontWeight);
  };
  installed = true;
}
