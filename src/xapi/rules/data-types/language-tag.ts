/**
 * RFC 5646 language tags (BCP 47), the keys of xAPI language maps and the value of context.language.
 *
 * xAPI Data 2.2: "The LRS MUST at least validate that the sequence of token lengths for language map
 * keys matches the RFC 5646 standard." This checks well-formedness (RFC 5646 section 2.1 ABNF plus the
 * section 2.2.5/2.2.6 rules that a variant or an extension singleton appears at most once). It does
 * not check subtags against the IANA registry.
 */

/** Grandfathered tags (RFC 5646 section 2.2.8), compared lowercase. */
const GRANDFATHERED = new Set(
  [
    'en-GB-oed',
    'i-ami',
    'i-bnn',
    'i-default',
    'i-enochian',
    'i-hak',
    'i-klingon',
    'i-lux',
    'i-mingo',
    'i-navajo',
    'i-pwn',
    'i-tao',
    'i-tay',
    'i-tsu',
    'sgn-BE-FR',
    'sgn-BE-NL',
    'sgn-CH-DE',
    'art-lojban',
    'cel-gaulish',
    'no-bok',
    'no-nyn',
    'zh-guoyu',
    'zh-hakka',
    'zh-min',
    'zh-min-nan',
    'zh-xiang',
  ].map((tag) => tag.toLowerCase()),
);

const ALPHA = /^[a-z]+$/;
const DIGIT = /^[0-9]+$/;
const ALPHANUM = /^[a-z0-9]+$/;

/**
 * True when `tag` is a well-formed RFC 5646 language tag, e.g. `en`, `en-US`, `zh-Hant-TW`,
 * `sr-Latn-RS`, `cmn`, `es-419`, `de-CH-1996`, `x-private`. Case-insensitive. False for anything
 * that is not a string, for empty subtags, subtags longer than 8 characters (`something`), and for a
 * repeated variant or extension singleton (`zh-z-aaa-z-bbb`).
 */
export function isWellFormedLanguageTag(tag: unknown): boolean {
  if (typeof tag !== 'string' || tag === '') return false;
  const lower = tag.toLowerCase();
  if (GRANDFATHERED.has(lower)) return true;
  const subtags = lower.split('-');
  if (subtags.some((s) => s.length < 1 || s.length > 8 || !ALPHANUM.test(s))) return false;
  if (subtags[0] === 'x') return subtags.length > 1; // privateuse-only tag
  return parseLangtag(subtags);
}

function parseLangtag(subtags: string[]): boolean {
  let i = 0;
  const at = (): string | undefined => subtags[i];
  const language = at();
  if (language === undefined || !ALPHA.test(language) || language.length < 2) return false;
  i++;
  if (language.length <= 3) {
    for (let n = 0; n < 3 && isLength(at(), 3, 3) && ALPHA.test(at()!); n++) i++; // extlang
  }
  if (isLength(at(), 4, 4) && ALPHA.test(at()!)) i++; // script
  if ((isLength(at(), 2, 2) && ALPHA.test(at()!)) || (isLength(at(), 3, 3) && DIGIT.test(at()!))) i++; // region
  const variants = new Set<string>();
  while (isVariant(at())) {
    if (variants.has(at()!)) return false;
    variants.add(at()!);
    i++;
  }
  const singletons = new Set<string>();
  while (at() !== undefined && at()!.length === 1 && at() !== 'x') {
    const singleton = at()!;
    if (singletons.has(singleton)) return false;
    singletons.add(singleton);
    i++;
    let count = 0;
    while (isLength(at(), 2, 8)) {
      i++;
      count++;
    }
    if (count === 0) return false;
  }
  if (at() === 'x') {
    i++;
    if (at() === undefined) return false;
    while (at() !== undefined) i++; // every remaining subtag is 1-8 alphanum, checked above
  }
  return i === subtags.length;
}

function isLength(subtag: string | undefined, min: number, max: number): boolean {
  return subtag !== undefined && subtag.length >= min && subtag.length <= max;
}

function isVariant(subtag: string | undefined): boolean {
  if (subtag === undefined) return false;
  return (subtag.length >= 5 && subtag.length <= 8) || (subtag.length === 4 && /^[0-9]/.test(subtag));
}
