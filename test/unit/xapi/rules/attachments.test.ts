import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { aStatement } from '../../../fixtures/xapi/statements.js';
import { matchAttachmentParts, readStatementRequest } from '../../../../src/xapi/rules/attachments.js';
import { boundaryFromContentType, parseMultipartMixed } from '../../../../src/xapi/rules/multipart.js';

const BOUNDARY = "abcABC0123'()+_,-./:=?";
const CONTENT_TYPE = `multipart/mixed; boundary="${BOUNDARY}"`;
const TEXT = 'here is a simple attachment';
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const attachment = (data: string, overrides: Record<string, unknown> = {}) => ({
  usageType: 'http://example.com/attachment-usage/test',
  display: { 'en-US': 'A test attachment' },
  contentType: 'text/plain',
  length: Buffer.byteLength(data),
  sha2: sha256(data),
  ...overrides,
});

interface Part {
  headers: string[];
  body: string | Buffer;
}

/** Builds a body as xAPI Communication 1.5.2's example does: CRLF before every delimiter. */
function body(parts: Part[], { preamble = '', close = true } = {}): Buffer {
  const chunks: Buffer[] = [Buffer.from(preamble)];
  parts.forEach((part, index) => {
    chunks.push(
      Buffer.from(
        `${index === 0 && preamble === '' ? '' : '\r\n'}--${BOUNDARY}\r\n${part.headers.join('\r\n')}\r\n\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body));
  });
  if (close) chunks.push(Buffer.from(`\r\n--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const statementPart = (statements: unknown): Part => ({
  headers: ['Content-Type:application/json'],
  body: JSON.stringify(statements),
});
const dataPart = (data: string | Buffer, headers: string[] = []): Part => ({
  headers: [
    'Content-Type:text/plain',
    'Content-Transfer-Encoding:binary',
    `X-Experience-API-Hash:${sha256(data)}`,
    ...headers,
  ],
  body: data,
});

describe('multipart/mixed statement requests (xAPI Communication 1.5.2)', () => {
  it('reads the specification example: statements first, then the attachment data', () => {
    const statement = aStatement({ attachments: [attachment(TEXT)] });
    const result = readStatementRequest(body([statementPart(statement), dataPart(TEXT)]), CONTENT_TYPE);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    assert.deepEqual(JSON.parse(result.statementsText), statement);
    assert.equal(result.parts.length, 1);
    assert.equal(result.parts[0]!.body.toString(), TEXT);
    assert.equal(result.parts[0]!.sha2, sha256(TEXT));
  });
  it('keeps binary data byte for byte, CR LF and NUL included', () => {
    const data = Buffer.from([0, 13, 10, 45, 45, 255, 0, 13, 10]);
    const result = readStatementRequest(body([statementPart(aStatement()), dataPart(data)]), CONTENT_TYPE);
    assert.ok(result.ok);
    assert.ok(result.parts[0]!.body.equals(data));
  });
  it('accepts a preamble before the first boundary and headers without a space after the colon', () => {
    const result = readStatementRequest(
      body([statementPart(aStatement()), dataPart(TEXT)], { preamble: 'ignored preamble' }),
      CONTENT_TYPE,
    );
    assert.ok(result.ok);
  });
  it('assumes binary when Content-Transfer-Encoding is missing', () => {
    const part = {
      headers: ['Content-Type:text/plain', `X-Experience-API-Hash:${sha256(TEXT)}`],
      body: TEXT,
    };
    assert.ok(readStatementRequest(body([statementPart(aStatement()), part]), CONTENT_TYPE).ok);
  });
  it('rejects a Content-Type without boundary', () => {
    const result = readStatementRequest(body([statementPart(aStatement())]), 'multipart/mixed;');
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /no boundary parameter/);
  });
  it('rejects a body without boundary lines', () => {
    const result = readStatementRequest(
      Buffer.from('Content-Type: application/json\r\n\r\n{}'),
      CONTENT_TYPE,
    );
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /no boundary line/);
  });
  it('rejects a body without the closing boundary', () => {
    const result = readStatementRequest(
      body([statementPart(aStatement()), dataPart(TEXT)], { close: false }),
      CONTENT_TYPE,
    );
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /closing boundary/);
  });
  it('rejects a first part that is not application/json', () => {
    const result = readStatementRequest(
      body([{ headers: ['Content-Type:text/plain'], body: '{}' }]),
      CONTENT_TYPE,
    );
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /must be application\/json/);
  });
  it('rejects an attachment part without X-Experience-API-Hash (statements split over two parts)', () => {
    const result = readStatementRequest(
      body([statementPart(aStatement()), { headers: ['Content-Type:application/json'], body: '{}' }]),
      CONTENT_TYPE,
    );
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'body.part[2]');
    assert.match(result.errors[0]!.message, /X-Experience-API-Hash/);
  });
  it('rejects a Content-Transfer-Encoding other than binary', () => {
    const part = {
      headers: ['Content-Transfer-Encoding: base64', `X-Experience-API-Hash: ${sha256(TEXT)}`],
      body: TEXT,
    };
    const result = readStatementRequest(body([statementPart(aStatement()), part]), CONTENT_TYPE);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /base64.*binary/);
  });
  it('rejects a part whose data does not hash to its X-Experience-API-Hash', () => {
    const part = { headers: [`X-Experience-API-Hash:${sha256('other data')}`], body: TEXT };
    const result = readStatementRequest(body([statementPart(aStatement()), part]), CONTENT_TYPE);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /not the X-Experience-API-Hash/);
  });
  it('reads a quoted or unquoted boundary', () => {
    assert.deepEqual(boundaryFromContentType('multipart/mixed; boundary=-------314159265358979323846'), {
      ok: true,
      boundary: '-------314159265358979323846',
    });
    assert.deepEqual(boundaryFromContentType(CONTENT_TYPE), { ok: true, boundary: BOUNDARY });
    assert.ok(!boundaryFromContentType('multipart/form-data; boundary=x').ok);
  });
  it('parses a part with no headers', () => {
    const raw = Buffer.from(`--${BOUNDARY}\r\n\r\nbody\r\n--${BOUNDARY}--`);
    const result = parseMultipartMixed(raw, BOUNDARY);
    assert.ok(result.ok);
    assert.deepEqual(result.parts[0]!.headers, {});
    assert.equal(result.parts[0]!.body.toString(), 'body');
  });
});

