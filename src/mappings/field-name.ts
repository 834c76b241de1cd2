/**
 * How map.json names a field: `document.field`. A part that holds a dot (or starts with a
 * backtick) is written in backticks, a backtick inside doubled, as in SQL: a column `a.b` of
 * table `t` is "t.`a.b`", a table `x.y`'s column `c` is "`x.y`.c". Every other part is written
 * as it is, so ordinary names read as before. The resolver matches rules against this form and
 * writes its fix hints in it, so each hint is a name the map file's schema accepts.
 */

/** One name as a part of a field name, quoted only when it must be. */
export function namePart(name: string): string {
  if (name === '' || name.includes('.') || name.startsWith('`')) return `\`${name.replaceAll('`', '``')}\``;
  return name;
}

/** The field name map.json uses for `field` of `document`. */
export function fieldName(document: string, field: string): string {
  return `${namePart(document)}.${namePart(field)}`;
}

/** A field name split into its document and field, unquoted; null when it is not one. */
export function splitFieldName(text: string): { document: string; field: string } | null {
  const document = readPart(text, 0);
  if (!document || text[document.end] !== '.') return null;
  const field = readPart(text, document.end + 1);
  if (!field || field.end !== text.length) return null;
  return { document: document.name, field: field.name };
}

function readPart(text: string, from: number): { name: string; end: number } | null {
  if (text[from] !== '`') {
    const dot = text.indexOf('.', from);
    const end = dot < 0 ? text.length : dot;
    return end > from ? { name: text.slice(from, end), end } : null;
  }
  let name = '';
  let i = from + 1;
  while (i < text.length) {
    if (text[i] === '`') {
      if (text[i + 1] !== '`') return { name, end: i + 1 };
      name += '`';
      i += 2;
    } else {
      name += text[i];
      i++;
    }
  }
  return null;
}
