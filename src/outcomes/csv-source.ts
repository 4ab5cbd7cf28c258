import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, CsvError } from 'csv-parse';
import { ValidationError } from '../errors.js';

/** One record of a source: its cells in column order and the row number users see. */
export interface SourceRecord {
  rowNumber: number;
  cells: unknown[];
}

/** Counts and hashes the bytes flowing through, untouched. */
export class ByteMeter extends Transform {
  bytes = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(private readonly onBytes: (bytes: number) => void = () => {}) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    this.onBytes(this.bytes);
    done(null, chunk);
  }

  /** SHA-256 of everything that passed, hex. Call once, after the stream ended. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * Streams a CSV through csv-parse and hands `consume` the header, then every record, with its line
 * number (the header is line 1; a record spanning lines gets its last line). Back-pressure holds:
 * the parser waits while `consume` awaits. Empty lines are skipped; records with a different number
 * of cells than the header are passed on (the validator reports them) rather than stopping the parse.
 * Bad quoting stops the parse with a ValidationError naming the line. Resolves to the byte count and
 * the SHA-256 of the bytes.
 */
export async function streamCsv(
  input: Readable,
  consume: (header: string[], records: AsyncIterable<SourceRecord>) => Promise<void>,
  onBytes: (bytes: number) => void = () => {},
): Promise<{ bytes: number; sha256: string }> {
  const meter = new ByteMeter(onBytes);
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
  });
  try {
    await pipeline(
      input,
      meter,
      parser,
      async (source: AsyncIterable<{ record: string[]; info: { lines: number } }>) => {
        const iterator = source[Symbol.asyncIterator]();
        const first = await iterator.next();
        if (first.done)
          throw new ValidationError('The file is empty: send a header row and at least one data row.');
        const header = first.value.record;
        const records: AsyncIterable<SourceRecord> = {
          [Symbol.asyncIterator]: () => ({
            async next() {
              const n = await iterator.next();
              return n.done
                ? { done: true, value: undefined }
                : { done: false, value: { rowNumber: n.value.info.lines, cells: n.value.record } };
            },
          }),
        };
        await consume(header, records);
        // Drain anything the consumer left (it should not), so the pipeline can finish.
        while (!(await iterator.next()).done);
      },
    );
  } catch (err) {
    if (err instanceof CsvError) {
      const line = (err as CsvError & { lines?: number }).lines;
      throw new ValidationError(
        `The file is not valid CSV${line ? ` at line ${line}` : ''}: ${err.message}. Check the quoting there (a field containing commas, quotes or line breaks must be wrapped in double quotes, with inner quotes doubled) and upload it again.`,
        [{ path: line ? `line ${line}` : 'file', message: err.code }],
      );
    }
    throw err;
  }
  return { bytes: meter.bytes, sha256: meter.digest() };
}
