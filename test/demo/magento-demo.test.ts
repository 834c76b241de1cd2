import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAGENTO_PROFILE, magentoDemoConfig, runMagentoDemo } from '../../src/demo/magento-demo.js';

test('demo --profile magento without the installs says where to get them and exits 2', async () => {
  const saved = process.env.MAGENTO_INSTALLS_DIR;
  process.env.MAGENTO_INSTALLS_DIR = await mkdtemp(join(tmpdir(), 'no-installs-'));
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    const status = await runMagentoDemo({ orders: 10, rate: 1, keep: false, profile: 'magento' });
    assert.equal(status, 2);
  } finally {
    process.stderr.write = write;
    if (saved === undefined) delete process.env.MAGENTO_INSTALLS_DIR;
    else process.env.MAGENTO_INSTALLS_DIR = saved;
  }
  assert.match(written.join(''), /magento-1\.9\.3\.2-install\.sql\.gz/);
  assert.match(written.join(''), /\.\.\/shared\/magento/);
});

test('the Magento demo config names the profile and reads the password from the environment', () => {
  const server = {
    kind: 'throwaway' as const,
    host: '127.0.0.1',
    port: 3307,
    user: 'root',
    password: 'pw',
    stop: async () => {},
  };
  const xml = magentoDemoConfig(server, { source: 'demo_m1', destination: 'demo_m2' });
  assert.match(xml, new RegExp(`<profile>${MAGENTO_PROFILE}</profile>`));
  assert.match(xml, /name="demo_m1"/);
  assert.doesNotMatch(xml, /password="pw"/);
  // "--" may not appear inside an XML comment: the config must parse.
  for (const comment of xml.match(/<!--([\s\S]*?)-->/g) ?? [])
    assert.doesNotMatch(comment.slice(4, -3), /--/);
});
