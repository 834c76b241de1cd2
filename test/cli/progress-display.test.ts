/** The terminal progress display: other output goes above the bars, one bar per document, 100% when done, "queued" before rows. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createProgressDisplay } from '../../src/cli/progress-display.js';
import { createLogger } from '../../src/log.js';

/** A stand-in terminal: records every byte written, claims to be a TTY 120 columns wide. */
function fakeTerminal(): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(stream, { isTTY: true, columns: 120, rows: 40, text: () => chunks.join('') });
  return stream;
}

const ESC = String.fromCharCode(27);
const ESCAPE = new RegExp(`^${ESC}(?:\\[([0-9;?]*)([A-Za-z])|[78])`);

/**
 * The screen a terminal would show after `raw`: enough of VT100 for the bars (cursor up, to
 * column 1, clear line, clear to the end, newline); other escapes are ignored.
 */
function screen(raw: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (text: string) => {
    const line = lines[row] ?? '';
    lines[row] = line.slice(0, col).padEnd(col) + text + line.slice(col + text.length);
    col += text.length;
  };
  for (let i = 0; i < raw.length; ) {
    const control = ESCAPE.exec(raw.slice(i, i + 16));
    if (control) {
      const [whole, arg = '', op] = control;
      if (op === 'A') row = Math.max(0, row - Number(arg || 1));
      else if (op === 'G') col = Number(arg || 1) - 1;
      else if (op === 'K' && arg === '2') lines[row] = '';
      else if (op === 'K') lines[row] = (lines[row] ?? '').slice(0, col);
      i += whole.length;
      continue;
    }
    const c = raw[i] ?? '';
    if (c === '\n') {
      row++;
      col = 0;
      lines[row] ??= '';
    } else put(c);
    i++;
  }
  return lines.filter((line) => line.trim() !== '');
}

test('Ctrl+C text goes above the bars; bars are not duplicated; done is 100%; queued says queued', async () => {
  const err = fakeTerminal();
  const out = fakeTerminal();
  const log = createLogger('normal', { out: (t) => out.write(`${t}\n`), err: (t) => err.write(`${t}\n`) });
  const display = createProgressDisplay(log, true, { streams: { err, out } });
  display.document('sales_flat_order', 50114, 0);
  display.document('customer_entity', 900, 0);
  display.document('sales_flat_order', 50114, 0); // announced twice: still one bar
  display.rows('sales_flat_order', 20000);
  await new Promise((resolve) => setTimeout(resolve, 30));
  display.rows('sales_flat_order', 30000);
  log.info('stopping after the chunks in hand are committed (Ctrl+C again to stop at once)...');
  await new Promise((resolve) => setTimeout(resolve, 250)); // the bars redraw meanwhile
  display.finish('sales_flat_order');
  display.stop();

  const raw = err.text();
  const stopping = raw.split('\n').find((line) => line.includes('stopping after'));
  assert.ok(stopping, raw);
  assert.doesNotMatch(
    stopping,
    /rows\/s|%|\u2588|\u2591/,
    'the notice is a line of its own, not part of a bar',
  );
  assert.match(stopping, /\(Ctrl\+C again to stop at once\)\.\.\.$/, 'and not cut off');

  const shown = screen(raw);
  const frame = shown.join('\n');
  assert.equal(shown.filter((line) => line.includes('sales_flat_order')).length, 1, frame);
  assert.equal(shown.filter((line) => line.includes('stopping after')).length, 1, frame);
  assert.match(frame, /100% \| sales_flat_order \| 50000\/50000 rows \| done/);
  assert.match(frame, /0% \| customer_entity \| 0\/900 rows \| queued/);
  assert.equal(
    raw.match(/stopping after/g)?.length,
    1,
    'written once, above the bars, not redrawn into them',
  );
  // Writes are the stream's own again once the display stopped.
  log.info('after');
  assert.match(err.text(), /after\n$/);
});
