/**
 * ISO 8601 timestamps (xAPI Data 4.5; used by `timestamp`, `stored` and the `since`/`until` query
 * parameters).
 *
 * Both versions: a combined date and time in ISO 8601 extended (`2008-09-15T15:53:00.601+00:00`) or
 * basic (`20080915T155300.601Z`) format, with minutes and seconds optional and any number of
 * fractional-second digits. A negative zero offset (`-00`, `-0000`, `-00:00`, RFC 3339's "offset
 * unknown") is rejected, as the ADL conformance suite requires for 1.0.3 and 2.0.
 *
 * xAPI 2.0 (IEEE 9274.1.1 4.5) additionally requires the time zone: `Z` or an offset. In 1.0.3 the
 * zone is only recommended ("SHOULD*"), and a timestamp without one is read as UTC.
 */
import type { XapiVersion } from '../types.js';

/** A parsed timestamp. */
export interface ParsedTimestamp {
  /**
   * The same instant in UTC as `YYYY-MM-DDThh:mm:ss.fffZ`, keeping every fractional digit given
   * (at least 3, trailing zeros beyond milliseconds removed). Equal instants give equal strings, so
   * this is the form to compare and to store as a query key.
   */
  instant: string;
  /** Milliseconds since the Unix epoch (fraction beyond milliseconds truncated). */
  epochMs: number;
  /** Whether the source text carried a zone designator. */
  hasZone: boolean;
}

export type TimestampResult = ({ ok: true } & ParsedTimestamp) | { ok: false; message: string };

const EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(?:(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?:\d{2})?)?$/;

/**
 * Parses and checks a timestamp for the given xAPI version. The message of a failure says what
 * form to send instead.
 */
export function parseTimestamp(text: unknown, version: XapiVersion): TimestampResult {
  const expected =
    version === '2.0.0'
      ? 'an ISO 8601 date and time with a time zone, e.g. "2024-03-01T09:30:00.000Z" or "2024-03-01T10:30:00+01:00"'
      : 'an ISO 8601 date and time, e.g. "2024-03-01T09:30:00.000Z"';
  if (typeof text !== 'string') return { ok: false, message: `must be a string: ${expected}` };
  const match = EXTENDED.exec(text) ?? BASIC.exec(text);
  if (!match) return { ok: false, message: `"${text}" is not ${expected}` };
  const [, y, mo, d, h, mi = '00', s = '00', fraction = '', zone] = match as unknown as string[];
  if (zone === undefined && version === '2.0.0') {
    return {
      ok: false,
      message: `"${text}" has no time zone; xAPI 2.0 requires one (Z or an offset such as +01:00)`,
    };
  }
  if (zone !== undefined && /^-00(:?00)?$/.test(zone)) {
    return {
      ok: false,
      message: `"${text}" uses the offset ${zone}, which means "offset unknown"; use Z or +00:00 for UTC`,
    };
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: `"${text}" is not a calendar date` };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return {
      ok: false,
      message: `"${text}" is not a valid time of day (hours 00-23, minutes and seconds 00-59)`,
    };
  }
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return { ok: false, message: `"${text}" has an invalid offset ${zone}` };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, 0);
  const wholeSeconds = date.getTime();
  let digits = fraction.padEnd(3, '0');
  digits = digits.slice(0, 3) + digits.slice(3).replace(/0+$/, '');
  const iso = date.toISOString(); // YYYY-MM-DDThh:mm:ss.000Z
  return {
    ok: true,
    instant: `${iso.slice(0, -5)}.${digits}Z`,
    epochMs: wholeSeconds + Number(digits.slice(0, 3)),
    hasZone: zone !== undefined,
  };
}

/** Formats a Date as an xAPI timestamp in UTC with millisecond precision (the LRS's own stamps). */
export function formatTimestamp(date: Date): string {
  return date.toISOString();
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
