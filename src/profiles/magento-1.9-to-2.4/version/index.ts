/** The version check: no map of its own, one step whose integrity check refuses unsupported versions. */
import type { ProfileArea } from '../area.js';
import { VersionCheckStep } from './version-check-step.js';

export const versionArea: ProfileArea = { mapFiles: [], steps: [new VersionCheckStep()] };
