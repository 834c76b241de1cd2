/**
 * A small real filesystem that can be filled up, for tests of what happens on a full disk
 * (ENOSPC). A tmpfs mount needs root, which the tests and CI have; where mounting is not
 * permitted, `fullDisk` returns the reason and the test skips with it.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, statfsSync, statSync, truncateSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FullDisk {
  /** The mount point. */
  dir: string;
  /** Fills the filesystem completely, then frees `leaveBytes` (rounded up to whole pages). */
  fill(leaveBytes?: number): void;
  /** Frees everything `fill` took. */
  free(): void;
  unmount(): void;
}

const FILLER = '.filler';

export async function fullDisk(sizeKb = 64): Promise<FullDisk | { unavailable: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0755`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const text = (error as { stderr?: Buffer }).stderr?.toString().trim() || String(error);
    return { unavailable: `a tmpfs cannot be mounted here (needs root): ${text}` };
  }
  const filler = join(dir, FILLER);
  return {
    dir,
    fill(leaveBytes = 0) {
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(4096, 120);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      if (leaveBytes > 0) {
        const { bsize } = statfsSync(dir);
        const { size } = statSync(filler);
        truncateSync(filler, Math.max(0, size - Math.ceil(leaveBytes / bsize) * bsize));
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
