/**
 * Starts the simulated storefront (storefront.ts) as a child process and stops it again: the
 * demo's "shop keeps selling" and "shop goes into maintenance". Works from dist/ (node) and
 * from src/ (tsx), so the tests and the built demo share it.
 */
import { spawn } from 'node:child_process';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorefrontStats } from './storefront.js';
import { encodeModes, type StorefrontModes } from './storefront-modes.js';

export type { LatencySummary } from './operation-log.js';
export type { StorefrontStats } from './storefront.js';
export type { StorefrontModes } from './storefront-modes.js';

export interface StorefrontOptions {
  /** mysql://user:password@host:port of the server holding the v1 store. */
  url: string;
  /** The v1 store's database. */
  schema: string;
  /** Operations per second. */
  rate: number;
  seed?: number;
  /** Prepared statements, a stored procedure, long reports, audit triggers of its own (default: none). */
  modes?: StorefrontModes;
}

export interface StorefrontProcess {
  /** Resolves once the storefront is connected and selling; rejects if it died first. */
  readonly opened: Promise<void>;
  /**
   * Maintenance mode: the storefront finishes the operations in hand (a running report is ended)
   * and says what it did, how long each kind of operation took and which errors it saw.
   */
  stop(): Promise<StorefrontStats>;
}

export function startStorefront(options: StorefrontOptions): StorefrontProcess {
  const here = fileURLToPath(import.meta.url);
  const extension = extname(here);
  const script = join(dirname(here), `storefront${extension}`);
  // From src/ the child needs tsx to load TypeScript, as this module's own process did.
  const loader = extension === '.ts' ? ['--import', 'tsx'] : [];
  const child = spawn(
    process.execPath,
    [
      ...loader,
      script,
      options.schema,
      String(options.rate),
      String(options.seed ?? 1),
      encodeModes(options.modes ?? {}),
    ],
    {
      env: { ...process.env, MIGRATE_STOREFRONT_URL: options.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  let markOpen: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    markOpen = resolve;
  });
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (out.startsWith('open\n')) markOpen();
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const done = new Promise<StorefrontStats>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code === 0 && last.startsWith('{')) {
        resolve(JSON.parse(last) as StorefrontStats);
        return;
      }
      const why = signal ? `was killed by ${signal}` : `exited with status ${code}`;
      reject(new Error(`the storefront ${why}${err.trim() ? `: ${err.trim()}` : ''}`));
    });
  });
  const openedOrDied = Promise.race([opened, done.then(() => {})]);
  // A storefront that dies early is reported by `opened` or stop(), not as an unhandled rejection.
  done.catch(() => {});
  openedOrDied.catch(() => {});
  return {
    opened: openedOrDied,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return done;
    },
  };
}
