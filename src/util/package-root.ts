/**
 * The folder holding the package's package.json, found from this module's location, so shipped
 * files (schemas/, mapping profiles, fixtures) are found both from src/ (tsx) and from dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('store-migrate: cannot find its own package.json');
    dir = parent;
  }
  cached = dir;
  return dir;
}
