import { crc32, inflateRawSync } from 'node:zlib';
import { ContentPackageError, type PackageLimits } from './package-limits.js';

/** One file of a zip: its path inside the package (forward slashes, no leading `/`) and its bytes. */
export interface ZipFile {
  path: string;
  data: Buffer;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

interface CentralEntry {
  path: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  symlink: boolean;
  directory: boolean;
}

/**
 * Reads a zip held in memory, refusing anything unsafe before inflating a byte (PKWARE APPNOTE 6.3:
 * the central directory is the truth, local headers only locate the data). Refused, with
 * ContentPackageError naming the entry: paths with a `..` segment, absolute paths or drive letters,
 * symbolic links, encrypted entries, methods other than stored and deflate, ZIP64, more than
 * `maxFiles` files, declared sizes summing over `maxTotalBytes`, a file whose compression ratio is
 * over `maxCompressionRatio` (a zip bomb), and data that inflates to more than its declared size or
 * fails its CRC-32 (a header that lies). Directory entries are skipped.
 */
export function readZip(zip: Buffer, limits: PackageLimits): ZipFile[] {
  if (zip.length > limits.maxTotalBytes)
    throw new ContentPackageError(
      `The package is ${mb(zip.length)}; packages are limited to ${mb(limits.maxTotalBytes)}. Publish it without unused media, or split the course.`,
    );
  const entries = centralDirectory(zip).filter((e) => !e.directory);
  checkEntries(entries, limits);
  return entries.map((e) => ({ path: e.path, data: entryData(zip, e) }));
}

function centralDirectory(zip: Buffer): CentralEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const size = zip.readUInt32LE(eocd + 12);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff)
    throw new ContentPackageError(
      'The package is a ZIP64 archive, which Yardstick does not read; packages are far smaller than 4 GB, so zip it again with a standard zip tool.',
    );
  if (offset + size > eocd) throw notAZip('its central directory points outside the file');
  const entries: CentralEntry[] = [];
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL_SIGNATURE)
      throw notAZip(`entry ${i + 1} of its central directory is damaged`);
    const madeBy = zip.readUInt16LE(p + 4);
    const flags = zip.readUInt16LE(p + 8);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const externalAttributes = zip.readUInt32LE(p + 38);
    const rawName = zip.subarray(p + 46, p + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise CP437, whose ASCII part is all a safe path may use anyway.
    const name = rawName.toString(flags & 0x800 ? 'utf8' : 'latin1');
    entries.push({
      path: name.replace(/\\/g, '/'),
      method: zip.readUInt16LE(p + 10),
      flags,
      crc: zip.readUInt32LE(p + 16),
      compressedSize: zip.readUInt32LE(p + 20),
      size: zip.readUInt32LE(p + 24),
      localOffset: zip.readUInt32LE(p + 42),
      symlink: madeBy >> 8 === UNIX_HOST && ((externalAttributes >>> 16) & S_IFMT) === S_IFLNK,
      directory: name.endsWith('/') || name.endsWith('\\'),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let p = zip.length - 22; p >= earliest; p--) if (zip.readUInt32LE(p) === EOCD_SIGNATURE) return p;
  throw notAZip('no end of central directory record was found');
}

function checkEntries(entries: CentralEntry[], limits: PackageLimits): void {
  if (entries.length > limits.maxFiles)
    throw new ContentPackageError(
      `The package holds ${entries.length} files; packages are limited to ${limits.maxFiles}. Remove unused files and zip it again.`,
    );
  const seen = new Set<string>();
  let total = 0;
  for (const e of entries) {
    const unsafe = unsafePath(e.path);
    if (unsafe)
      throw new ContentPackageError(
        `The zip entry "${e.path}" ${unsafe}; a package may only hold files inside itself. Zip the published folder's contents again.`,
        [{ path: e.path, message: unsafe }],
      );
    if (e.symlink)
      throw new ContentPackageError(
        `The zip entry "${e.path}" is a symbolic link; packages may hold only regular files. Zip the published folder again without links (zip without --symlinks).`,
        [{ path: e.path, message: 'symbolic link' }],
      );
    if (e.flags & 0x1)
      throw new ContentPackageError(
        `The zip entry "${e.path}" is encrypted; export the package without a password.`,
        [{ path: e.path, message: 'encrypted' }],
      );
    if (e.method !== 0 && e.method !== 8)
      throw new ContentPackageError(
        `The zip entry "${e.path}" uses compression method ${e.method}; zip the package again with standard (deflate) compression.`,
        [{ path: e.path, message: `compression method ${e.method}` }],
      );
    if (seen.has(e.path))
      throw new ContentPackageError(`The zip holds "${e.path}" twice; zip the package again.`, [
        { path: e.path, message: 'duplicate entry' },
      ]);
    seen.add(e.path);
    const ratio = e.size / Math.max(1, e.compressedSize);
    if (e.size >= limits.ratioCheckFromBytes && ratio > limits.maxCompressionRatio)
      throw new ContentPackageError(
        `The zip entry "${e.path}" expands ${Math.round(ratio)} times (${mb(e.size)} from ${mb(e.compressedSize)}), more than the limit of ${limits.maxCompressionRatio}: this is how zip bombs look, so the package is refused. Publish the course again from its authoring tool.`,
        [{ path: e.path, message: `compression ratio ${Math.round(ratio)}` }],
      );
    total += e.size;
    if (total > limits.maxTotalBytes)
      throw new ContentPackageError(
        `The package's files add up to more than ${mb(limits.maxTotalBytes)} uncompressed (the limit); publish it without unused media, or split the course.`,
      );
  }
}

/** Why a path would escape the package, or undefined when it is a plain relative path. */
function unsafePath(path: string): string | undefined {
  if (path.includes('\0')) return 'has a NUL character in its name';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'has an absolute path';
  if (path.split('/').some((s) => s === '..')) return 'climbs out of the package with "../"';
  if (path.split('/').some((s) => s === '')) return 'has an empty path segment';
  return undefined;
}

function entryData(zip: Buffer, e: CentralEntry): Buffer {
  const p = e.localOffset;
  if (p + 30 > zip.length || zip.readUInt32LE(p) !== LOCAL_SIGNATURE)
    throw notAZip(`the local header of "${e.path}" is missing`);
  const start = p + 30 + zip.readUInt16LE(p + 26) + zip.readUInt16LE(p + 28);
  if (start + e.compressedSize > zip.length) throw notAZip(`the data of "${e.path}" is cut off`);
  const raw = zip.subarray(start, start + e.compressedSize);
  let data: Buffer;
  try {
    // One byte over the declared size is enough to catch a lying header without inflating a bomb.
    data = e.method === 0 ? Buffer.from(raw) : inflateRawSync(raw, { maxOutputLength: e.size + 1 });
  } catch {
    throw new ContentPackageError(
      `The zip entry "${e.path}" cannot be decompressed or is larger than its header says; the package is damaged or forged. Publish it again.`,
      [{ path: e.path, message: 'damaged data' }],
    );
  }
  if (data.length !== e.size || crc32(data) !== e.crc)
    throw new ContentPackageError(
      `The zip entry "${e.path}" does not match its header (size or CRC-32); the package is damaged or forged. Publish it again.`,
      [{ path: e.path, message: 'size or checksum mismatch' }],
    );
  return data;
}

const notAZip = (why: string) =>
  new ContentPackageError(
    `The file is not a readable zip package: ${why}. Upload the .zip the authoring tool published.`,
  );

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
