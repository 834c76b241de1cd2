/**
 * Files that hold customers' data (rejected rows, check reports, the log) are created readable
 * by their owner only, and replaced atomically: a reader sees the old file or the new one,
 * never half of either, and a crash leaves no half-written file behind.
 */
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and its parents) for the owner only; a folder that exists is left as it is. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Writes all of `data` at the file's position; `writeSync` may write less than asked (a full disk). */
export function writeFully(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
}

/** Makes a new or renamed directory entry durable: fsync of the folder that holds it. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a folder; the file's own fsync is what matters most.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Replaces `path` with `text`, mode 0600: temporary file, fsync, rename, fsync of the folder. */
export function writePrivateFileAtomic(path: string, text: string | Buffer): void {
  ensurePrivateDir(dirname(path));
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', PRIVATE_FILE_MODE);
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE); // a leftover temporary file keeps its mode otherwise
    writeFully(fd, Buffer.isBuffer(text) ? text : Buffer.from(text));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, path);
  syncDir(dirname(path));
}