describe('matchAttachmentParts (xAPI Communication 1.5.2)', () => {
  const read = (statements: unknown[], parts: Part[]) => {
    const result = readStatementRequest(body([statementPart(statements), ...parts]), CONTENT_TYPE);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    return result.parts;
  };
  it('matches parts to attachments by sha2, one part serving several statements', () => {
    const statements = [
      aStatement({ attachments: [attachment(TEXT)] }),
      aStatement({ attachments: [attachment(TEXT)] }),
    ];
    const result = matchAttachmentParts(statements, read(statements, [dataPart(TEXT)]), true);
    assert.ok(result.ok);
    assert.equal(result.partsBySha2.get(sha256(TEXT))!.body.toString(), TEXT);
  });
  it('rejects an attachment with neither fileUrl nor a matching part', () => {
    const statements = [aStatement({ attachments: [attachment(TEXT), attachment('second')] })];
    const result = matchAttachmentParts(statements, read(statements, [dataPart(TEXT)]), false);
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'statement.attachments[1]');
    assert.match(result.errors[0]!.message, /no fileUrl and no multipart part/);
  });
  it('accepts an attachment with a fileUrl and no part', () => {
    const statements = [
      aStatement({ attachments: [attachment('remote', { fileUrl: 'http://example.com/file.txt' })] }),
    ];
    assert.ok(matchAttachmentParts(statements, [], false).ok);
  });
  it('rejects a part that no attachment declares', () => {
    const statements = [aStatement({ attachments: [attachment(TEXT)] })];
    const result = matchAttachmentParts(
      statements,
      read(statements, [dataPart(TEXT), dataPart('extra')]),
      false,
    );
    assert.ok(!result.ok);
    assert.equal(result.errors[0]!.path, 'body.part[3]');
    assert.match(result.errors[0]!.message, /no statement's attachments declare/);
  });
  it('rejects a part whose Content-Type differs from the attachment contentType', () => {
    const statements = [aStatement({ attachments: [attachment(TEXT, { contentType: 'image/png' })] })];
    const result = matchAttachmentParts(statements, read(statements, [dataPart(TEXT)]), false);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /must match/);
  });
  it('requires a fileUrl on every attachment of an application/json request', () => {
    const result = matchAttachmentParts([aStatement({ attachments: [attachment(TEXT)] })], [], false);
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /multipart\/mixed request, or give a fileUrl/);
  });
});
