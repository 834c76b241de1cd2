import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as entry from '../src/index.js';
import { packageRoot } from '../src/util/package-root.js';
import { createSchemaPair } from './support/schema-pair.js';

test('the public entry point exports the contracts and errors a user module needs', () => {
  assert.equal(typeof entry.MigrateError, 'function');
  assert.equal(typeof entry.ConfigError, 'function');
  assert.ok(new entry.ConfigError('x', { code: 'HANDLER_PARAMS_INVALID' }) instanceof entry.MigrateError);
  assert.equal(new entry.HandlerRejection('no').name, 'HandlerRejection');
  assert.equal(typeof entry.HandlerParamsError, 'function');
  assert.equal(entry.ExitCode.integrity, 3);
  assert.ok(entry.builtInHandlers.has('mapId'), 'mapId is a built-in handler');
  assert.ok(entry.builtInProfiles.has('demo'), 'demo is a built-in profile');
  assert.equal(typeof entry.MergeStep, 'function');
  assert.equal(typeof entry.ComputedStep, 'function');
  // The contracts are types: a step written against them type-checks (tsc runs over test/).
  const step: entry.Step = { name: 'noop', documents: [], run: async () => [] };
  const profile: entry.Profile = { name: 'p', steps: [step] };
  assert.equal(profile.steps?.length, 1);
});

test('package.json main (dist/index.js) exists after `npm run build` and exports the same', async (t) => {
  const built = join(packageRoot(), 'dist', 'index.js');
  if (!existsSync(built)) {
    t.skip('dist/ is not built (npm test builds before it runs the tests)');
    return;
  }
  const dist = (await import(pathToFileURL(built).href)) as typeof entry;
  assert.equal(typeof dist.MigrateError, 'function');
  assert.equal(typeof dist.HandlerRejection, 'function');
  assert.ok(dist.builtInProfiles.has('demo'));
});

test('a script runs a migration through the exported workflows, without the CLI: data, then check', async () => {
  const schema = 'CREATE TABLE item (item_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)';
  const pair = await createSchemaPair('index_script', {
    source: `${schema}; INSERT INTO item VALUES (1, 'one'), (2, 'two'), (3, 'three')`,
    destination: schema,
  });
  const lines: string[] = [];
  const log = entry.createLogger('quiet', { out: (t) => lines.push(t), err: (t) => lines.push(t) });
  const config = await entry.loadConfig(pair.configFile);
  const files = await entry.loadMappingFiles(config);
  const lock = await entry.acquireRunLock(config, 'a script', log, () => {});
  const connections = await entry.openConnections(config);
  const silent = { document() {}, rows() {}, finish() {}, stop() {} };
  try {
    const copied = await entry.runDataWorkflow(
      {
        config,
        files,
        connections,
        log,
        stop: { requested: false },
        lock,
        ui: {
          confirm: async () => false,
          dryRunNotice: () => {},
          startThrottle: (held) =>
            entry.Throttle.start(config, log, (state) => held.recordThrottle(state), []),
          progress: () => silent,
        },
      },
      { configArg: pair.configFile, skipPreflight: true },
    );
    assert.equal(copied, entry.ExitCode.ok, lines.join('\n'));
    const checked = await entry.runCheckWorkflow(
      { config, files, connections, log, progress: () => silent },
      { configArg: pair.configFile, mode: 'deep' },
    );
    assert.equal(checked.exitCode, entry.ExitCode.ok);
    assert.deepEqual(
      checked.report.documents.map((d) => [d.document, d.sourceRows, d.destinationRows, d.status]),
      [['item', 3, 3, 'ok']],
    );
  } finally {
    await entry.closeConnections(connections);
    await lock.release();
  }
});
