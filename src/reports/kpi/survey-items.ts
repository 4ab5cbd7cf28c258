import { likertSummary, type LikertSummary } from '../stats/likert.js';
import { netPromoterScore, type NetPromoterScore } from '../stats/nps.js';

/**
 * Turns a stored answer into a 1-based Likert level: the level number itself ("4"), or the label text
 * (case and surrounding spaces ignored). Null when it is neither (counted as unreadable).
 */
export function likertLevel(response: string, labels: readonly string[]): number | null {
  const trimmed = response.trim();
  if (/^\d+$/.test(trimmed)) {
    const level = Number(trimmed);
    return level >= 1 && level <= labels.length ? level : null;
  }
  const i = labels.findIndex((l) => l.trim().toLowerCase() === trimmed.toLowerCase());
  return i >= 0 ? i + 1 : null;
}

/** A 0-10 rating from an answer ("9"), or null. */
export function npsRating(response: string): number | null {
  const trimmed = response.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const v = Number(trimmed);
  return v <= 10 ? v : null;
}

/** Likert summary (counts per level, mean, top-two box) from answer counts; null when none is readable. */
export function likertFromCounts(
  counts: readonly { response: string; count: number }[],
  labels: readonly string[],
): { summary: LikertSummary | null; unreadable: number } {
  const levels: number[] = [];
  let unreadable = 0;
  for (const c of counts) {
    const level = likertLevel(c.response, labels);
    if (level === null) unreadable += c.count;
    else for (let i = 0; i < c.count; i++) levels.push(level);
  }
  return { summary: levels.length ? likertSummary(levels, labels.length) : null, unreadable };
}

/** NPS (promoters, passives, detractors, score) from answer counts; null when none is readable. */
export function npsFromCounts(counts: readonly { response: string; count: number }[]): {
  nps: NetPromoterScore | null;
  unreadable: number;
} {
  const ratings: number[] = [];
  let unreadable = 0;
  for (const c of counts) {
    const r = npsRating(c.response);
    if (r === null) unreadable += c.count;
    else for (let i = 0; i < c.count; i++) ratings.push(r);
  }
  return { nps: ratings.length ? netPromoterScore(ratings) : null, unreadable };
}
