/** `migrate plan`'s output: per document rows, bytes, method and estimated time, then the total. */
import type { PlanEstimate } from '../steps/check/estimate-plan.js';
import { durationText } from './duration-text.js';
import { textTable } from './table.js';

export function formatEstimate(estimate: PlanEstimate): string {
  const rows = estimate.documents.map((d) => [
    d.document,
    d.destination,
    `~${d.rows}`,
    bytesText(d.bytes),
    d.method,
    String(d.parts),
    d.sample ? `${d.sample.rows} rows in ${d.sample.seconds.toFixed(2)} s` : '-',
    d.sample && d.sample.seconds > 0 ? String(Math.round(d.sample.rows / d.sample.seconds)) : '-',
    d.seconds === null ? '-' : durationText(d.seconds),
    d.note ?? '',
  ]);
  const table = textTable(
    ['document', 'destination', 'rows', 'bytes', 'method', 'parts', 'sample', 'rows/s', 'estimate', 'note'],
    rows,
    ['left', 'left', 'right', 'right', 'left', 'right', 'left', 'right', 'right', 'left'],
  );
  const total =
    estimate.totalSeconds === null
      ? 'estimated copy time: not measured (run without --no-sample to time a sample copy)'
      : `estimated copy time: ${durationText(estimate.totalSeconds)} for ~${estimate.totalRows} rows (${bytesText(estimate.totalBytes)}), ${estimate.concurrency} parts at a time`;
  const scratch = estimate.scratch
    ? `sample copied into ${estimate.scratch.kind === 'schema' ? `scratch schema ${estimate.scratch.name}` : `scratch tables ${estimate.scratch.name}*`}, dropped afterwards`
    : undefined;
  return [
    `plan: ${estimate.documents.length} documents`,
    table,
    total,
    ...(scratch ? [scratch] : []),
    ...(estimate.speedup
      ? [
          `samples run ${estimate.speedup.inFlight.toFixed(1)} at a time moved ${estimate.speedup.observed.toFixed(2)}x the rows of one alone; the total models that sharing`,
        ]
      : []),
    ...estimate.notes.map((n) => `note: ${n}`),
    'The estimate covers the copy stage; a live shop and a different server load change it. The rows come from information_schema (InnoDB estimates).',
  ].join('\n');
}

export function bytesText(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
