import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2';
import { runCli } from '../../support/cli.js';
import { adminConnection } from '../../support/database.js';
import { fullDisk } from '../../support/full-disk.js';
import { configOverSchemas } from '../../support/schema-pair-config.js';

test('rejected rows on a full disk: the chunk is rolled back and the run stops naming the folder; after freeing space every row is in the destination or the file', async (t) => {
  const disk = await fullDisk(512);
  if ('unavailable' in disk) {
    t.skip(disk.unavailable);
    return;
  }
  const conn = await adminConnection();
  try {
    const rejectedDir = join(disk.dir, 'rejected');
    const { source, destination, config } = await configOverSchemas({
      label: 'fulldisk',
      options: `<direct_document_copy>0</direct_document_copy><bulk_size>50</bulk_size><rejected_dir>${rejectedDir}</rejected_dir>`,
    });
    await conn.query(`CREATE TABLE \`${source}\`.item (id INT PRIMARY KEY, v VARCHAR(300))`);
    await conn.query(`CREATE TABLE \`${destination}\`.item (id INT PRIMARY KEY, v VARCHAR(10))`);
    // 600 rows; every other one too long for the destination: about 300 x 400 bytes of rejected
    // lines, more than the 8 KB left on the disk.
    await conn.query(
      `INSERT INTO \`${source}\`.item SELECT seq, IF(seq % 2 = 0, REPEAT('x', 250), 'short') FROM \`${source}\`.seq_1_to_600`,
    );
    disk.fill(8192);

    const full = await runCli(['data', config]);
    assert.equal(full.status, 1, full.stderr);
    assert.match(full.stderr, /error REJECTED_WRITE_FAILED/);
    assert.ok(full.stderr.includes(join(rejectedDir, 'item.jsonl')), full.stderr);
    assert.match(full.stderr, /ENOSPC|no space/i);
    assert.match(full.stderr, /next: free space .*rejected_dir/);
    assert.doesNotMatch(full.stderr, /UNEXPECTED|\n\s+at /);

    // What the failed run committed: every copied chunk's rejected rows are whole lines in the file.
    const [[copied]] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last FROM \`${destination}\`.item`,
    );
    const partial = (await readFile(join(rejectedDir, 'item.jsonl'), 'utf8')).split('\n');
    assert.equal(partial.at(-1), '', 'the file ends with a whole line');
    const ids = new Set(partial.slice(0, -1).map((l) => Number(JSON.parse(l).key[0])));
    for (let id = 2; id <= Number(copied?.last); id += 2) assert.ok(ids.has(id), `row ${id} is in the file`);
    assert.ok(Number(copied?.n) < 300, 'the run stopped before the end');

    disk.free();
    const resumed = await runCli(['data', config]);
    assert.equal(resumed.status, 1, resumed.stderr);
    assert.match(resumed.stderr, /300 rows were rejected/);
    const lines = (await readFile(join(rejectedDir, 'item.jsonl'), 'utf8')).trim().split('\n');
    const all = new Set(lines.map((l) => Number(JSON.parse(l).key[0])));
    assert.equal(all.size, 300);
    const [[after]] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${destination}\`.item`);
    assert.equal(Number(after?.n), 300);
  } finally {
    await conn.end();
    disk.unmount();
  }
});
