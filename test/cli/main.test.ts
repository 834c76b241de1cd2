import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { createStoreEnv } from '../support/store-env.js';

test('--version prints the package version', async () => {
  const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  const result = await runCli(['--version']);
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), pkg.version);
});

test('--help lists only the commands that work, and every command has --help', async () => {
  const result = await runCli(['--help']);
  assert.equal(result.status, 0);
  const commands = [...result.stdout.matchAll(/^ {2}migrate (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(commands.sort(), [
    'check',
    'cleanup',
    'cutover',
    'data',
    'delta',
    'plan',
    'preflight',
    'settings',
    'status',
  ]);
  for (const command of commands) {
    const help = await runCli([String(command), '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, new RegExp(`migrate ${command} <config>`));
    assert.match(help.stdout, /--verbose/);
    // Its own options before the global ones, examples, and the exit statuses it can end with.
    const own = help.stdout.indexOf('\nOptions:');
    const global = help.stdout.indexOf('\nGlobal options:');
    assert.ok(global > 0 && (own === -1 || global > own), `${command}: its options first\n${help.stdout}`);
    assert.match(help.stdout, /\nExamples:\n {2}migrate /, `${command} has examples`);
    assert.match(help.stdout, /\nExit status:\n {2}0 {3}\S/, `${command} lists its exit statuses`);
    assert.doesNotMatch(help.stdout, /Show help|Show version/, 'one capitalisation throughout');
  }
  const data = await runCli(['data', '--help']);
  for (const option of [
    '--dry-run',
    '--auto',
    '--only',
    '--skip',
    '--reset',
    '--yes',
    '--retry-rejected',
    '--skip-preflight',
  ]) {
    assert.ok(data.stdout.includes(option), `data --help mentions ${option}`);
  }
});

test('migrate preflight reports both servers and the privileges; -q keeps only results', async () => {
  const env = await createStoreEnv('cli_preflight');
  const result = await runCli(['preflight', env.configFile]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^source\s+MariaDB \d+\.\d+\.\d+\s+root@127\.0\.0\.1:\d+\/t_cli_preflight_v1/m);
  assert.match(result.stdout, /^destination\s+MariaDB/m);
  assert.match(result.stdout, /privileges: all present/);

  const quiet = await runCli(['data', env.configFile, '--dry-run', '-q']);
  assert.equal(quiet.status, 0);
  assert.equal(quiet.stderr, '');
  const verbose = await runCli(['data', env.configFile, '--dry-run', '-v']);
  assert.match(verbose.stderr, /privileges: all present/);
});
