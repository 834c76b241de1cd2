import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { countActions, planSettings, type SettingRow } from '../../../src/steps/settings/plan.js';
import type { SettingsRules } from '../../../src/steps/settings/rules.js';
import { compileSettingsRules } from '../../../src/steps/settings/rules.js';
import { SettingsDecryptError } from '../../../src/steps/settings/settings-cipher.js';
import { row, rules, settingsMap } from './helpers.js';

const TYPES = ['varchar', 'int', 'varchar', 'text'] as const;

function plan(r: SettingsRules, source: SettingRow[], destination: SettingRow[] = []) {
  return planSettings({ rules: r, source, destination, types: [...TYPES] });
}

/** `kind scope:id path` for each action, to compare plans at a glance. */
function summary(p: ReturnType<typeof plan>): string[] {
  return p.actions.map((a) => `${a.kind} ${a.scope}:${a.scopeId} ${a.path}`);
}

test('source wins where both have a value; destination-only rows are kept; equal values are unchanged', async () => {
  const p = plan(
    await rules(),
    [row('default:0 a/b/c', 'source'), row('default:0 a/b/same', 'x'), row('stores:1 a/b/new', '1')],
    [
      row('default:0 a/b/c', 'destination'),
      row('default:0 a/b/same', 'x'),
      row('default:0 only/in/dest', 'kept'),
    ],
  );
  assert.deepEqual(summary(p), [
    'insert stores:1 a/b/new',
    'update default:0 a/b/c',
    'unchanged default:0 a/b/same',
    'destination-only default:0 only/in/dest',
  ]);
  const update = p.actions.find((a) => a.kind === 'update');
  assert.equal(update?.before, 'destination');
  assert.equal(update?.after, 'source');
});

test('a case change or NULL against empty text is a change: values compare exactly', async () => {
  const p = plan(
    await rules(),
    [row('default:0 a/case', 'ABC'), row('default:0 a/null', null)],
    [row('default:0 a/case', 'abc'), row('default:0 a/null', '')],
  );
  assert.deepEqual(summary(p), ['update default:0 a/case', 'update default:0 a/null']);
});

test('keepDestination keeps the destination value where both have one, and inserts where it has none', async () => {
  const p = plan(
    await rules({ keepDestination: ['payment/*'] }),
    [row('default:0 payment/checkmo/title', 'Old'), row('websites:1 payment/checkmo/title', 'Old W')],
    [row('default:0 payment/checkmo/title', 'New')],
  );
  assert.deepEqual(summary(p), [
    'insert websites:1 payment/checkmo/title',
    'keep-destination default:0 payment/checkmo/title',
  ]);
  assert.equal(p.actions[1]?.rule, 'keepDestination "payment/*"');
});

test('ignore with a wildcard leaves the path out, and the destination keeps its own value for it', async () => {
  const p = plan(
    await rules({ ignore: ['dev/*', 'web/unsecure/base_url'] }),
    [
      row('default:0 dev/log/active', '1'),
      row('websites:1 dev/debug/hints', '1'),
      row('default:0 web/unsecure/base_url', 'http://old/'),
      row('default:0 devx/a', '1'),
    ],
    [row('default:0 dev/log/active', '0')],
  );
  assert.deepEqual(summary(p), [
    'insert default:0 devx/a',
    'destination-only default:0 dev/log/active',
    'ignored default:0 dev/log/active',
    'ignored default:0 web/unsecure/base_url',
    'ignored websites:1 dev/debug/hints',
  ]);
  assert.equal(p.actions.find((a) => a.kind === 'ignored')?.rule, 'ignore "dev/*"');
});

test('rename moves a value to its new path and says where it came from', async () => {
  const p = plan(
    await rules({
      rename: { 'design/header/welcome': 'design/header/welcome_text' },
      keepDestination: ['design/header/welcome_text'],
    }),
    [row('default:0 design/header/welcome', 'Hi'), row('stores:3 design/header/welcome', 'Hallo')],
    [row('stores:3 design/header/welcome_text', 'Servus')],
  );
  assert.deepEqual(summary(p), [
    'insert default:0 design/header/welcome_text',
    'keep-destination stores:3 design/header/welcome_text',
  ]);
  assert.deepEqual(p.actions[0]?.from, { scopeId: '0', path: 'design/header/welcome' });
});

