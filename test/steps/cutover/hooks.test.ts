/**
 * The cut-over's hooks: `<hooks>` in config.xml (read, validated, errors naming the line) and
 * running them as real shell commands: environment, output into the log, failure, timeout.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../../src/config/load-config.js';
import { createLogger } from '../../../src/log.js';
import { HookFailed, runHook } from '../../../src/steps/cutover/hooks.js';
import { configXml, ENV, expectConfigError, tempDir, writeConfig } from '../../config/helpers.js';

async function configWithHooks(hooks: string, dir?: string) {
  const xml = configXml().replace('</config>', `  <hooks>\n${hooks}\n  </hooks>\n</config>`);
  return loadConfig(await writeConfig(xml, dir), ENV);
}

function capture() {
  const lines: string[] = [];
  const log = createLogger('normal', { out: (t) => lines.push(t), err: (t) => lines.push(t) });
  return { log, lines };
}

test('<hooks> are read with their timeouts; the default timeout is 60 s', async () => {
  const config = await configWithHooks(
    '<maintenance_on timeout="5">touch on.flag</maintenance_on>\n<go_live>echo live</go_live>',
  );
  assert.deepEqual(config.hooks?.commands, {
    maintenance_on: { command: 'touch on.flag', timeoutSeconds: 5 },
    go_live: { command: 'echo live', timeoutSeconds: 60 },
  });
  assert.deepEqual(config.hooks?.secretVariables, ['M1_PASSWORD', 'M2_PASSWORD']);
  const none = await loadConfig(await writeConfig(configXml()), ENV);
  assert.equal(none.hooks, undefined);
});

test('an unknown hook, a bad timeout or an empty command is an error naming the line', async () => {
  const unknown = await expectConfigError(
    configWithHooks('<maintenance_off>x</maintenance_off>'),
    'CONFIG_UNKNOWN_ELEMENT',
    'unknown element <maintenance_off> in <hooks> at line 6; did you mean <maintenance_on>?',
  );
  assert.equal(unknown.context.line, 6);
  await expectConfigError(
    configWithHooks('<abort timeout="soon">x</abort>'),
    'CONFIG_VALUE_INVALID',
    'the timeout of <abort> in <hooks> at line 6 is "soon"',
  );
  await expectConfigError(configWithHooks('<abort wait="3">x</abort>'), 'CONFIG_UNKNOWN_ATTRIBUTE', 'wait');
  await expectConfigError(configWithHooks('<go_live>  </go_live>'), 'CONFIG_MISSING', '<go_live> in <hooks>');
});

test('a hook runs in the config folder with MIGRATE_PHASE and MIGRATE_CONFIG, without the password variables, its output in the log', async () => {
  const dir = await tempDir();
  const config = await configWithHooks(
    '<maintenance_on>touch on.flag; echo "phase=$MIGRATE_PHASE config=$MIGRATE_CONFIG pw=[$M1_PASSWORD]"; echo oops &gt;&amp;2</maintenance_on>',
    dir,
  );
  process.env.M1_PASSWORD = 'secret-in-env';
  try {
    const { log, lines } = capture();
    const run = await runHook(config, 'maintenance_on', 'maintenance on', log);
    assert.ok(existsSync(path.join(dir, 'on.flag')), 'the hook ran in the config folder');
    assert.equal(run?.exitCode, 0);
    const said = lines.join('\n');
    assert.match(
      said,
      new RegExp(`hook maintenance_on: phase=maintenance on config=${config.file} pw=\\[\\]`),
    );
    assert.match(said, /hook maintenance_on: oops/);
    assert.doesNotMatch(said, /secret-in-env/);
  } finally {
    delete process.env.M1_PASSWORD;
  }
  const absent = await runHook(config, 'go_live', 'go live', capture().log);
  assert.equal(absent, undefined, 'a hook config.xml does not have is not run');
});

test('a hook that exits non-zero or outlives its timeout fails with HOOK_FAILED', async () => {
  const dir = await tempDir();
  const config = await configWithHooks(
    '<abort>echo cannot reach the load balancer; exit 3</abort>\n<go_live timeout="1">sleep 30; touch late.flag</go_live>',
    dir,
  );
  const failing = await runHook(config, 'abort', 'abort', capture().log).then(
    () => assert.fail('expected HOOK_FAILED'),
    (error: unknown) => error,
  );
  assert.ok(failing instanceof HookFailed);
  assert.equal(failing.code, 'HOOK_FAILED');
  assert.match(
    failing.message,
    /the abort hook `echo cannot reach the load balancer; exit 3` exited with status 3/,
  );
  assert.deepEqual(failing.run.output, ['cannot reach the load balancer']);

  const started = Date.now();
  const slow = await runHook(config, 'go_live', 'go live', capture().log).then(
    () => assert.fail('expected HOOK_FAILED'),
    (error: unknown) => error,
  );
  assert.ok(slow instanceof HookFailed);
  assert.match(slow.message, /did not end within its timeout of 1 s and was killed/);
  assert.ok(Date.now() - started < 10_000, 'the timeout ended it, not the sleep');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(existsSync(path.join(dir, 'late.flag')), false, 'the whole process group was killed');
  assert.ok(readFileSync(config.file, 'utf8').includes('<hooks>'));
});

test('the crypt keys: read from the environment into the options, their variables kept from hooks', async () => {
  const options = `<map_file>map.json</map_file><source_crypt_key>\${M1_KEY}</source_crypt_key><destination_crypt_key>\${M2_KEY}</destination_crypt_key>`;
  const xml = configXml({ options }).replace(
    '</config>',
    '  <hooks><go_live>echo live</go_live></hooks>\n</config>',
  );
  const config = await loadConfig(await writeConfig(xml), { ...ENV, M1_KEY: 'k1', M2_KEY: 'k2' });
  assert.equal(config.options.sourceCryptKey, 'k1');
  assert.equal(config.options.destinationCryptKey, 'k2');
  assert.deepEqual(config.hooks?.secretVariables, ['M1_PASSWORD', 'M2_PASSWORD', 'M1_KEY', 'M2_KEY']);
});
