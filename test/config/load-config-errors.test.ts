/** loadConfig on broken configs: one test per error, each a ConfigError (exit 2) that says where. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config.xml syntax here, not a template
import assert from 'node:assert/strict';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';
import { configXml, ENV, expectConfigError, tempDir, writeConfig } from './helpers.js';

/** Loads `xml` (written to a fresh temp config.xml) with `env`. */
async function load(xml: string, env: NodeJS.ProcessEnv = ENV) {
  return loadConfig(await writeConfig(xml), env);
}

test('an unreadable config file is CONFIG_FILE_UNREADABLE', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'nope.xml');
  const err = await expectConfigError(loadConfig(file, ENV), 'CONFIG_FILE_UNREADABLE', file, 'no such file');
  assert.equal(err.context.file, file);
  await expectConfigError(loadConfig(dir, ENV), 'CONFIG_FILE_UNREADABLE', 'is a directory');
});

test('malformed XML is CONFIG_XML_MALFORMED with line and column', async () => {
  const xml = configXml().replace('</options>', '');
  const err = await expectConfigError(
    load(xml),
    'CONFIG_XML_MALFORMED',
    'config.xml is not well-formed XML: unclosed tag <options> (line 4, column 3)',
  );
  assert.equal(err.context.line, 4);
  assert.equal(err.context.column, 3);

  const attr = await expectConfigError(
    load(configXml({ source: '<database user=m1 name="x"/>' })),
    'CONFIG_XML_MALFORMED',
    'unquoted attribute value (line 2',
  );
  assert.equal(attr.context.line, 2);
  await expectConfigError(
    load('<config>\n  <options>'),
    'CONFIG_XML_MALFORMED',
    'unclosed tag <options> (line 2',
  );
  await expectConfigError(load(''), 'CONFIG_XML_MALFORMED', 'no root element');
});

test('the root must be <config>', async () => {
  const err = await expectConfigError(
    load('<confg>\n</confg>'),
    'CONFIG_UNKNOWN_ELEMENT',
    'the root element is <confg> at line 1; it must be <config>; did you mean <config>?',
  );
  assert.equal(err.hint, 'rename <confg> to <config>');
});

test('an unknown element names itself, its line and the nearest valid name', async () => {
  const options = '<map_file>map.json</map_file>\n    <bulksize>10</bulksize>';
  const err = await expectConfigError(
    load(configXml({ options })),
    'CONFIG_UNKNOWN_ELEMENT',
    'unknown element <bulksize> in <options> at line 5; did you mean <bulk_size>?',
  );
  assert.equal(err.context.line, 5);
  assert.equal(err.context.column, 5);
  assert.equal(err.hint, 'rename it to <bulk_size>');

  await expectConfigError(
    load(configXml({ source: '<databse user="m1" name="x"/>' })),
    'CONFIG_UNKNOWN_ELEMENT',
    '<databse> in <source> at line 2; did you mean <database>?',
  );
  await expectConfigError(
    load(configXml().replace('<options>', '<option>').replace('</options>', '</option>')),
    'CONFIG_UNKNOWN_ELEMENT',
    '<option> in <config> at line 4; did you mean <options>?',
  );
  const far = await expectConfigError(
    load(configXml({ options: '<map_file>map.json</map_file><frobnicate/>' })),
    'CONFIG_UNKNOWN_ELEMENT',
    '<frobnicate> in <options> at line 4',
  );
  assert.ok(!far.message.includes('did you mean'));
  assert.match(far.hint ?? '', /<options> may contain <map_file>/);
  await expectConfigError(
    load(configXml({ options: '<map_file>map.json<x/></map_file>' })),
    'CONFIG_UNKNOWN_ELEMENT',
    '<x> in <map_file> at line 4',
  );
});

test('a missing section, <database> or <map_file> is CONFIG_MISSING saying what to add', async () => {
  const withoutSource = configXml().replace(/ {2}<source>.*<\/source>\n/, '');
  const source = await expectConfigError(load(withoutSource), 'CONFIG_MISSING', 'no <source>');
  assert.match(source.hint ?? '', /add <source><database .*<\/source>/);

  const withoutDest = configXml().replace(/ {2}<destination>.*<\/destination>\n/, '');
  await expectConfigError(load(withoutDest), 'CONFIG_MISSING', 'no <destination>');

  const db = await expectConfigError(
    load(configXml({ destination: '' })),
    'CONFIG_MISSING',
    '<destination> at line 3 has no <database>',
  );
  assert.match(db.hint ?? '', /add <database /);

  const withoutOptions = configXml().replace(/ {2}<options>.*<\/options>\n/, '');
  await expectConfigError(load(withoutOptions), 'CONFIG_MISSING', 'no <options>');

  const map = await expectConfigError(
    load(configXml({ options: '<bulk_size>1</bulk_size>' })),
    'CONFIG_MISSING',
    '<options> at line 4 has no <map_file>',
  );
  assert.match(map.hint ?? '', /add <map_file>/);
  await expectConfigError(
    load(configXml({ options: '<map_file> </map_file>' })),
    'CONFIG_MISSING',
    '<map_file> at line 4 is empty',
  );
});

