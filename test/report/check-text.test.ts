import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveSourceNote, totalsOf } from '../../src/report/check-report.js';
import { formatCheck } from '../../src/report/check-text.js';
import { keyText } from '../../src/report/key-text.js';
import { sampleReport } from './sample-report.js';

test('the console report lists each document, the differing keys, lower bounds and skipped documents', () => {
  const text = formatCheck(sampleReport());
  assert.match(text, /^deep check: 2 of 4 documents differ/);
  assert.match(text, /note: a live source can differ from the destination until delta has caught up/);
  assert.match(text, /missing 3: \(1, "<x>"\) \(2, "a&b"\) \.\.\. and 1 more/);
  assert.match(text, /extra 2: \(9, 0x00ff\) \.\.\. and 1 more/);
  assert.match(text, /log_table\s+log_table\s+sql\s+10\s+10\s+0\s+0\s+0\s+>=1\s+mismatch\s+never/);
  assert.match(text, /skipped \(copied by migrate settings, which merges\): core_config_data/);
});

test('keys print short: plain values bare, odd text quoted, binary as hex', () => {
  assert.equal(keyText(['42']), '42');
  assert.equal(keyText(['7', 'a b']), '(7, "a b")');
  assert.equal(keyText([{ hex: '00ff' }]), '0x00ff');
  assert.equal(keyText([null]), 'NULL');
});

test('the note says what the change logs held when the check ended', () => {
  assert.match(liveSourceNote(null), /^a live source can differ/);
  assert.match(
    liveSourceNote(
      new Map([
        ['sales_flat_order', 0],
        ['customer_entity', 0],
      ]),
    ),
    /^the 2 change logs were empty when the check ended: delta had applied every change the shop made, so a difference is real$/,
  );
  assert.equal(
    liveSourceNote(
      new Map([
        ['sales_flat_order', 3],
        ['customer_entity', 0],
        ['sales_flat_order_item', 4],
      ]),
    ),
    '7 changes were still waiting in the change logs when the check ended (sales_flat_order 3, sales_flat_order_item 4): ' +
      'differences in those documents may be them; run migrate delta until it has caught up and check again',
  );
});

test('a count-only check shows – for missing, extra and changed: it did not measure them', () => {
  const deep = sampleReport();
  const documents = deep.documents.map((d) => ({
    ...d,
    method: 'count' as const,
    counts: { missing: null, extra: null, changed: null },
    exact: false,
    missing: [],
    extra: [],
    changed: [],
  }));
  const report = { ...deep, mode: 'count' as const, documents, totals: totalsOf(documents) };
  assert.deepEqual([report.totals.missing, report.totals.extra, report.totals.changed], [null, null, null]);
  const text = formatCheck(report);
  assert.match(text, /orders\s+sales_order\s+count\s+10\s+10\s+0\s+–\s+–\s+–\s+ok/);
  assert.doesNotMatch(text, /missing 0|extra 0|changed 0/);
  assert.match(text, /missing, extra and changed: – \(not measured: .*run with --deep\)/);
});

test('the sign-off sections: settings outcome, what the map leaves behind, a repair per mismatch', () => {
  const text = formatCheck(sampleReport());
  assert.match(text, /^settings \(migrate settings\): in-sync: merged: nothing left to write$/m);
  assert.match(text, /^left behind on purpose \(ignored by the map, not migrated\):$/m);
  assert.match(text, /^ {2}source documents \(2\): log_url, <script>/m);
  assert.match(text, /^ {2}source fields \(1\): sales_flat_order\.gift_message_id$/m);
  assert.match(text, /^ {2}destination documents \(1\): sequence_order_1$/m);
  assert.doesNotMatch(text, /destination fields/);
  assert.match(
    text,
    /^ {2}repair: `migrate data \/srv\/migrate\/config\.xml --only '<script>'` \(finishes the copy\)$/m,
  );
  assert.match(
    text,
    /core_config_data\s+core_config_data\s+count\s+10\s+4\s+0\s+–\s+–\s+–\s+skipped\s+by settings/,
  );
});

test('the console report shows the violated foreign keys with examples and repair, and each verification', () => {
  const text = formatCheck(sampleReport());
  assert.match(
    text,
    /^deep check: 2 of 4 documents differ, and 7 rows point at nothing, and a verification failed/,
  );
  assert.match(text, /referential integrity: 7 orphan rows in 1 of 2 foreign keys/);
  assert.match(
    text,
    /sales_order_item \(order_id\) -> sales_order \(entity_id\) \[FK_ITEM_ORDER\]: 7 orphan rows\n {4}e\.g\. 11 -> 900, 12 -> ".*" \.\.\. and 5 more \(item_id -> missing parent key\)\n {4}repair: rows of sales_order_item/,
  );
  assert.doesNotMatch(text, /FK_ADDRESS_CUSTOMER/, 'a constraint that holds is only counted');
  assert.match(text, /verification demo-profile: failed/);
});
