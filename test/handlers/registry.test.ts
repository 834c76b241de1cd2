/** The handler registry: built-in names, suggestions for typos, and users' own modules. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigError } from '../../src/errors.js';
import { HandlerParamsError, HandlerRejection } from '../../src/handlers/contract.js';
import { builtInHandlers, resolveHandler } from '../../src/handlers/registry.js';
import { setValue } from '../../src/handlers/setValue.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'store-migrate-handlers-'));
  await writeFile(
    join(dir, 'upper.mjs'),
    'export default (value, row, params) => value === null ? null : (params.prefix ?? "") + value.toUpperCase() + row.id;\n',
  );
  await writeFile(
    join(dir, 'definition.mjs'),
    [
      'export default {',
      '  description: "doubles a value",',
      '  create(params) {',
      '    if (typeof params.times !== "number") throw new Error("needs params.times");',
      '    return {',
      '      reads: ["id"],',
      '      transform(value) {',
      '        if (value === "bad") { const e = new Error("bad value"); e.name = "HandlerRejection"; throw e; }',
      '        return value === "num" ? 5 : String(value).repeat(params.times);',
      '      },',
      '      sql: (b) => "REPEAT(" + b.self + ", " + params.times + ")",',
      '    };',
      '  },',
      '};',
    ].join('\n'),
  );
  await writeFile(join(dir, 'nothing.mjs'), 'export const handler = 1;\n');
  await writeFile(join(dir, 'broken.mjs'), 'export default {;\n');
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('every built-in handler is registered under its own name', async () => {
  assert.deepEqual([...builtInHandlers.keys()].sort(), [
    'addPrefix',
    'convert',
    'convertIp',
    'copyField',
    'mapId',
    'serializedToJson',
    'setValue',
    'timezoneShift',
    'truncate',
    'truncateSuffix',
  ]);
  for (const [name, definition] of builtInHandlers) {
    assert.equal(definition.name, name);
    assert.ok(definition.description.length > 10, name);
    assert.equal(await resolveHandler(name, dir), definition);
  }
  assert.equal(await resolveHandler('setValue', '/nowhere'), setValue);
});

test('an unknown name is a ConfigError that suggests the nearest handler', async () => {
  await assert.rejects(resolveHandler('setvalu', dir), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'HANDLER_UNKNOWN');
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /unknown handler "setvalu" \(did you mean "setValue"\?\)/);
    assert.match(error.hint ?? '', /convertIp/);
    assert.match(error.hint ?? '', /path to a module/);
    return true;
  });
  await assert.rejects(resolveHandler('somethingElseEntirely', dir), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, 'unknown handler "somethingElseEntirely"');
    return true;
  });
});

test('a module exporting a function becomes a handler', async () => {
  const definition = await resolveHandler('./upper.mjs', dir);
  assert.equal(definition.name, './upper.mjs');
  const handler = definition.create({ prefix: '>' });
  assert.equal(handler.transform('abc', { id: '7' }), '>ABC7');
  assert.equal(handler.transform(null, {}), null);
  assert.equal(handler.sql, undefined);
  // A path without ./ is recognised by its extension; an absolute path works too.
  assert.equal((await resolveHandler('upper.mjs', dir)).create({}).transform('x', { id: '' }), 'X');
  assert.equal(
    (await resolveHandler(join(dir, 'upper.mjs'), '/elsewhere')).create({}).transform('y', { id: '' }),
    'Y',
  );
});

test('a module exporting a definition object becomes a handler', async () => {
  const definition = await resolveHandler('./definition.mjs', dir);
  assert.equal(definition.name, './definition.mjs');
  assert.equal(definition.description, 'doubles a value');
  const handler = definition.create({ times: 2 });
  assert.equal(handler.transform('ab', {}), 'abab');
  assert.deepEqual(handler.reads, ['id']);
  assert.equal(handler.sql?.({ self: '`t`.`c`', column: (n) => n, literal: (v) => v }), 'REPEAT(`t`.`c`, 2)');
});

test("a user module's errors and wrong results are made ours", async () => {
  const definition = await resolveHandler('./definition.mjs', dir);
  assert.throws(
    () => definition.create({}),
    (error: unknown) => {
      assert.ok(error instanceof HandlerParamsError);
      assert.match(error.message, /definition\.mjs: create\(\) failed: Error: needs params\.times/);
      return true;
    },
  );
  const handler = definition.create({ times: 1 });
  assert.throws(
    () => handler.transform('bad', {}),
    (error: unknown) => error instanceof HandlerRejection,
  );
  assert.throws(() => handler.transform('num', {}), {
    name: 'HandlerRejection',
    message: /returned a number; it must return a string, Buffer or null/,
  });
});

test('a missing module is a ConfigError with the absolute path', async () => {
  await assert.rejects(resolveHandler('./missing.mjs', dir), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'HANDLER_MODULE_INVALID');
    assert.ok(error.message.includes(join(dir, 'missing.mjs')), error.message);
    assert.match(error.hint ?? '', /export default/);
    return true;
  });
});

test('a module that does not load or exports nothing usable is a ConfigError', async () => {
  for (const file of ['nothing.mjs', 'broken.mjs']) {
    await assert.rejects(resolveHandler(`./${file}`, dir), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'HANDLER_MODULE_INVALID');
      assert.ok(error.message.includes(join(dir, file)), error.message);
      assert.match(error.hint ?? '', /export default/);
      return true;
    });
  }
});
