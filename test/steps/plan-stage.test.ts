import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { closeConnections, openConnections } from '../../src/steps/plan-stage.js';
import { createStoreEnv } from '../support/store-env.js';

test('unique checks always on (no bulk insert that swallows a colliding chunk); foreign-key checks off; the source is read-only', async () => {
  const env = await createStoreEnv('plan_stage_sessions', { orders: 5 });
  const config = await loadConfig(env.configFile);
  {
    const connections = await openConnections(config);
    try {
      const [row] = await connections.destination.query<{ u: string; f: string; iso: string }>(
        'SELECT @@SESSION.unique_checks AS u, @@SESSION.foreign_key_checks AS f, @@SESSION.tx_isolation AS iso',
      );
      assert.deepEqual({ ...row }, { u: '1', f: '0', iso: 'READ-COMMITTED' });
      await assert.rejects(
        connections.source.execute('INSERT INTO log_url (visitor_id) VALUES (1)'),
        /READ ONLY/i,
      );
    } finally {
      await closeConnections(connections);
    }
  }
});
