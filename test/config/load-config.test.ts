/** loadConfig on valid configs: the exact Config, defaults, ${VAR}, path resolution, the example file. */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is config.xml syntax here, not a template
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/load-config.js';
import { OPTION_DEFS } from '../../src/config/options.js';
import { configXml, ENV, tempDir, writeConfig } from './helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../config.xml.example', import.meta.url));

test('a full config with every option gives the exact Config', async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'tls'));
  for (const name of ['ca.pem', 'c.pem', 'k.pem']) await writeFile(path.join(dir, 'tls', name), 'pem');
  const file = await writeConfig(
    configXml({
      source: '<database host="10.0.0.1" port="3307" user="m1" password="${M1_PASSWORD}" name="magento1"/>',
      destination:
        '<!-- a comment --><database host="10.0.0.2" port="3306" user="m2" password="${M2_PASSWORD}" ' +
        'name="magento2" socket="/run/mysqld/mysqld.sock" ssl_ca="tls/ca.pem" ssl_cert="tls/c.pem" ssl_key="tls/k.pem"/>',
      options: `
        <map_file>map.json</map_file>
        <settings_map_file>settings.json</settings_map_file>
        <deltalog_file>deltalog.json</deltalog_file>
        <bulk_size>500</bulk_size>
        <concurrency>8</concurrency><part_rows>5000</part_rows>
        <direct_document_copy>yes</direct_document_copy>
        <source_prefix>m1_</source_prefix>
        <dest_prefix>m2$</dest_prefix>
        <log_file>logs/migration.log</log_file>
        <progress_table>my_progress</progress_table>
        <rejected_dir>out/rejected</rejected_dir>
        <delta_poll_interval>250</delta_poll_interval>   <!-- ms -->
        <delta_quiet_period>0</delta_quiet_period>
        <query_timeout>30</query_timeout>
        <bulk_read_timeout>0</bulk_read_timeout>
        <stall_timeout>45</stall_timeout>
        <lock_wait_timeout>5</lock_wait_timeout>
        <lock_retry_time>60</lock_retry_time>
        <delta_conflict>keep</delta_conflict>
        <source_orphans>error</source_orphans>`,
    }),
    dir,
  );
  assert.deepEqual(await loadConfig(file, ENV), {
    file,
    source: { host: '10.0.0.1', port: 3307, user: 'm1', password: 'pw1', name: 'magento1' },
    destination: {
      host: '10.0.0.2',
      port: 3306,
      user: 'm2',
      password: 'pw2',
      name: 'magento2',
      socket: '/run/mysqld/mysqld.sock',
      ssl: {
        ca: path.join(dir, 'tls/ca.pem'),
        cert: path.join(dir, 'tls/c.pem'),
        key: path.join(dir, 'tls/k.pem'),
      },
    },
    options: {
      mapFile: path.join(dir, 'map.json'),
      settingsMapFile: path.join(dir, 'settings.json'),
      deltalogFile: path.join(dir, 'deltalog.json'),
      bulkSize: 500,
      concurrency: 8,
      partRows: 5000,
      directDocumentCopy: true,
      parallelAutoincInserts: false,
      deferIndexesMinRows: 100000,
      sourcePrefix: 'm1_',
      destPrefix: 'm2$',
      logFile: path.join(dir, 'logs/migration.log'),
      progressTable: 'my_progress',
      rejectedDir: path.join(dir, 'out/rejected'),
      deltaPollInterval: 250,
      deltaQuietPeriod: 0,
      queryTimeout: 30,
      bulkReadTimeout: 0,
      stallTimeout: 45,
      lockWaitTimeout: 5,
      lockRetryTime: 60,
      maxThreadsRunning: 25,
      maxReplicaLag: 10,
      deltaConflict: 'keep',
      sourceOrphans: 'error',
    },
  });
});

