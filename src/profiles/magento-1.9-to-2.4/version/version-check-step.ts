/**
 * The profile's first step: it writes nothing; its integrity check reads both databases'
 * versions (detect-version.ts) and stops the run with MAGENTO_VERSION_UNSUPPORTED, before
 * anything is written, when either side is outside what the profile supports.
 */
import { readLoggedRelease, readModuleVersions } from '../../../db/magento-versions.js';
import type { Step, StepIntegrityContext } from '../../../engine/step.js';
import type { Problem } from '../../../mappings/problems.js';
import {
  DESTINATION_SUPPORTED,
  type Detected,
  detectDestinationVersion,
  detectSourceVersion,
  SOURCE_SUPPORTED,
} from './detect-version.js';

export class VersionCheckStep implements Step {
  readonly name = 'magento versions';
  readonly documents: readonly string[] = [];

  async integrity(ctx: StepIntegrityContext): Promise<Problem[]> {
    const { sourcePrefix, destPrefix } = ctx.config.options;
    const coreResource = `${sourcePrefix}core_resource`;
    const modules = ctx.sourceSchema.has(coreResource)
      ? await readModuleVersions(ctx.source, ctx.source.schema, coreResource)
      : undefined;
    const tables = new Set(
      [...ctx.destinationSchema.keys()]
        .filter((t) => t.startsWith(destPrefix))
        .map((t) => t.slice(destPrefix.length)),
    );
    const analytics = `${destPrefix}admin_analytics_usage_version_log`;
    const loggedRelease = ctx.destinationSchema.has(analytics)
      ? await readLoggedRelease(ctx.destination, ctx.destination.schema, analytics)
      : undefined;
    return [
      ...problem('source', detectSourceVersion({ modules }), SOURCE_SUPPORTED),
      ...problem('destination', detectDestinationVersion({ tables, loggedRelease }), DESTINATION_SUPPORTED),
    ];
  }

  async run() {
    return [];
  }
}

function problem(side: 'source' | 'destination', detected: Detected, supported: string): Problem[] {
  if (detected.ok) return [];
  return [
    {
      severity: 'error',
      code: 'MAGENTO_VERSION_UNSUPPORTED',
      document: side === 'source' ? 'core_resource' : 'patch_list',
      message: `profile magento-1.9-to-2.4: ${detected.reason}`,
      fix: `point <${side}> in config.xml at a ${supported} database${side === 'source' ? ' (and set <source_prefix> to its table prefix)' : ''}, or choose another <profile>`,
    },
  ];
}
