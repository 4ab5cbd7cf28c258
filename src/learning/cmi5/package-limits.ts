import { ValidationError, type ErrorDetail } from '../../errors.js';

/**
 * What a content package may hold. The defaults fit the packages Storyline, Rise, Captivate and iSpring
 * publish (a few hundred files, tens of MB with video) with room to spare, and refuse what would fill
 * the database or the server's memory (docs/content-packages.md, Limits).
 */
export interface PackageLimits {
  /** Files in the zip (directories not counted). */
  maxFiles: number;
  /** Sum of the files' uncompressed sizes, bytes; also the largest zip file accepted. */
  maxTotalBytes: number;
  /** Uncompressed / compressed size of one file above which it is taken for a zip bomb. */
  maxCompressionRatio: number;
  /** Files smaller than this are never judged by their ratio (tiny files compress oddly). */
  ratioCheckFromBytes: number;
}

export const DEFAULT_PACKAGE_LIMITS: Readonly<PackageLimits> = Object.freeze({
  maxFiles: 5000,
  maxTotalBytes: 500 * 1024 * 1024,
  maxCompressionRatio: 100,
  ratioCheckFromBytes: 1024 * 1024,
});

/** A package refused as a whole: nothing of it is stored. The message says what to fix. */
export class ContentPackageError extends ValidationError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message, details.length ? details : [{ message }]);
  }
}
