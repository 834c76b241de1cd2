/**
 * One area of the Magento profile (stores, EAV, catalog, customers, sales...): its map files
 * (under map/, merged with the others') and its steps. index.ts composes the areas, one line
 * each, so helpers working on different areas do not share a file.
 */
import { join } from 'node:path';
import type { Step } from '../../engine/step.js';
import type { HandlerDefinition } from '../../handlers/contract.js';
import { packageRoot } from '../../util/package-root.js';

export interface ProfileArea {
  /** Absolute paths (see {@link mapFile}). */
  readonly mapFiles: readonly string[];
  readonly steps: readonly Step[];
  readonly handlers?: readonly HandlerDefinition[];
}

/** The profile's folder in the package (the JSON files stay in src/, as the demo's do). */
export const PROFILE_FOLDER = join(packageRoot(), 'src', 'profiles', 'magento-1.9-to-2.4');

/** A map file of this profile: map/<name>. */
export function mapFile(name: string): string {
  return join(PROFILE_FOLDER, 'map', name);
}
