/**
 * multipart/mixed bodies (RFC 2046 section 5.1), as xAPI statement requests with attachments use
 * them (xAPI Communication 1.5.2). Pure: takes the whole body as a Buffer.
 *
 * Parts are separated by CRLF + `--boundary`; the body may start with the first delimiter or with a
 * preamble; it must end with the close delimiter `--boundary--` (anything after it is ignored).
 * Header lines end in CRLF; a blank line ends the headers; the part body is every byte up to the
 * CRLF that precedes the next delimiter, unchanged (binary).
 */

export interface MultipartPart {
  /** Header names lowercased, values trimmed. */
  headers: Record<string, string>;
  body: Buffer;
}

export type BoundaryResult = { ok: true; boundary: string } | { ok: false; message: string };
export type MultipartResult = { ok: true; parts: MultipartPart[] } | { ok: false; message: string };

/** The media type of a Content-Type value, lowercased, without parameters. */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * The boundary of a `multipart/mixed` Content-Type header, quoted (`boundary="a b"`) or not.
 */
export function boundaryFromContentType(contentType: string | undefined): BoundaryResult {
  if (mediaTypeOf(contentType) !== 'multipart/mixed') {
    return {
      ok: false,
      message: `Content-Type is ${JSON.stringify(contentType ?? '')}, not multipart/mixed`,
    };
  }
  const match = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType!);
  const boundary = match ? (match[1]?.replace(/\\(.)/g, '$1') ?? match[2]) : undefined;
  if (!boundary) {
    return {
      ok: false,
      message: 'the multipart/mixed Content-Type has no boundary parameter; add boundary=... (RFC 2046)',
    };
  }
  if (boundary.length > 70)
    return { ok: false, message: 'the multipart boundary is longer than 70 characters (RFC 2046)' };
  return { ok: true, boundary };
}

/** Splits a multipart/mixed body into parts. */
export function parseMultipartMixed(body: Buffer, boundary: string): MultipartResult {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const crlfDelimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  let position: number;
  if (body.subarray(0, delimiter.length).equals(delimiter)) position = delimiter.length;
  else {
    const found = body.indexOf(crlfDelimiter);
    if (found < 0) {
      return {
        ok: false,
        message: `the body has no boundary line --${boundary}; each part must start with the boundary (RFC 2046)`,
      };
    }
    position = found + crlfDelimiter.length;
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    if (body.subarray(position, position + 2).toString('latin1') === '--') return { ok: true, parts };
    while (body[position] === 0x20 || body[position] === 0x09) position++; // transport padding
    if (body.subarray(position, position + 2).toString('latin1') !== '\r\n') {
      return {
        ok: false,
        message: `a boundary line is not followed by CRLF (part ${parts.length + 1}); end each boundary line with CRLF`,
      };
    }
    const start = position + 2;
    const next = body.indexOf(crlfDelimiter, start);
    if (next < 0) {
      return {
        ok: false,
        message: `the body does not end with the closing boundary --${boundary}--; the request may be truncated`,
      };
    }
    const part = parsePart(body.subarray(start, next));
    if (typeof part === 'string') return { ok: false, message: `part ${parts.length + 1} ${part}` };
    parts.push(part);
    position = next + crlfDelimiter.length;
  }
}

function parsePart(raw: Buffer): MultipartPart | string {
  let headerEnd: number;
  let bodyStart: number;
  if (raw.subarray(0, 2).toString('latin1') === '\r\n') {
    headerEnd = 0;
    bodyStart = 2;
  } else {
    headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd < 0) return 'has no blank line (CRLF CRLF) between its headers and its content';
    bodyStart = headerEnd + 4;
  }
  const headers: Record<string, string> = {};
  const lines = raw.subarray(0, headerEnd).toString('utf8').split('\r\n');
  let last: string | undefined;
  for (const line of lines) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && last !== undefined) {
      headers[last] += ' ' + line.trim(); // folded header line
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return `has a malformed header line ${JSON.stringify(line)}`;
    last = line.slice(0, colon).trim().toLowerCase();
    headers[last] = line.slice(colon + 1).trim();
  }
  return { headers, body: raw.subarray(bodyStart) };
}
