/** The chunk sink against a real database: insert, reject, ledger, chunk and mark together, id lookups. */
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Database, type Queryable } from '../../src/db/database.js';
import { IdMapStore } from '../../src/db/id-map-store.js';
import { writeRows } from '../../src/db/row-writer.js';
import { ChunkSink, type ChunkWriteOutcome } from '../../src/engine/chunk-sink.js';
import { type FieldHandler, HandlerRejection, type Value } from '../../src/handlers/contract.js';
import { mapId } from '../../src/handlers/mapId.js';
import type { DocumentPlan } from '../../src/mappings/plan.js';
import { ProgressStore } from '../../src/progress/store.js';
import { RejectedLog, rejectedFileName } from '../../src/steps/data/rejected-log.js';
import { adminConnection, createTestSchema, databaseConfig } from '../support/database.js';

const schema = await createTestSchema('chunk_sink');
const admin = await adminConnection();
await admin.query(`
  CREATE TABLE \`${schema}\`.items (id INT PRIMARY KEY, attribute_id INT NOT NULL, code VARCHAR(4) NOT NULL);`);
await admin.end();
const db = await Database.open(await databaseConfig(schema), { side: 'destination', poolSize: 2 });
after(() => db.close());
const progress = new ProgressStore(db, 'sink_progress');
await progress.ensureTable();
const idMaps = new IdMapStore(db, 'sink_progress_idmap');
await idMaps.ensureTable();
// Source attribute 7 became destination attribute 70; attribute 8 has no entry.
await db.transaction((tx) =>
  idMaps.record(tx, 'eav_attribute', [{ sourceId: '7', destinationId: '70', created: false }]),
);

