/**
 * A tiny XML element tree for config.xml, built with saxes. It exists so the config loader can
 * walk plain objects while still knowing the line and column of every element, which is what
 * makes its error messages point at the right place.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Character data directly inside this element (not its children), CDATA included. */
  text: string;
  children: XmlElement[];
  /** 1-based position of the element's `<`. */
  line: number;
  column: number | undefined;
}

/** A well-formedness error, with saxes' position and a short, human reason. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'XmlSyntaxError';
  }
}

/** Parses a whole document into its root element; throws {@link XmlSyntaxError} at the first error. */
export function parseXml(source: string): XmlElement {
  const parser = new SaxesParser();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let lastClosed: XmlElement | undefined;

  parser.on('opentagstart', (tag) => {
    // saxes has consumed `<name` plus one more character; step back to the `<`.
    let line = parser.line;
    let column: number | undefined = parser.column - tag.name.length - 1;
    if (column < 1) {
      line -= 1; // the name was followed by a newline
      column = undefined;
    }
    const element: XmlElement = { name: tag.name, attributes: {}, text: '', children: [], line, column };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const element = stack[stack.length - 1];
    if (element) element.attributes = { ...tag.attributes };
  });
  parser.on('closetag', () => {
    lastClosed = stack.pop();
  });
  const addText = (text: string) => {
    const element = stack[stack.length - 1];
    if (element) element.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);

  try {
    parser.write(source).close();
  } catch (error) {
    // An unclosed tag is reported where saxes noticed it; point at the tag itself instead.
    const unclosed = /: unexpected close tag\.$/.test(String(error)) ? lastClosed : stack[stack.length - 1];
    throw toSyntaxError(error, unclosed);
  }
  if (!root) throw new XmlSyntaxError('the document has no root element', 1, 1);
  return root;
}

/** saxes reports `line:column: message.`; turn that into something an operator can act on. */
function toSyntaxError(error: unknown, unclosed: XmlElement | undefined): XmlSyntaxError {
  const raw = error instanceof Error ? error.message : String(error);
  const match = /^(\d+):(\d+): (.*?)\.?$/s.exec(raw);
  if (!match) return new XmlSyntaxError(raw, 1, 1);
  const line = Number(match[1]);
  const column = Math.max(1, Number(match[2]));
  const reason = match[3] ?? raw;
  if (unclosed && (reason === 'unexpected close tag' || reason === `unclosed tag: ${unclosed.name}`)) {
    return new XmlSyntaxError(`unclosed tag <${unclosed.name}>`, unclosed.line, unclosed.column ?? 1);
  }
  for (const [pattern, rewrite] of REWRITES) {
    const found = pattern.exec(reason);
    if (found) return new XmlSyntaxError(rewrite(found[1] ?? ''), line, column);
  }
  return new XmlSyntaxError(reason, line, column);
}

const REWRITES: [RegExp, (name: string) => string][] = [
  [/^unmatched closing tag: (.+)$/, (name) => `closing tag </${name}> has no opening tag`],
  [/^document must contain a root element$/, () => 'the document has no root element'],
];
