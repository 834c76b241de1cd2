import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { escapeHtml, renderCheckHtml } from '../../src/report/check-html.js';
import { chromiumMissing, dumpDom } from './chromium.js';
import { NASTY, sampleReport } from './sample-report.js';

test('names and values are escaped; the page needs nothing from outside', () => {
  assert.equal(escapeHtml(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  const html = renderCheckHtml(sampleReport());
  assert.ok(!html.includes('<script'), 'no script element, and the nasty name is not one');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;'));
  assert.ok(html.includes('(1, &quot;&lt;x&gt;&quot;)'), 'key values are escaped too');
  assert.ok(html.includes('ER_LOCK_WAIT_TIMEOUT &lt;&amp;&gt;'));
  assert.doesNotMatch(html, /https?:|<link|@import|url\(|src=/i);
  assert.match(html, /<style>/);
});

test('the HTML report opened in headless Chromium shows the mismatching documents and their keys', {
  skip: chromiumMissing(),
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'store-migrate-html-'));
  const file = join(dir, 'check.html');
  await writeFile(file, renderCheckHtml(sampleReport()));
  const dom = await dumpDom(file);
  assert.match(dom, /<title>Migration check: 2 of 4 documents differ<\/title>/);
  // The browser parsed the nasty name as text, in a row marked as a mismatch.
  const row = dom.match(/<tr class="mismatch" data-document="([^"]*)">([\s\S]*?)<\/tr>/);
  assert.ok(row, dom.slice(0, 2000));
  assert.ok(row[2]?.includes(escapeHtml(NASTY).replaceAll('&quot;', '"').replaceAll('&#39;', "'")));
  assert.match(dom, /id="overall-status">MISMATCH</);
  assert.match(dom, /<b>3 missing<\/b>/);
  assert.match(dom, /0x00ff/);
  assert.ok(!/<script/.test(dom));
});

test('the page shows – for unmeasured counts, the settings outcome, what is left behind and each repair', () => {
  const html = renderCheckHtml(sampleReport());
  assert.match(html, /<td class="n"><span title="not measured[^"]*">–<\/span><\/td>/);
  assert.match(html, /merged by migrate settings/);
  assert.doesNotMatch(html, /never run<\/td><\/tr>\n?.*core_config_data/);
  assert.match(html, /<p id="settings"><span class="badge ok">in-sync<\/span>/);
  assert.match(html, /<div id="left-behind">.*Source documents \(2\).*log_url/s);
  assert.match(
    html,
    /<p class="repair">To repair: `migrate data \/srv\/migrate\/config.xml --only &#39;&lt;script&gt;&#39;`/,
  );
  assert.match(html, /7 rows written by the copy<br><span class="meta">the table holds 11 now/);
});

test('rejected rows are labelled as outstanding (retry-rejected lowers the figure)', () => {
  const html = renderCheckHtml(sampleReport());
  assert.match(html, /<b>0<\/b>rejected rows outstanding/);
  assert.match(
    html,
    /<th title="rows the copy rejected and --retry-rejected has not yet loaded">rejected, outstanding<\/th>/,
  );
});

test('the page has a referential integrity table, violated keys first, and each verification', () => {
  const html = renderCheckHtml(sampleReport());
  assert.match(html, /<h2>Referential integrity<\/h2>/);
  assert.match(html, /<div class="card"><b>7<\/b>orphan rows<\/div>/);
  const violated = html.indexOf('data-constraint="FK_ITEM_ORDER"');
  const holding = html.indexOf('data-constraint="FK_ADDRESS_CUSTOMER"');
  assert.ok(violated > 0 && holding > violated);
  assert.ok(!html.includes(NASTY), 'example keys are escaped');
  assert.match(html, /<h2>Verification: demo-profile<\/h2>/);
});