test('absent options and attributes take their defaults', async () => {
  const dir = await tempDir();
  const file = await writeConfig(
    configXml({
      source: '<database user="m1" name="magento1"/>',
      destination: '<database user="m2" name="magento2" socket="mysqld.sock"/>',
      options: '<map_file>map.json</map_file><log_file></log_file>',
    }),
    dir,
  );
  assert.deepEqual(await loadConfig(file, {}), {
    file,
    source: { host: '127.0.0.1', port: 3306, user: 'm1', password: '', name: 'magento1' },
    destination: {
      host: 'localhost',
      port: 3306,
      user: 'm2',
      password: '',
      name: 'magento2',
      socket: 'mysqld.sock',
    },
    options: {
      mapFile: path.join(dir, 'map.json'),
      bulkSize: 0,
      concurrency: 4,
      partRows: 100000,
      directDocumentCopy: false,
      parallelAutoincInserts: false,
      deferIndexesMinRows: 100000,
      sourcePrefix: '',
      destPrefix: '',
      progressTable: 'migration_progress',
      rejectedDir: path.join(dir, 'rejected'),
      deltaPollInterval: 1000,
      deltaQuietPeriod: 5000,
      queryTimeout: 60,
      bulkReadTimeout: 3600,
      stallTimeout: 120,
      lockWaitTimeout: 2,
      lockRetryTime: 300,
      maxThreadsRunning: 25,
      maxReplicaLag: 10,
      deltaConflict: 'overwrite',
      sourceOrphans: 'warn',
    },
  });
});

test('booleans accept 1/0/true/false/yes/no in any case', async () => {
  const expected: [string, boolean][] = [
    ['1', true],
    ['0', false],
    ['TRUE', true],
    ['false', false],
    ['Yes', true],
    ['no', false],
  ];
  for (const [text, value] of expected) {
    const file = await writeConfig(
      configXml({
        options: `<map_file>map.json</map_file><direct_document_copy>${text}</direct_document_copy>`,
      }),
    );
    assert.equal((await loadConfig(file, ENV)).options.directDocumentCopy, value, text);
  }
});

test('${VAR} is replaced from env in attributes and element text; a lone $ stays', async () => {
  const dir = await tempDir();
  const file = await writeConfig(
    configXml({
      source:
        '<database host="${DB_HOST}" port="${DB_PORT}" user="u$er" password="a$b${M1_PASSWORD}$" name="m1"/>',
      options: '<map_file>${MAPS}/map.json</map_file><source_prefix>${PREFIX}</source_prefix>',
    }),
    dir,
  );
  const config = await loadConfig(file, {
    ...ENV,
    DB_HOST: 'db.internal',
    DB_PORT: '3310',
    MAPS: dir,
    PREFIX: 'm1_',
  });
  assert.deepEqual(config.source, {
    host: 'db.internal',
    port: 3310,
    user: 'u$er',
    password: 'a$bpw1$',
    name: 'm1',
  });
  assert.equal(config.options.mapFile, path.join(dir, 'map.json'));
  assert.equal(config.options.sourcePrefix, 'm1_');
});

test('relative paths resolve against the config folder, not the working directory', async () => {
  const dir = await tempDir();
  await mkdir(path.join(dir, 'maps'));
  await writeFile(path.join(dir, 'maps', 'm.json'), '{}');
  await mkdir(path.join(dir, 'etc'));
  const file = await writeConfig(
    configXml({
      options:
        '<map_file>../maps/m.json</map_file><log_file>run.log</log_file><rejected_dir>/var/rejected</rejected_dir>',
    }),
    path.join(dir, 'etc'),
  );
  const relative = path.relative(process.cwd(), file);
  const config = await loadConfig(relative, ENV);
  assert.equal(config.file, file);
  assert.equal(config.options.mapFile, path.join(dir, 'maps', 'm.json'));
  assert.equal(config.options.logFile, path.join(dir, 'etc', 'run.log'));
  assert.equal(config.options.rejectedDir, '/var/rejected');
});

test('config.xml.example is valid and shows every option and database attribute', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'config.xml');
  await copyFile(EXAMPLE, file);
  const config = await loadConfig(file, ENV);
  assert.equal(config.source.password, 'pw1');
  assert.equal(config.options.mapFile, path.join(dir, 'map.json'));
  assert.deepEqual(Object.keys(config.hooks?.commands ?? {}), [
    'before',
    'maintenance_on',
    'go_live',
    'abort',
    'after',
  ]);
  const text = await readFile(EXAMPLE, 'utf8');
  for (const def of Object.values(OPTION_DEFS)) {
    assert.ok(text.includes(`<${def.element}>`), `config.xml.example lacks <${def.element}>`);
  }
  for (const attribute of [
    'host',
    'port',
    'user',
    'password',
    'name',
    'socket',
    'ssl_ca',
    'ssl_cert',
    'ssl_key',
  ]) {
    assert.ok(text.includes(`${attribute}=`), `config.xml.example lacks ${attribute}=`);
  }
});
