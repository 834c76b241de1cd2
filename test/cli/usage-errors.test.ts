import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withConfigPath } from '../../src/cli/config-path-text.js';
import { explainUsage } from '../../src/cli/usage-errors.js';
import { runCli } from '../support/cli.js';

const commands = new Map([
  ['data', { names: ['config', 'dry-run', 'only', 'skip', 'reset', 'yes', 'y'], arrays: ['only', 'skip'] }],
  ['check', { names: ['config', 'deep', 'only', 'skip', 'keys'], arrays: ['only', 'skip'] }],
]);

test('a misspelt option before the config path: did you mean, and the command’s own help', () => {
  const error = explainUsage(
    'Not enough non-option arguments: got 0, need at least 1',
    ['data', '--dry-runn', 'x.xml'],
    commands,
  );
  assert.equal(error.code, 'USAGE');
  assert.equal(error.exitCode, 2);
  assert.match(
    error.message,
    /^unknown option --dry-runn \(did you mean --dry-run\?\); it took the word after it/,
  );
  assert.equal(error.hint, 'see `migrate data --help`');
  const after = explainUsage(
    'Unknown arguments: dry-runn, dryRunn',
    ['data', 'x.xml', '--dry-runn'],
    commands,
  );
  assert.equal(after.message, 'unknown option --dry-runn (did you mean --dry-run?)');
});

test('a list option before the config path: says it swallowed the path and prints the command in order', () => {
  const error = explainUsage(
    'Not enough non-option arguments: got 0, need at least 1',
    ['check', '--only', 'sales_*', 'config.xml'],
    commands,
  );
  assert.match(error.message, /--only takes every word after it, so it took config.xml as one of its values/);
  assert.match(error.hint ?? '', /put the config path first: `migrate check config.xml --only 'sales_\*'`/);
});

test('a misspelt command names the nearest one and its help', () => {
  const error = explainUsage('Did you mean data?', ['dta', 'x.xml'], commands);
  assert.equal(error.message, 'unknown command dta: did you mean data?');
  assert.equal(error.hint, 'see `migrate data --help`');
});

test('next: lines name the config path the operator typed', () => {
  assert.equal(
    withConfigPath('run `migrate data <config> --reset --only a`', 'shops/eu.xml'),
    'run `migrate data shops/eu.xml --reset --only a`',
  );
  assert.equal(
    withConfigPath('add <deltalog_file> to <options> in config.xml, then run `migrate data`', 'eu.xml'),
    'add <deltalog_file> to <options> in eu.xml, then run `migrate data eu.xml`',
  );
  assert.equal(
    withConfigPath('run `migrate data /srv/eu.xml --retry-rejected`', 'eu.xml', '/srv/eu.xml'),
    'run `migrate data eu.xml --retry-rejected`',
  );
  assert.equal(
    withConfigPath('`migrate <command> path/to/config.xml`', 'my shop.xml'),
    '`migrate <command> path/to/config.xml`',
  );
  assert.equal(
    withConfigPath('run migrate settings again', 'my shop.xml'),
    "run migrate settings 'my shop.xml' again",
  );
});

test('the real CLI: a typo before the path is named, with the command help (exit 2)', async () => {
  const result = await runCli(['data', '--dry-runn', 'x.xml']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /error USAGE: unknown option --dry-runn \(did you mean --dry-run\?\)/);
  assert.match(result.stderr, /next: see `migrate data --help`/);
  const delta = await runCli(['delta', 'missing-dir/eu.xml']);
  assert.equal(delta.status, 2);
  assert.match(delta.stderr, /CONFIG_FILE_UNREADABLE/);
});
