/** convertIp: IPv4 between dotted quad and unsigned integer. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HandlerRejection } from '../../src/handlers/contract.js';
import { convertIp } from '../../src/handlers/convertIp.js';

const toInt = convertIp.create({ to: 'int' });
const toDotted = convertIp.create({ to: 'string' });

test('convertIp turns a dotted quad into its integer', () => {
  assert.equal(toInt.transform('192.168.0.1', {}), '3232235521');
  assert.equal(toInt.transform('0.0.0.0', {}), '0');
  assert.equal(toInt.transform('255.255.255.255', {}), '4294967295');
  assert.equal(toInt.transform('010.0.0.1', {}), '167772161');
});

test('convertIp turns an integer into a dotted quad', () => {
  assert.equal(toDotted.transform('3232235521', {}), '192.168.0.1');
  assert.equal(toDotted.transform('0', {}), '0.0.0.0');
  assert.equal(toDotted.transform('4294967295', {}), '255.255.255.255');
});

test('convertIp reads 4 raw bytes from a binary column', () => {
  assert.equal(toDotted.transform(Buffer.from([192, 168, 0, 1]), {}), '192.168.0.1');
  assert.equal(toInt.transform(Buffer.from([255, 255, 255, 255]), {}), '4294967295');
  assert.equal(toInt.transform(Buffer.from('10.0.0.1'), {}), '167772161');
});

test('convertIp keeps NULL and turns empty into NULL', () => {
  assert.equal(toInt.transform(null, {}), null);
  assert.equal(toInt.transform('', {}), null);
  assert.equal(toDotted.transform(Buffer.alloc(0), {}), null);
});

test('convertIp rejects what is not an IPv4 address, quoting it', () => {
  for (const value of [
    '256.1.1.1',
    '1.2.3',
    '1.2.3.4.5',
    '::1',
    '1.2.3.4 ',
    'a.b.c.d',
    '3232235521',
    '-1.2.3.4',
  ]) {
    assert.throws(
      () => toInt.transform(value, {}),
      (error: unknown) => {
        assert.ok(error instanceof HandlerRejection);
        assert.ok(error.message.includes(`"${value}"`), error.message);
        return true;
      },
    );
  }
  for (const value of ['4294967296', '-1', '1.5', '192.168.0.1', 'x', '99999999999']) {
    assert.throws(() => toDotted.transform(value, {}), {
      name: 'HandlerRejection',
      message: new RegExp(`"${value.replace('.', '\\.')}"`),
    });
  }
  assert.throws(() => toDotted.transform(Buffer.alloc(16), {}), HandlerRejection);
});

test('convertIp needs to: int or string', () => {
  for (const params of [{}, { to: 'number' }, { to: 1 }]) {
    assert.throws(() => convertIp.create(params), { name: 'HandlerParamsError', message: /params\.to/ });
  }
});

test('convertIp offers no sql (INET_ATON would not reject)', () => {
  assert.equal(toInt.sql, undefined);
});
