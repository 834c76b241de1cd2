/**
 * Writes src/profiles/magento-1.9-to-2.4/map/unmigrated.json: every table of the real 1.9 and
 * 2.4 installs that no area of the profile covers yet, by exact name, so `migrate data` on a
 * Magento pair passes its integrity check while the profile grows area by area. An area covers
 * a 1.9 table by renaming it (an identity rename for a same-name table) or ignoring it in its
 * own map file, and a 2.4 table by filling it (rename target, merge, computed), ignoring it, or
 * claiming it with a step. Run after adding or merging an area (the map files' merge refuses a
 * table ignored here and mapped by an area, naming both files):
 *
 *   node --import tsx scripts/magento-unmigrated.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MAGENTO_INSTALL_FILES, MAGENTO_INSTALLS_HELP, sharedInstallsDir } from '../src/magento/installs.js';
import { dumpStatements, statementTable } from '../src/magento/sql-dump.js';
import type { MapFile } from '../src/mappings/map-rules.js';
import profile from '../src/profiles/magento-1.9-to-2.4/index.js';

function installTables(dir: string, version: '1.9' | '2.4'): string[] {
  const dump = gunzipSync(readFileSync(join(dir, MAGENTO_INSTALL_FILES[version].dump))).toString('utf8');
  const tables = new Set<string>();
  for (const statement of dumpStatements(dump)) {
    if (!/^\s*CREATE TABLE/i.test(statement.text)) continue;
    const table = statementTable(statement);
    if (table) tables.add(table);
  }
  return [...tables].sort();
}

const dir = sharedInstallsDir();
if (!dir) {
  console.error(`no Magento installs: ${MAGENTO_INSTALLS_HELP}`);
  process.exit(2);
}
const target = (profile.mapFiles ?? []).find((f) => f.endsWith('unmigrated.json'));
if (!target) throw new Error('the profile names no map/unmigrated.json');
const covered = { source: new Set<string>(), destination: new Set<string>() };
for (const file of profile.mapFiles ?? []) {
  if (file === target) continue;
  const map = JSON.parse(readFileSync(file, 'utf8')) as MapFile;
  for (const [from, to] of Object.entries(map.source?.documents?.rename ?? {})) {
    covered.source.add(from);
    covered.destination.add(to);
  }
  for (const name of map.source?.documents?.ignore ?? []) covered.source.add(name);
  for (const name of map.destination?.documents?.ignore ?? []) covered.destination.add(name);
  for (const name of Object.keys(map.destination?.documents?.merge ?? {})) covered.destination.add(name);
  for (const name of Object.keys(map.computed ?? {})) covered.destination.add(name);
}
const steps = typeof profile.steps === 'function' ? [] : (profile.steps ?? []);
for (const step of steps) for (const name of step.documents) covered.destination.add(name);
const wildcard = (names: Set<string>) =>
  [...names]
    .filter((n) => n.includes('*'))
    .map(
      (n) =>
        new RegExp(
          `^${n
            .split('*')
            .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
            .join('.*')}$`,
        ),
    );
const uncovered = (tables: string[], names: Set<string>) => {
  const patterns = wildcard(names);
  return tables.filter((t) => !names.has(t) && !patterns.some((p) => p.test(t)));
};
const unmigrated = {
  $schema: '../../../../schemas/map.schema.json',
  source: { documents: { ignore: uncovered(installTables(dir, '1.9'), covered.source) } },
  destination: { documents: { ignore: uncovered(installTables(dir, '2.4'), covered.destination) } },
};
writeFileSync(target, `${JSON.stringify(unmigrated, null, 2)}\n`);
console.log(
  `${target}: ${unmigrated.source.documents.ignore.length} 1.9 tables and ${unmigrated.destination.documents.ignore.length} 2.4 tables not migrated yet`,
);