test('a missing required attribute is CONFIG_MISSING_ATTRIBUTE', async () => {
  const user = await expectConfigError(
    load(configXml({ source: '<database name="m1"/>' })),
    'CONFIG_MISSING_ATTRIBUTE',
    '<database> in <source> at line 2 has no user attribute',
  );
  assert.equal(user.context.line, 2);
  await expectConfigError(
    load(configXml({ destination: '<database user="m2" name=""/>' })),
    'CONFIG_MISSING_ATTRIBUTE',
    '<database> in <destination> at line 3 has no name attribute',
  );
});

test('an unknown attribute names itself, its line and the nearest valid name', async () => {
  const err = await expectConfigError(
    load(configXml({ source: '<database user="m1" pasword="x" name="m1"/>' })),
    'CONFIG_UNKNOWN_ATTRIBUTE',
    'unknown attribute pasword on <database> at line 2; did you mean password?',
  );
  assert.equal(err.context.line, 2);
  await expectConfigError(
    load(configXml({ options: '<map_file path="x">map.json</map_file>' })),
    'CONFIG_UNKNOWN_ATTRIBUTE',
    'unknown attribute path on <map_file> at line 4',
  );
});

test('an element given twice is CONFIG_DUPLICATE_ELEMENT', async () => {
  await expectConfigError(
    load(
      configXml({
        options: '<map_file>map.json</map_file>\n<concurrency>2</concurrency>\n<concurrency>3</concurrency>',
      }),
    ),
    'CONFIG_DUPLICATE_ELEMENT',
    '<concurrency> appears twice in <options> (lines 5 and 6)',
  );
  await expectConfigError(
    load(configXml({ source: '<database user="a" name="b"/><database user="a" name="b"/>' })),
    'CONFIG_DUPLICATE_ELEMENT',
    '<database> appears twice in <source>',
  );
});

test('an unset ${VAR} is CONFIG_ENV_UNSET naming the variable and the line', async () => {
  const attr = await expectConfigError(
    load(configXml(), { M2_PASSWORD: 'x' }),
    'CONFIG_ENV_UNSET',
    'M1_PASSWORD',
    'line 2',
  );
  assert.equal(attr.hint, 'export M1_PASSWORD=... before running migrate');
  assert.doesNotMatch(attr.message, /also unset/);
  // Every unset variable at once, not one per run.
  const both = await expectConfigError(
    load(configXml(), {}),
    'CONFIG_ENV_UNSET',
    'M1_PASSWORD',
    'also unset: M2_PASSWORD',
  );
  assert.equal(both.hint, 'export M1_PASSWORD=... M2_PASSWORD=... before running migrate');
  assert.equal(attr.context.line, 2);
  const text = await expectConfigError(
    load(configXml({ options: '<map_file>${MAP_DIR}/map.json</map_file>' })),
    'CONFIG_ENV_UNSET',
    'MAP_DIR',
    '<map_file> at line 4',
  );
  assert.equal(text.hint, 'export MAP_DIR=... before running migrate');
});

test('a named file that cannot be read is CONFIG_FILE_UNREADABLE with path and reason', async () => {
  const dir = await tempDir();
  const map = await expectConfigError(
    loadConfig(await writeConfig(configXml({ options: '<map_file>maps/missing.json</map_file>' }), dir), ENV),
    'CONFIG_FILE_UNREADABLE',
    path.join(dir, 'maps/missing.json'),
    '<map_file> at line 4',
    'no such file',
  );
  assert.equal(map.context.line, 4);
  await expectConfigError(
    load(
      configXml({ options: '<map_file>map.json</map_file><settings_map_file>nope.json</settings_map_file>' }),
    ),
    'CONFIG_FILE_UNREADABLE',
    '<settings_map_file>',
    'no such file',
  );
  await mkdir(path.join(dir, 'adir'));
  await expectConfigError(
    loadConfig(await writeConfig(configXml({ options: '<map_file>adir</map_file>' }), dir), ENV),
    'CONFIG_FILE_UNREADABLE',
    'not a regular file',
  );
  await expectConfigError(
    load(configXml({ destination: '<database user="m2" name="m2" ssl_ca="ca.pem"/>' })),
    'CONFIG_FILE_UNREADABLE',
    'ssl_ca attribute of <database> in <destination> at line 3',
    'ca.pem',
    'no such file',
  );
  if (process.getuid?.() !== 0) {
    await writeFile(path.join(dir, 'secret.json'), '{}');
    await chmod(path.join(dir, 'secret.json'), 0o000);
    await expectConfigError(
      loadConfig(await writeConfig(configXml({ options: '<map_file>secret.json</map_file>' }), dir), ENV),
      'CONFIG_FILE_UNREADABLE',
      'permission denied',
    );
  }
});

