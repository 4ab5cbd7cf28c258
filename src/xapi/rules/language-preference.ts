/**
 * Choosing one language from a language map by the request's Accept-Language header, for the
 * `canonical` statement format (xAPI Communication 2.1.3, "Language Filtering Requirements for
 * Canonical Format Statements": apply Accept-Language as in RFC 2616 section 14.4, to each
 * language map separately).
 */

/** One entry of an Accept-Language header. */
export interface LanguageRange {
  /** Lowercase range, e.g. `en-gb`, `en` or `*`. */
  range: string;
  /** Quality from 0 to 1 (default 1). */
  q: number;
}

/**
 * Parses an Accept-Language header into ranges ordered by preference (highest q first; equal q
 * keep header order). Malformed entries are skipped; ranges with q=0 are kept with q 0 so they can
 * exclude languages.
 *
 * @example parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5')
 */
export function parseAcceptLanguage(header: string | undefined): LanguageRange[] {
  if (!header) return [];
  const ranges: (LanguageRange & { order: number })[] = [];
  header.split(',').forEach((item, order) => {
    const [rangePart, ...params] = item.trim().split(';');
    const range = (rangePart ?? '').trim().toLowerCase();
    if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/.test(range)) return;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
    }
    ranges.push({ range, q, order });
  });
  return ranges.sort((a, b) => b.q - a.q || a.order - b.order).map(({ range, q }) => ({ range, q }));
}

/**
 * Picks the key of `map` to keep. Order of preference:
 * 1. RFC 2616 matching, range by range in preference order: a tag equal to the range, or starting
 *    with the range followed by `-` (range `en` matches `en-US`); `*` matches any tag;
 * 2. RFC 4647 lookup fallback: each range with subtags removed from the end (`en-GB` then `en`);
 * 3. the same two steps for `defaultLanguages` (the LRS's own preference, default `en-US`, `en`);
 * 4. the first key of the map.
 * Tags excluded with q=0 are never picked by steps 1-3. Returns undefined for an empty map.
 */
export function chooseLanguage(
  keys: readonly string[],
  preferences: readonly LanguageRange[],
  defaultLanguages: readonly string[] = ['en-US', 'en'],
): string | undefined {
  if (keys.length === 0) return undefined;
  const excluded = preferences.filter((p) => p.q === 0 && p.range !== '*').map((p) => p.range);
  const allowed = keys.filter((key) => !excluded.some((range) => matches(range, key)));
  const wanted = preferences.filter((p) => p.q > 0).map((p) => p.range);
  return (
    pick(allowed, wanted) ??
    pick(
      allowed,
      defaultLanguages.map((l) => l.toLowerCase()).filter((l) => l !== '*'),
    ) ??
    keys[0]
  );
}

function pick(keys: readonly string[], ranges: readonly string[]): string | undefined {
  for (const range of ranges) {
    if (range === '*') {
      if (keys[0] !== undefined) return keys[0];
      continue;
    }
    const exact = keys.find((key) => key.toLowerCase() === range);
    if (exact) return exact;
    const prefixed = keys.find((key) => matches(range, key));
    if (prefixed) return prefixed;
  }
  for (const range of ranges) {
    const subtags = range.split('-');
    for (let n = subtags.length - 1; n >= 1; n--) {
      const shorter = subtags.slice(0, n).join('-');
      const found =
        keys.find((key) => key.toLowerCase() === shorter) ?? keys.find((key) => matches(shorter, key));
      if (found) return found;
    }
  }
  return undefined;
}

function matches(range: string, key: string): boolean {
  const tag = key.toLowerCase();
  return tag === range || tag.startsWith(range + '-');
}

/**
 * A language map reduced to the one chosen entry (xAPI: "The LRS MUST return only one language in
 * each of these maps"). Non-object values are returned unchanged.
 */
export function reduceLanguageMap(
  map: unknown,
  preferences: readonly LanguageRange[],
  defaultLanguages?: readonly string[],
): unknown {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return map;
  const entries = map as Record<string, unknown>;
  const chosen = chooseLanguage(Object.keys(entries), preferences, defaultLanguages);
  return chosen === undefined ? {} : { [chosen]: entries[chosen] };
}
