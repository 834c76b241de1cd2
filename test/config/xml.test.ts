/** parseXml: the element tree, its positions, and well-formedness errors. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml, XmlSyntaxError } from '../../src/config/xml.js';

test('parseXml builds the tree with attributes, direct text and positions', () => {
  const root = parseXml(
    '<?xml version="1.0"?>\n<a>\n  <b x="1" y="&amp;"/><!-- c -->\n\t<c>t&lt;<![CDATA[<d>]]></c>\n</a>',
  );
  assert.deepEqual(root, {
    name: 'a',
    attributes: {},
    text: '\n  \n\t\n',
    line: 2,
    column: 1,
    children: [
      { name: 'b', attributes: { x: '1', y: '&' }, text: '', children: [], line: 3, column: 3 },
      { name: 'c', attributes: {}, text: 't<<d>', children: [], line: 4, column: 2 },
    ],
  });
});

test('parseXml reports the first well-formedness error with its position', () => {
  const cases: [string, string, number, number][] = [
    ['<a>\n  <b>\n</a>', 'unclosed tag <b>', 2, 3],
    ['<a>\n  <b>', 'unclosed tag <b>', 2, 3],
    ['<a></b></a>', 'unclosed tag <a>', 1, 1],
    ['<a/></a>', 'closing tag </a> has no opening tag', 1, 8],
    ['', 'the document has no root element', 1, 1],
  ];
  for (const [xml, reason, line, column] of cases) {
    assert.throws(
      () => parseXml(xml),
      (error: unknown) =>
        error instanceof XmlSyntaxError &&
        error.reason.startsWith(reason) &&
        error.line === line &&
        error.column === column,
      xml,
    );
  }
});
