import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/**
 * Where a case's files live. One interface so a deployment can put them on disk (`DiskDocumentStore`)
 * or in object storage (an S3-style store implements the same three calls); the database keeps only
 * the metadata and the key.
 */
export interface DocumentStore {
  /** Stores new bytes under a key that is not in use (never overwrites). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under a key, or null when they are gone. */
  get(key: string): Promise<Buffer | null>;
  /** Removes the bytes under a key; a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are ours (random ids): anything else is refused so a key can never leave the directory. */
const KEY = /^[A-Za-z0-9_-]{8,80}$/;

/** Files in one directory (CASE_DOCUMENTS_DIR), readable only by the server's own user. */
export class DiskDocumentStore implements DocumentStore {
  private readonly dir: string;
  private made: Promise<unknown> | null = null;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private path(key: string): string {
    if (!KEY.test(key)) throw new Error("invalid document key");
    return join(this.dir, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    this.made ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.made;
    await writeFile(this.path(key), bytes, { flag: "wx", mode: 0o600 });
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}

/**
 * The kinds of file a case accepts, recognised by their first bytes (never by name or by the
 * uploader's content type): PDF, PNG and JPEG, which cover letters, scans and photos. Office files are
 * ZIP archives that could hold anything; they are left out until a scanner can look inside.
 */
const SIGNATURES: { mediaType: string; extension: string; magic: number[] }[] = [
  { mediaType: "application/pdf", extension: "pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { mediaType: "image/png", extension: "png", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { mediaType: "image/jpeg", extension: "jpg", magic: [0xff, 0xd8, 0xff] },
];

/** The media type of bytes by their signature, or null when they are not an allowed kind. */
export function sniffMediaType(bytes: Buffer): { mediaType: string; extension: string } | null {
  const hit = SIGNATURES.find((s) => bytes.length >= s.magic.length && s.magic.every((b, i) => bytes[i] === b));
  return hit ? { mediaType: hit.mediaType, extension: hit.extension } : null;
}
