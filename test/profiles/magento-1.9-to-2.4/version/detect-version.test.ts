import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  detectDestinationVersion,
  detectSourceVersion,
} from '../../../../src/profiles/magento-1.9-to-2.4/version/detect-version.js';

const modules = (catalog: string, core = '1.6.0.6') =>
  new Map([
    ['catalog_setup', catalog],
    ['core_setup', core],
  ]);

test('source: 1.9.x is told by catalog_setup 1.6.0.0.19.x; 1.8, a missing core_resource and a non-Magento database are refused', () => {
  assert.deepEqual(detectSourceVersion({ modules: modules('1.6.0.0.19.1.5') }), {
    ok: true,
    version: 'Magento 1.9 (catalog_setup 1.6.0.0.19.1.5, core_setup 1.6.0.6)',
  });
  assert.equal(detectSourceVersion({ modules: modules('1.6.0.0.19.1.6', '1.6.0.10') }).ok, true);
  const old = detectSourceVersion({ modules: modules('1.6.0.0.18.1.1', '1.6.0.4') });
  assert.equal(old.ok, false);
  assert.match(!old.ok ? old.reason : '', /catalog_setup 1\.6\.0\.0\.18\.1\.1.*not Magento 1\.9/);
  const none = detectSourceVersion({ modules: undefined });
  assert.match(!none.ok ? none.reason : '', /no core_resource table.*source_prefix/);
  assert.equal(detectSourceVersion({ modules: new Map() }).ok, false);
});

test('destination: 2.4 from the logged release, else from patch_list and a 2.4-only table; 2.3, 2.5 and a Magento 1 refused', () => {
  const base = ['patch_list', 'store_website'];
  assert.deepEqual(
    detectDestinationVersion({ tables: new Set([...base, 'login_as_customer']), loggedRelease: '2.4.8' }),
    { ok: true, version: 'Magento 2.4.8' },
  );
  assert.deepEqual(
    detectDestinationVersion({ tables: new Set([...base, 'jwt_auth_revoked']), loggedRelease: undefined }),
    {
      ok: true,
      version: 'Magento 2.4.x (has jwt_auth_revoked)',
    },
  );
  const v23 = detectDestinationVersion({ tables: new Set(base), loggedRelease: undefined });
  assert.match(!v23.ok ? v23.reason : '', /Magento 2\.3 or older/);
  const v25 = detectDestinationVersion({
    tables: new Set([...base, 'login_as_customer']),
    loggedRelease: '2.5.0',
  });
  assert.match(!v25.ok ? v25.reason : '', /Magento 2\.5\.0/);
  const m1 = detectDestinationVersion({ tables: new Set(['core_resource']), loggedRelease: undefined });
  assert.match(!m1.ok ? m1.reason : '', /swapped/);
});