test('integers out of range or not integers are CONFIG_VALUE_INVALID', async () => {
  const cases: [string, string, string][] = [
    ['bulk_size', '-1', 'an integer 0 or more'],
    ['bulk_size', '1.5', 'an integer 0 or more'],
    ['concurrency', '0', 'an integer from 1 to 64'],
    ['concurrency', '65', 'an integer from 1 to 64'],
    ['concurrency', 'four', 'an integer from 1 to 64'],
    ['delta_poll_interval', '0', 'an integer 1 or more'],
    ['delta_quiet_period', '', 'an integer 0 or more'],
  ];
  for (const [element, value, allowed] of cases) {
    const options = `<map_file>map.json</map_file><${element}>${value}</${element}>`;
    const err = await expectConfigError(
      load(configXml({ options })),
      'CONFIG_VALUE_INVALID',
      `<${element}> at line 4 is "${value}"; allowed: ${allowed}`,
    );
    assert.equal(err.context.line, 4);
  }
  for (const port of ['0', '65536', 'abc', '']) {
    await expectConfigError(
      load(configXml({ source: `<database user="m1" name="m1" port="${port}"/>` })),
      'CONFIG_VALUE_INVALID',
      `the port of <database> in <source> at line 2 is "${port}"; allowed: an integer from 1 to 65535`,
    );
  }
});

test('a bool that is not 1/0/true/false/yes/no is CONFIG_VALUE_INVALID', async () => {
  await expectConfigError(
    load(
      configXml({
        options: '<map_file>map.json</map_file><direct_document_copy>maybe</direct_document_copy>',
      }),
    ),
    'CONFIG_VALUE_INVALID',
    '<direct_document_copy> at line 4 is "maybe"; allowed: 1, 0, true, false, yes or no',
  );
});

test('prefixes and the progress table allow identifier characters only', async () => {
  await expectConfigError(
    load(configXml({ options: '<map_file>map.json</map_file><source_prefix>m1-</source_prefix>' })),
    'CONFIG_VALUE_INVALID',
    '<source_prefix> at line 4 is "m1-"; allowed: letters, digits, _ and $',
  );
  await expectConfigError(
    load(configXml({ options: '<map_file>map.json</map_file><dest_prefix>a b</dest_prefix>' })),
    'CONFIG_VALUE_INVALID',
    '<dest_prefix>',
  );
  await expectConfigError(
    load(configXml({ options: '<map_file>map.json</map_file><progress_table>x;drop</progress_table>' })),
    'CONFIG_VALUE_INVALID',
    '<progress_table> at line 4 is "x;drop"',
  );
  await expectConfigError(
    load(configXml({ options: '<map_file>map.json</map_file><progress_table></progress_table>' })),
    'CONFIG_VALUE_INVALID',
    '<progress_table>',
  );
});

test('text where only elements belong is CONFIG_VALUE_INVALID', async () => {
  await expectConfigError(
    load(configXml({ source: `hello${'<database user="m1" name="m1"/>'}` })),
    'CONFIG_VALUE_INVALID',
    '<source> at line 2 contains text',
  );
});

test('a password never appears in an error message or hint', async () => {
  const secret = 'Zq9-VERY-SECRET-pw';
  const env = { M1_PASSWORD: secret, M2_PASSWORD: secret };
  const literal = `<database user="m1" password="${secret}" name="m1"`;
  const broken = [
    configXml({ source: `${literal} port="x"/>` }),
    configXml({ source: `${literal} pasword="${secret}"/>` }),
    configXml({ source: `<database password="${secret}" name="m1"/>` }),
    configXml({ source: `${literal} password="${secret}"/>` }),
    configXml({ source: `${literal}>${secret}</database>` }),
    configXml({ source: `${secret}${literal}/>` }),
    configXml({ source: `${literal} ssl_ca="missing.pem"/>` }),
    configXml({ destination: '<database user="m2" password="${M2_PASSWORD}${NOPE}" name="m2"/>' }),
    configXml({ destination: '<database user="m2" password="${M2_PASSWORD}" name="m2"/>', options: '' }),
    configXml({
      source: `${literal}/>`,
      options: '<map_file>map.json</map_file><concurrency>0</concurrency>',
    }),
    `${configXml({ source: `${literal}/>` })}<`,
  ];
  for (const xml of broken) {
    let caught: unknown;
    try {
      await load(xml, env);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ConfigError, `expected a ConfigError for ${xml}`);
    assert.equal(caught.exitCode, 2);
    assert.ok(!caught.message.includes(secret), caught.message);
    assert.ok(!(caught.hint ?? '').includes(secret), caught.hint);
  }
});