test('transforms run in order on the renamed, re-scoped row; a wildcard transform covers many paths', async () => {
  const p = plan(
    await rules({
      rename: { 'a/b/c': 'x/y/z' },
      scopeIdMap: { stores: { '3': '5' } },
      transform: [
        { path: 'a/*', handler: 'addPrefix', params: { prefix: '[' } },
        { path: 'a/b/c', handler: 'copyField', params: { from: 'path' } },
        { path: 'seo/*', handler: 'setValue', params: { value: '1' } },
      ],
    }),
    [row('stores:3 a/b/c', 'v'), row('default:0 a/other', 'w'), row('default:0 seo/rewrites', '0')],
  );
  const values = Object.fromEntries(p.actions.map((a) => [`${a.scope}:${a.scopeId} ${a.path}`, a.after]));
  assert.deepEqual(values, {
    'default:0 a/other': '[w',
    'default:0 seo/rewrites': '1',
    'stores:5 x/y/z': 'x/y/z', // copyField saw the destination-shaped row
  });
});

test('the scope id map moves rows of that scope only; an id it does not list keeps its id', async () => {
  const p = plan(await rules({ scopeIdMap: { stores: { '3': '5' }, websites: { '2': '7' } } }), [
    row('stores:3 general/locale/code', 'de_DE'),
    row('stores:2 general/locale/code', 'fr_FR'),
    row('websites:2 currency/options/base', 'EUR'),
    row('default:0 x/y/z', '3'),
  ]);
  assert.deepEqual(summary(p), [
    'insert default:0 x/y/z',
    'insert stores:2 general/locale/code',
    'insert stores:5 general/locale/code',
    'insert websites:7 currency/options/base',
  ]);
  assert.deepEqual(p.actions[2]?.from, { scopeId: '3', path: 'general/locale/code' });
});

test('an encrypted path without a transform is not copied; with one it is written re-encrypted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'settings-plan-'));
  await writeFile(
    join(dir, 'reencrypt.mjs'),
    "export default (value) => (value === null ? null : 'new:' + value);\n",
  );
  const r = await compileSettingsRules(
    settingsMap({
      file: join(dir, 'settings.json'),
      encrypted: ['payment/*/password', 'carriers/*/password'],
      transform: [{ path: 'payment/*/password', handler: './reencrypt.mjs' }],
    }),
  );
  const p = plan(
    r,
    [row('default:0 payment/paypal/password', 'b2xk'), row('default:0 carriers/ups/password', 'c2VjcmV0')],
    [row('default:0 carriers/ups/password', 'mine')],
  );
  assert.deepEqual(summary(p), [
    'insert default:0 payment/paypal/password',
    'encrypted-skipped default:0 carriers/ups/password',
  ]);
  assert.equal(p.actions[0]?.after, 'new:b2xk');
  assert.equal(p.actions[0]?.reencrypted, true);
  assert.equal(p.actions[1]?.before, 'mine');
});

test('values that look encrypted on unlisted paths are reported, and still copied', async () => {
  const p = plan(await rules(), [
    row('default:0 payment/stripe/api_key', 'q83v7FJSmcmD1Q1sQ8Hx0A=='),
    row('default:0 some/module/token', '0:3:AbCdEf0123456789+/=='),
    row('default:0 general/store/name', 'q83v7FJSmcmD1Q1sQ8Hx0A=='),
    row('default:0 payment/checkmo/password', 'short'),
  ]);
  assert.deepEqual(
    p.looksEncrypted.map((a) => a.path),
    ['payment/stripe/api_key', 'some/module/token'],
  );
  assert.equal(countActions(p.actions).insert, 4);
});

test('a value a transform refuses, and two rows arriving at one key, block the plan', async () => {
  const p = plan(
    await rules({
      rename: { 'old/path': 'new/path' },
      transform: [{ path: 'ip/*', handler: 'convertIp', params: { to: 'int' } }],
    }),
    [
      row('default:0 ip/address', 'not an ip'),
      row('default:0 old/path', '1'),
      row('default:0 new/path', '2'),
    ],
    [row('default:0 dup/path', 'a'), row('default:0 dup/path', 'b')],
  );
  assert.equal(p.rejected.length, 1);
  assert.match(p.rejected[0]?.reason ?? '', /./);
  assert.deepEqual(p.collisions, [
    {
      scope: 'default',
      scopeId: '0',
      path: 'new/path',
      sources: ['default:0 old/path', 'default:0 new/path'],
    },
  ]);
  assert.deepEqual(p.destinationDuplicates, [{ scope: 'default', scopeId: '0', path: 'dup/path', count: 2 }]);
});

