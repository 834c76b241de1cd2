/**
 * Appending whole lines or nothing to a file opened for appending (the log file, rejected-rows
 * files): a write that fails half-way (a full disk) is cut back off, so no partial line is left
 * for the next append to be glued to.
 */
import { fsyncSync, ftruncateSync } from 'node:fs';
import { writeFully } from './private-file.js';

/**
 * Writes all of `data` to `fd`, whose content ends at `start`; on failure truncates the file back
 * to `start` and rethrows. With `sync`, the data is on the disk (fsync) before it returns.
 */
export function appendWhole(fd: number, start: number, data: Buffer, options: { sync?: boolean } = {}): void {
  try {
    writeFully(fd, data);
    if (options.sync) fsyncSync(fd);
  } catch (error) {
    try {
      ftruncateSync(fd, start);
    } catch {
      // Nothing more can be done here; the callers say how they recover (a gap line, a re-check).
    }
    throw error;
  }
}
