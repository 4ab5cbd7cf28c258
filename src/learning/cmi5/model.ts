/** A cmi5 package as imported: the module version it made and what it holds (docs/content-packages.md). */
export interface ContentPackage {
  tenantId: string;
  id: string;
  moduleId: string;
  moduleVersion: number;
  /** The course's publisher id (`course@id` in cmi5.xml). */
  courseId: string;
  title: string;
  /** SHA-256 of the zip, hex: the same zip imported twice is refused. */
  sha256: string;
  fileCount: number;
  totalBytes: number;
  createdAt: Date;
}

/** One stored file of a package; `path` is relative to the package root, with forward slashes. */
export interface PackageFile {
  path: string;
  contentType: string;
  bytes: Buffer;
}
