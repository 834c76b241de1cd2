/** The tool's name and version, as reports record which build produced them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

let cached: string | undefined;

export function toolName(): string {
  if (!cached) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    cached = `${pkg.name} ${pkg.version}`;
  }
  return cached;
}
