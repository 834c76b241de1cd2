/** A report key as one short piece of text: `42`, `(7, "a b")`, binary as `0x00ff`. */
import type { ReportKey, ReportKeyValue } from './check-report.js';

export function keyText(key: ReportKey): string {
  const parts = key.map(valueText);
  return parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(', ')})`;
}

function valueText(value: ReportKeyValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'object') return `0x${value.hex}`;
  return /^[\w.:@+-]+$/.test(value) ? value : JSON.stringify(value);
}
