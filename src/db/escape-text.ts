/**
 * The one backslash-escaping loop the writers share: SQL string literals (sql-literal.ts) and
 * LOAD DATA fields (load-data-text.ts) differ only in which characters they escape and how.
 * It runs once per text value on the copy's hot path, so text without a special character is
 * returned as it is, without building a new string.
 */

/** An escaper for the characters `special` matches (a global regex), each replaced by `escapes[charCode]`. */
export function backslashEscaper(special: RegExp, escapes: readonly string[]): (text: string) => string {
  return (text) => {
    special.lastIndex = 0;
    let match = special.exec(text);
    if (match === null) return text;
    let out = '';
    let last = 0;
    do {
      const at = match.index;
      out += text.slice(last, at) + escapes[text.charCodeAt(at)];
      last = at + 1;
      match = special.exec(text);
    } while (match !== null);
    return out + text.slice(last);
  };
}
