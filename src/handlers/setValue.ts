/**
 * setValue: writes a value into a field, whatever the source held (e.g. a new store id).
 * Two relative forms cover what real maps need beyond a constant:
 * - `template`: a value built from other fields of the same row, `{field}` standing for that
 *   field's value (e.g. `"group_{group_id}"`: a unique code per row where a constant would
 *   collide on a unique key). A NULL field makes the whole value NULL, as SQL's CONCAT does.
 * - `when`: set the value only on rows whose field holds one of the listed values, keep the
 *   field as copied on the others (the Magento tool's SetValueAttributeCondition: a value for
 *   the rows of one attribute id).
 */
import {
  type FieldHandler,
  type HandlerDefinition,
  HandlerParamsError,
  HandlerRejection,
  type Row,
  type SqlBuilder,
  type Value,
} from './contract.js';

const NEEDS =
  'setValue needs params.value (a string or null) or params.template (text with {field} placeholders), ' +
  'and optionally params.when: { "field": name, "in": [values] }';

/** A template as literal text and field references, in order. */
type Part = { text: string } | { field: string };

export const setValue: HandlerDefinition = {
  name: 'setValue',
  description:
    'Sets the field to a fixed value, or to a template of other fields of the same row; optionally only on rows matching a condition. ' +
    'params: { "value": string | null } or { "template": "text {field} text" }, and "when"?: { "field": name, "in": [string | null, ...] }',
  create(params) {
    const hasValue = 'value' in params;
    const hasTemplate = 'template' in params;
    if (hasValue === hasTemplate) throw new HandlerParamsError(NEEDS);
    const value = params.value;
    if (hasValue && typeof value !== 'string' && value !== null) throw new HandlerParamsError(NEEDS);
    const parts = hasTemplate ? parseTemplate(params.template) : null;
    const when = 'when' in params ? parseWhen(params.when) : null;

    const setTo = parts ? (row: Readonly<Row>) => fillTemplate(parts, row) : () => value as string | null;
    const setSql = parts
      ? (builder: SqlBuilder) => templateSql(parts, builder)
      : (builder: SqlBuilder) =>
          value === null || value === undefined ? 'NULL' : builder.literal(value as string);
    const reads = [
      ...(parts ?? []).flatMap((p) => ('field' in p ? [p.field] : [])),
      ...(when ? [when.field] : []),
    ];

    const handler: FieldHandler = {
      reads: [...new Set(reads)],
      transform(current, row) {
        if (when && !when.matches(fieldOf(row, when.field))) return current;
        return setTo(row);
      },
      sql(builder) {
        const set = setSql(builder);
        return when ? `CASE WHEN ${when.sql(builder)} THEN ${set} ELSE ${builder.self} END` : set;
      },
    };
    return handler;
  },
};

function fieldOf(row: Readonly<Row>, field: string): Value {
  const value = Object.hasOwn(row, field) ? row[field] : undefined;
  if (value === undefined) throw new HandlerRejection(`setValue: the row has no field "${field}"`);
  return value;
}

/** `{name}` is a field; `{{` and `}}` are literal braces. */
function parseTemplate(template: unknown): Part[] {
  if (typeof template !== 'string' || template === '') {
    throw new HandlerParamsError('setValue: params.template must be non-empty text, e.g. "group_{group_id}"');
  }
  const parts: Part[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    const next = template[i + 1];
    if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
      text += c;
      i++;
      continue;
    }
    if (c === '}')
      throw new HandlerParamsError(
        `setValue: params.template has a "}" without "{" (write "}}" for a brace)`,
      );
    if (c !== '{') {
      text += c;
      continue;
    }
    const end = template.indexOf('}', i + 1);
    const field = end < 0 ? '' : template.slice(i + 1, end);
    if (field === '' || field.includes('{')) {
      throw new HandlerParamsError(
        `setValue: params.template has an unclosed or empty {field} at ${i} (write "{{" for a brace)`,
      );
    }
    if (text) parts.push({ text });
    text = '';
    parts.push({ field });
    i = end;
  }
  if (text) parts.push({ text });
  return parts;
}

function fillTemplate(parts: readonly Part[], row: Readonly<Row>): Value {
  const pieces: Buffer[] = [];
  let binary = false;
  for (const part of parts) {
    if ('text' in part) {
      pieces.push(Buffer.from(part.text, 'utf8'));
      continue;
    }
    const value = fieldOf(row, part.field);
    if (value === null) return null;
    if (Buffer.isBuffer(value)) binary = true;
    pieces.push(Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8'));
  }
  const joined = Buffer.concat(pieces);
  return binary ? joined : joined.toString('utf8');
}

function templateSql(parts: readonly Part[], builder: SqlBuilder): string {
  const items = parts.map((p) => ('text' in p ? builder.literal(p.text) : builder.column(p.field)));
  return items.length === 1 && 'text' in (parts[0] ?? {})
    ? (items[0] ?? "''")
    : `CONCAT(${items.join(', ')})`;
}

interface Condition {
  field: string;
  matches(value: Value): boolean;
  sql(builder: SqlBuilder): string;
}

/** `{ "field": "attribute_id", "in": ["75", "76"] }`; null in the list matches NULL. Exact bytes, as convert compares. */
function parseWhen(when: unknown): Condition {
  const shape = 'setValue: params.when must be { "field": name, "in": [string | null, ...] }';
  if (typeof when !== 'object' || when === null || Array.isArray(when)) throw new HandlerParamsError(shape);
  const { field, in: list } = when as { field?: unknown; in?: unknown };
  if (typeof field !== 'string' || field === '' || !Array.isArray(list) || list.length === 0) {
    throw new HandlerParamsError(shape);
  }
  if (!list.every((v) => typeof v === 'string' || v === null)) throw new HandlerParamsError(shape);
  const values = list as Array<string | null>;
  const texts = values.filter((v): v is string => v !== null);
  const matchesNull = values.includes(null);
  const keys = new Set(texts.map((v) => Buffer.from(v, 'utf8').toString('binary')));
  return {
    field,
    matches(value) {
      if (value === null) return matchesNull;
      return keys.has(
        Buffer.isBuffer(value) ? value.toString('binary') : Buffer.from(value, 'utf8').toString('binary'),
      );
    },
    sql(builder) {
      const column = builder.column(field);
      const tests = texts.map((v) => `CAST(${column} AS BINARY) = CAST(${builder.literal(v)} AS BINARY)`);
      if (matchesNull) tests.push(`${column} IS NULL`);
      return `(${tests.join(' OR ')})`;
    },
  };
}