test('source paths no rule names that the destination has at no scope are counted for the integrity note', async () => {
  const p = plan(
    await rules({ ignore: ['dev/*'], keepDestination: ['payment/*'] }),
    [
      row('default:0 brand/new/path', '1'),
      row('stores:1 brand/new/path', '2'),
      row('stores:1 known/path', '1'),
      row('default:0 dev/x', '1'),
      row('default:0 payment/x/y', '1'),
    ],
    [row('default:0 known/path', '1')],
  );
  assert.deepEqual(p.uncoveredPaths, ['brand/new/path']);
});

test('scope ids compare as integers: 03 in the source is 3 in the destination', async () => {
  const p = plan(await rules(), [row('stores:03 a/b', 'x')], [row('stores:3 a/b', 'x')]);
  assert.deepEqual(summary(p), ['unchanged stores:03 a/b']);
});

test('scope ids by code: matched ids move, scopeIdMap wins, an unmatched scope is listed and not written', async () => {
  const r = await rules({ scopeIdMap: { stores: { '4': '9' } } });
  const p = planSettings({
    rules: r,
    scopeMatches: new Map([
      [
        'stores',
        new Map([
          ['2', { id: '7' }],
          ['3', { missing: 'store has no row with code "german"' }],
          ['4', { id: '1' }],
        ]),
      ],
    ]),
    source: [
      row('stores:2 a/b/c', 'fr'),
      row('stores:3 a/b/c', 'de'),
      row('stores:4 a/b/c', 'it'),
      row('stores:5 a/b/c', 'gone'),
      row('websites:2 a/b/c', 'kept id'),
    ],
    destination: [],
    types: [...TYPES],
  });
  assert.deepEqual(summary(p), [
    'insert stores:7 a/b/c',
    'insert stores:9 a/b/c',
    'insert websites:2 a/b/c',
    'scope-unmatched stores:3 a/b/c',
    'scope-orphaned stores:5 a/b/c',
  ]);
  assert.deepEqual(p.actions[0]?.from, { scopeId: '2', path: 'a/b/c' });
  assert.match(p.actions.at(-1)?.rule ?? '', /the source has no stores row with id 5/);
});

test('encrypted paths with a cipher: decrypted and encrypted again, the same plaintext in the destination unchanged, a failure listed', async () => {
  const base = await rules({ encrypted: ['payment/*/pwd'] });
  const r: SettingsRules = {
    ...base,
    cipher: {
      description: 'test',
      sourceKeyWhere: 'here',
      decryptSource(value) {
        if (!value.startsWith('old:')) throw new SettingsDecryptError('not old');
        return value.slice(4);
      },
      encryptDestination: (plain) => `new:${plain}`,
      decryptDestination: (value) => (value.startsWith('new:') ? value.slice(4) : undefined),
    },
  };
  const p = plan(
    r,
    [
      row('default:0 payment/a/pwd', 'old:one'),
      row('default:0 payment/b/pwd', 'old:two'),
      row('default:0 payment/c/pwd', 'garbage'),
      row('default:0 payment/d/pwd', ''),
      row('default:0 payment/e/pwd', 'old:five'),
    ],
    [row('default:0 payment/b/pwd', 'new:two'), row('default:0 payment/e/pwd', 'other key')],
  );
  assert.deepEqual(summary(p), [
    'insert default:0 payment/a/pwd',
    'insert default:0 payment/d/pwd',
    'update default:0 payment/e/pwd',
    'unchanged default:0 payment/b/pwd',
  ]);
  assert.deepEqual(p.unreadableDestination, ['default:0 payment/e/pwd']);
  assert.equal(p.actions[0]?.after, 'new:one');
  assert.equal(p.actions[0]?.reencrypted, true);
  assert.equal(p.actions[1]?.after, '');
  assert.deepEqual(p.undecryptable, [
    { scope: 'default', scopeId: '0', path: 'payment/c/pwd', reason: 'not old' },
  ]);
});