let documents = 0;
/** A fresh document (its own rows in `items`, its own progress part and rejected-rows file). */
async function documentOf(
  handlers: { attribute?: FieldHandler; code?: FieldHandler } = {},
  store: IdMapStore | null = idMaps,
) {
  const document = `items_${++documents}`;
  await progress.createParts(document, [{ start: null, end: null }]);
  const plan: DocumentPlan = {
    document,
    destinationDocument: 'items',
    sourceTable: document,
    destinationTable: 'items',
    owner: 'data',
    sourceColumns: ['id', 'attribute_id', 'code'],
    sourceTypes: ['int', 'int', 'varchar'],
    columns: [
      { destination: 'id', source: 'id' },
      { destination: 'attribute_id', source: 'attribute_id' },
      { destination: 'code', source: 'code' },
    ],
    destinationTypes: ['int', 'int', 'varchar'],
    sourceHandlers: handlers.attribute
      ? [{ field: 'attribute_id', name: 'test', handler: handlers.attribute }]
      : [],
    destinationHandlers: handlers.code ? [{ field: 'code', name: 'test', handler: handlers.code }] : [],
    key: ['id'],
    destinationKey: ['id'],
    sqlExpressible: false,
    estimatedRows: 0,
    estimatedBytes: 0,
  };
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-chunk-sink-'));
  const rejected = new RejectedLog(dir);
  const sink = new ChunkSink({ destination: db, rejected, progress, ...(store && { idMaps: store }) });
  const rejectedLines = async () => {
    const text = await readFile(join(dir, rejectedFileName(document)), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  };
  return { document, plan, sink, rejectedLines };
}

const insert = async (tx: Queryable, values: Value[][]): Promise<ChunkWriteOutcome> => {
  const result = await writeRows(tx, values, {
    table: 'items',
    columns: ['id', 'attribute_id', 'code'],
    maxAllowedPacket: 4 * 1024 * 1024,
    useLoadData: false,
  });
  return { written: result.written, refused: result.rejected };
};

async function itemsBetween(from: number, to: number): Promise<Array<[number, number, string]>> {
  const rows = await db.queryArrays(
    'SELECT id, attribute_id, code FROM items WHERE id BETWEEN ? AND ? ORDER BY id',
    [from, to],
  );
  return rows.map((r) => [Number(r[0]), Number(r[1]), String(r[2])]);
}

test('a chunk is written, its refused rows logged, and its mark advanced with the ledger', async () => {
  const { document, plan, sink, rejectedLines } = await documentOf();
  const counts = await sink.commit({
    document,
    plan,
    table: 'items',
    columns: ['id', 'attribute_id', 'code'],
    rows: [
      ['101', '1', 'ok'],
      ['102', '1', 'much too long'],
      ['103', '1', 'ok'],
    ],
    write: insert,
    mark: { document, part: 0, lastKey: ['103'], done: true, method: 'insert' },
  });
  assert.deepEqual([counts.read, counts.written, counts.rejected], [3, 2, 1]);
  assert.deepEqual(await itemsBetween(101, 103), [
    [101, 1, 'ok'],
    [103, 1, 'ok'],
  ]);
  const [part] = await progress.parts(document);
  assert.deepEqual(
    [part?.state, part?.rowsRead, part?.rowsCopied, part?.rowsRejected, part?.lastKey],
    ['copied', 3, 2, 1, ['103']],
  );
  const lines = await rejectedLines();
  assert.equal(lines.length, 1);
  assert.equal(lines[0].stage, 'write');
  assert.equal(lines[0].code, 'ER_DATA_TOO_LONG');
  assert.deepEqual(lines[0].key, ['102'], 'the entry keeps its source key for a retry');
});

test('a write that loses a row is refused by the ledger: rows and mark roll back together', async () => {
  const { document, plan, sink } = await documentOf();
  await assert.rejects(
    sink.commit({
      document,
      plan,
      table: 'items',
      columns: ['id', 'attribute_id', 'code'],
      rows: [
        ['201', '1', 'a'],
        ['202', '1', 'b'],
      ],
      // Writes both rows but reports one: the ledger (read 2 = written 1 + rejected 0) fails.
      write: async (tx, values) => ({ ...(await insert(tx, values)), written: 1 }),
      mark: { document, part: 0, lastKey: ['202'], done: false, method: 'insert' },
    }),
    (error: Error & { code?: string }) => error.code === 'LEDGER_MISMATCH',
  );
  assert.deepEqual(await itemsBetween(201, 202), [], 'the rows rolled back with the mark');
  const [part] = await progress.parts(document);
  assert.deepEqual([part?.state, part?.rowsRead, part?.lastKey], ['pending', 0, null]);
});

test('a failing write after the rows went in rolls back the chunk and leaves the mark where it was', async () => {
  const { document, plan, sink } = await documentOf();
  await assert.rejects(
    sink.commit({
      document,
      plan,
      table: 'items',
      columns: ['id', 'attribute_id', 'code'],
      rows: [['301', '1', 'a']],
      write: insert,
      mark: { document, part: 0, lastKey: ['301'], done: true, method: 'insert' },
      after: async () => {
        throw new Error('lost connection');
      },
    }),
    /lost connection/,
  );
  assert.deepEqual(await itemsBetween(301, 301), []);
  const [part] = await progress.parts(document);
  assert.deepEqual([part?.state, part?.rowsCopied], ['pending', 0]);
});

test('mapId gets ids loaded once per chunk: a known id is rewritten, an unknown one rejects its row', async () => {
  const handler = mapId.create({ map: 'eav_attribute' });
  const lookedUp: string[][] = [];
  const counting = Object.create(idMaps) as IdMapStore;
  counting.lookup = (map, ids, tx) => {
    lookedUp.push([map, ...ids]);
    return idMaps.lookup(map, ids, tx);
  };
  const { document, plan, sink, rejectedLines } = await documentOf({ attribute: handler }, counting);
  const counts = await sink.commit({
    document,
    plan,
    table: 'items',
    columns: ['id', 'attribute_id', 'code'],
    rows: [
      ['401', '7', 'a'],
      ['402', '8', 'b'],
      ['403', '7', 'c'],
    ],
    write: insert,
    mark: { document, part: 0, lastKey: ['403'], done: true, method: 'insert' },
  });
  assert.deepEqual([counts.read, counts.written, counts.rejected], [3, 2, 1]);
  assert.deepEqual(lookedUp, [['eav_attribute', '7', '8']], 'one query for the chunk, each id once');
  assert.deepEqual(await itemsBetween(401, 403), [
    [401, 70, 'a'],
    [403, 70, 'c'],
  ]);
  const lines = await rejectedLines();
  assert.equal(lines.length, 1);
  assert.match(lines[0].error, /id map eav_attribute has no entry for source id 8/);

  // The same row through a sink without the id map table: mapId cannot look up and rejects.
  const blind = await documentOf({ attribute: handler }, null);
  const none = await blind.sink.commit({
    document: blind.document,
    plan: blind.plan,
    table: 'items',
    columns: ['id', 'attribute_id', 'code'],
    rows: [['404', '7', 'd']],
    write: insert,
    mark: { document: blind.document, part: 0, lastKey: ['404'], done: true, method: 'insert' },
  });
  assert.deepEqual([none.written, none.rejected], [0, 1]);
  const [line] = await blind.rejectedLines();
  assert.equal(line.stage, 'transform');
  assert.match(line.error, /id map eav_attribute is not available/);
});

test('rows a destination handler refuses are logged with the source row and counted in the ledger', async () => {
  const refuseB: FieldHandler = {
    transform(value) {
      if (value === 'b') throw new HandlerRejection('no b');
      return value;
    },
  };
  const { document, plan, sink, rejectedLines } = await documentOf({ code: refuseB });
  const counts = await sink.commit({
    document,
    plan,
    table: 'items',
    columns: ['id', 'attribute_id', 'code'],
    rows: [
      ['501', '1', 'a'],
      ['502', '1', 'b'],
    ],
    write: insert,
    mark: { document, part: 0, lastKey: ['502'], done: true, method: 'insert' },
  });
  assert.deepEqual([counts.written, counts.rejected], [1, 1]);
  const lines = await rejectedLines();
  assert.equal(lines.length, 1);
  assert.equal(lines[0].stage, 'transform');
  assert.deepEqual(lines[0].values, ['502', '1', 'b']);
  assert.deepEqual(lines[0].key, ['502']);
  const [part] = await progress.parts(document);
  assert.deepEqual([part?.rowsRead, part?.rowsCopied, part?.rowsRejected], [2, 1, 1]);
});

test('rows without a plan are written as they are; a chunk without a mark still logs its refusals', async () => {
  const { document, sink, rejectedLines } = await documentOf();
  const afterCounts: number[] = [];
  const counts = await sink.commit({
    document,
    plan: null,
    table: 'items',
    columns: ['id', 'attribute_id', 'code'],
    rows: [
      ['601', '9', 'x'],
      ['601', '9', 'y'],
    ],
    write: insert,
    after: async (_tx, c) => {
      afterCounts.push(c.written, c.rejected);
    },
  });
  assert.deepEqual([counts.written, counts.rejected], [1, 1]);
  assert.deepEqual(afterCounts, [1, 1]);
  assert.deepEqual(await itemsBetween(601, 601), [[601, 9, 'x']]);
  const lines = await rejectedLines();
  assert.equal(lines[0].code, 'ER_DUP_ENTRY');
  const [part] = await progress.parts(document);
  assert.equal(part?.rowsRead, 0, 'no mark was asked for: the progress store is untouched');
});
