/**
 * The demo's work folder: the shipped demo mapping profile and a config.xml pointing at the demo
 * databases, written as an operator would write them, so every `migrate` command the demo runs
 * is one a user can run again from that folder.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ServerAddress } from '../db/throwaway-server.js';
import { ExitCode, MigrateError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import type { DemoSchemas } from './demo-store.js';

/** The variable config.xml reads the password from, when the server has one. */
export const DEMO_PASSWORD_VARIABLE = 'MIGRATE_DEMO_DB_PASSWORD';

/** The file the demo's storefront watches: while it exists, the old shop is in maintenance. */
export const MAINTENANCE_FLAG = 'maintenance.flag';

const PROFILE_FILES = ['map.json', 'settings.json', 'deltalog.json'] as const;

export interface DemoWork {
  dir: string;
  configFile: string;
  /** Environment the `migrate` commands need (the password variable, if any). */
  env: NodeJS.ProcessEnv;
}

/** Creates (or checks that it may use) the work folder. `requested` must be empty or not exist. */
export async function prepareWorkDir(requested: string | undefined): Promise<string> {
  if (!requested) return mkdtemp(join(tmpdir(), 'store-migrate-demo-'));
  const dir = resolve(requested);
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) {
    throw new MigrateError(`the work folder ${dir} is not empty`, {
      code: 'USAGE',
      exitCode: ExitCode.usage,
      hint: 'name an empty or new folder with --dir, or leave --dir out for a temp folder',
    });
  }
  return dir;
}

export async function writeDemoConfig(
  dir: string,
  server: ServerAddress,
  schemas: DemoSchemas,
): Promise<DemoWork> {
  const profile = join(packageRoot(), 'src', 'mappings', 'demo');
  const schemaFolder = join(packageRoot(), 'schemas');
  for (const file of PROFILE_FILES) {
    const text = await readFile(join(profile, file), 'utf8');
    // The "$schema" reference is relative to the shipped profile; make it work from here for editors.
    await writeFile(join(dir, file), text.replace('"../../../schemas/', `"${schemaFolder}/`));
  }
  const password = server.password ? ` password="\${${DEMO_PASSWORD_VARIABLE}}"` : '';
  const database = (name: string) =>
    `<database host="${xml(server.host)}" port="${server.port}" user="${xml(server.user)}"${password} name="${xml(name)}"/>`;
  const configFile = join(dir, 'config.xml');
  await writeFile(
    configFile,
    `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by \`npm run demo\`: the demo v1 store migrates to the demo v2 store on one server. -->
<config>
  <source>
    ${database(schemas.source)}
  </source>
  <destination>
    ${database(schemas.destination)}
  </destination>
  <options>
    <map_file>map.json</map_file>
    <settings_map_file>settings.json</settings_map_file>
    <deltalog_file>deltalog.json</deltalog_file>
    <direct_document_copy>1</direct_document_copy>
    <log_file>migration.log</log_file>
  </options>
  <!-- migrate cutover: the demo's storefront shows its maintenance page while maintenance.flag
       exists (as Magento's maintenance.flag); a real go_live would switch DNS or a load balancer. -->
  <hooks>
    <maintenance_on timeout="10">touch ${MAINTENANCE_FLAG}</maintenance_on>
    <go_live timeout="10">echo "the new shop takes the traffic now"</go_live>
    <abort timeout="10">rm -f ${MAINTENANCE_FLAG}</abort>
  </hooks>
</config>
`,
  );
  return {
    dir,
    configFile,
    env: server.password ? { [DEMO_PASSWORD_VARIABLE]: server.password } : {},
  };
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
