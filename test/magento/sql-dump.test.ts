import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  dumpStatements,
  formatDump,
  statementDependencies,
  statementTable,
} from '../../src/magento/sql-dump.js';

const DUMP = `/*M!999999\\- enable the sandbox mode */
-- a comment
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS \`a\`;
CREATE TABLE \`a\` (
  \`id\` int NOT NULL,
  \`b_id\` int,
  CONSTRAINT \`fk\` FOREIGN KEY (\`b_id\`) REFERENCES \`b\` (\`id\`)
);
INSERT INTO \`a\` VALUES
(1,NULL),
(2,'x;\\ny');
DELIMITER ;;
/*!50003 CREATE*/ /*!50003 TRIGGER trg AFTER INSERT ON a FOR EACH ROW
BEGIN
INSERT IGNORE INTO \`a_cl\` (\`id\`) VALUES (NEW.\`id\`);
END */;;
DELIMITER ;
`;

test('a dump splits into statements, DELIMITER blocks and all, and formats back', () => {
  const statements = dumpStatements(DUMP);
  assert.deepEqual(
    statements.map((s) => statementTable(s) ?? '-'),
    ['-', 'a', 'a', 'a', 'a'],
  );
  assert.equal(
    statements[3]?.text.endsWith("(2,'x;\\ny')"),
    true,
    'a value holding ; stays in its statement',
  );
  assert.equal(statements[4]?.delimiter, ';;');
  assert.match(statements[4]?.text ?? '', /END \*\/$/);
  assert.deepEqual(statementDependencies(statements[2] as never), ['b']);
  assert.deepEqual(statementDependencies(statements[4] as never), ['a_cl']);
  assert.deepEqual(dumpStatements(formatDump(statements)), statements);
});
