/**
 * PHP's serialize() for the values Magento 1.9 stores serialized (order item product_options,
 * payment additional_information, sales rule conditions, config arrays). String lengths are
 * UTF-8 byte counts, as PHP counts them: a migration that counts characters breaks them.
 */
export type PhpValue = null | boolean | number | string | PhpValue[] | { [key: string]: PhpValue };

export function phpSerialize(value: PhpValue): string {
  if (value === null) return 'N;';
  if (typeof value === 'boolean') return `b:${value ? 1 : 0};`;
  if (typeof value === 'number') return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  if (typeof value === 'string') return `s:${Buffer.byteLength(value, 'utf8')}:"${value}";`;
  const entries: [string | number, PhpValue][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  const body = entries
    .map(([k, v]) => {
      const key = typeof k === 'number' || /^(0|[1-9][0-9]*)$/.test(k) ? `i:${k};` : phpSerialize(k);
      return key + phpSerialize(v);
    })
    .join('');
  return `a:${entries.length}:{${body}}`;
}
