/** Document and field name patterns: `*` matches any run of characters (newlines too), everything else is literal. */

export function compilePattern(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

/** Matches names against a list of patterns, compiled once. */
export class PatternList {
  private readonly compiled: Array<{ pattern: string; regex: RegExp }>;

  constructor(readonly patterns: readonly string[]) {
    this.compiled = patterns.map((pattern) => ({ pattern, regex: compilePattern(pattern) }));
  }

  matches(name: string): boolean {
    return this.compiled.some(({ regex }) => regex.test(name));
  }

  /** The first pattern that matches `name`, for explaining a decision. */
  matching(name: string): string | undefined {
    return this.compiled.find(({ regex }) => regex.test(name))?.pattern;
  }
}
