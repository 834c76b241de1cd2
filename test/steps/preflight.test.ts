import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { Database, type Side } from '../../src/db/database.js';
import {
  formatPreflight,
  type MissingPrivilege,
  type PreflightReport,
  preflight,
  preflightError,
  supportsSeveralTriggersPerEvent,
} from '../../src/steps/preflight.js';
import { adminConnection, createTestSchema, databaseConfig, testServer } from '../support/database.js';

// Real accounts on the test server, each with its own grants; dropped when the file ends.
const accounts: string[] = [];
const roles: string[] = [];
after(async () => {
  const admin = await adminConnection();
  for (const account of accounts) await admin.query(`DROP USER IF EXISTS ${account}`).catch(() => {});
  for (const role of roles) await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
  await admin.end();
});

interface TestUser {
  user: string;
  password: string;
  host: string;
  /** 'user'@'host' as GRANT takes it. */
  account: string;
}

async function admin(...statements: string[]): Promise<void> {
  const conn = await adminConnection();
  try {
    for (const sql of statements) await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** The host this process connects from, as the server sees it (for accounts not on '%'). */
async function clientHost(): Promise<string> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query("SELECT SUBSTRING_INDEX(USER(), '@', -1) AS host");
    return String((rows as Array<{ host: string }>)[0]?.host);
  } finally {
    await conn.end();
  }
}

/** Creates an account and runs `grants`, in which USER stands for the account. */
async function createUser(grants: string[], host = '%'): Promise<TestUser> {
  const user = `pf_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('hex');
  const account = `'${user}'@'${host}'`;
  accounts.push(account);
  await admin(
    `CREATE USER ${account} IDENTIFIED BY '${password}'`,
    ...grants.map((g) => g.replaceAll('USER', account)),
  );
  return { user, password, host, account };
}

async function openAs(u: TestUser, schema: string, side: Side): Promise<Database> {
  return Database.open(
    { ...(await databaseConfig(schema)), user: u.user, password: u.password },
    { side, poolSize: 1 },
  );
}

/** Opens both sides as `u`, runs preflight, closes. */
async function check(u: TestUser, source: string, destination: string, deltaTracking: boolean) {
  const src = await openAs(u, source, 'source');
  const dst = await openAs(u, destination, 'destination');
  try {
    return await preflight(src, dst, { deltaTracking });
  } finally {
    await src.close();
    await dst.close();
  }
}

/** `name` escaped as a grant pattern that matches only itself. */
function escaped(name: string): string {
  return name.replace(/[\\_%]/g, (c) => `\\${c}`);
}

function summary(missing: MissingPrivilege[]): string[] {
  return missing.map((m) => `${m.side} ${m.privilege} ${m.database}`);
}

async function isMariaDb(): Promise<boolean> {
  const conn = await adminConnection();
  try {
    const [rows] = await conn.query('SELECT @@version AS v');
    return /mariadb/i.test(String((rows as Array<{ v: string }>)[0]?.v));
  } finally {
    await conn.end();
  }
}

async function schemas(label: string): Promise<{ source: string; destination: string }> {
  return { source: await createTestSchema(`${label}s`), destination: await createTestSchema(`${label}d`) };
}

test('SELECT on the source is enough without delta; delta also needs TRIGGER, CREATE, DROP, INSERT, DELETE', async () => {
  const { source, destination } = await schemas('pfsel');
  // The source grant is written without escaping `_`, as operators usually do.
  const u = await createUser([
    `GRANT SELECT ON \`${source}\`.* TO USER`,
    `GRANT ALL PRIVILEGES ON \`${escaped(destination)}\`.* TO USER WITH GRANT OPTION`,
  ]);

  const plain = await check(u, source, destination, false);
  assert.deepEqual(plain.missing, []);
  assert.equal(preflightError(plain), undefined);

  const delta = await check(u, source, destination, true);
  // The fix extends the user's existing grant row, spelled exactly as it was granted.
  assert.deepEqual(
    delta.missing,
    ['TRIGGER', 'CREATE', 'DROP', 'INSERT', 'DELETE'].map((privilege) => ({
      side: 'source',
      privilege,
      database: source,
      grant: `GRANT ${privilege} ON \`${source}\`.* TO '${u.user}'@'%';`,
    })),
  );
  const error = preflightError(delta);
  assert.ok(error);
  assert.equal(error.code, 'PRIVILEGES_MISSING');
  assert.equal(error.exitCode, 2);
  assert.match(
    error.message,
    new RegExp(`TRIGGER, CREATE, DROP, INSERT, DELETE on the source database ${source}`),
  );
  for (const m of delta.missing) assert.ok(error.hint?.includes(m.grant), m.grant);

  // The GRANTs it prints are the ones that fix it.
  await admin(...delta.missing.map((m) => m.grant));
  assert.deepEqual((await check(u, source, destination, true)).missing, []);
});

test('a wildcard database grant counts where it matches, with `\\_` as a literal underscore', async () => {
  const { source, destination } = await schemas('pfwild');
  const u = await createUser([
    'GRANT SELECT ON `t\\_pf%`.* TO USER',
    `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP ON \`${escaped(destination)}\`.* TO USER`,
  ]);
  const plain = await check(u, source, destination, false);
  assert.deepEqual(plain.missing, []);
  // ALTER is optional: without it the copy keeps the destination's indexes, and preflight says so.
  assert.ok(
    plain.warnings.some(
      (w) =>
        w.startsWith('the destination user may not ALTER tables') &&
        w.includes(`GRANT ALTER ON \`${escaped(destination)}\`.* TO '${u.user}'@'%';`),
    ),
    plain.warnings.join('\n'),
  );

  const delta = await check(u, source, destination, true);
  assert.deepEqual(summary(delta.missing), [
    `source TRIGGER ${source}`,
    `source CREATE ${source}`,
    `source DROP ${source}`,
    `source INSERT ${source}`,
    `source DELETE ${source}`,
  ]);
  // A grant on the exact name would outrank the wildcard grant and hide its SELECT, so the fix extends the wildcard.
  assert.equal(delta.missing[0]?.grant, `GRANT TRIGGER ON \`t\\_pf%\`.* TO '${u.user}'@'%';`);
  assert.match(delta.missing[0]?.note ?? '', /extends the wildcard grant on `t\\_pf%`/);
  await admin(...delta.missing.map((m) => m.grant));
  assert.deepEqual((await check(u, source, destination, true)).missing, []);

  // `t\_pfwil\_%` needs a literal "_" where the name has "d": no match. `t_pfwild%` matches ("_" is any character).
  // A table-level grant (which does not take part in database-level matching) lets the user connect at all.
  await admin(`CREATE TABLE \`${source}\`.t (id INT)`);
  const literal = await createUser([
    'GRANT SELECT ON `t\\_pfwil\\_%`.* TO USER',
    `GRANT SHOW VIEW ON \`${source}\`.t TO USER`,
    `GRANT ALL ON \`${escaped(destination)}\`.* TO USER`,
  ]);
  assert.deepEqual(summary((await check(literal, source, destination, false)).missing), [
    `source SELECT ${source}`,
  ]);
  const wild = await createUser([
    'GRANT SELECT ON `t_pfwild%`.* TO USER',
    `GRANT ALL ON \`${escaped(destination)}\`.* TO USER`,
  ]);
  assert.deepEqual((await check(wild, source, destination, false)).missing, []);
});

test('a privilege granted only on some tables is missing at database level, and says so', async () => {
  const { source, destination } = await schemas('pftab');
  await admin(`CREATE TABLE \`${source}\`.orders (id INT PRIMARY KEY, note TEXT)`);
  const u = await createUser([
    `GRANT SELECT ON \`${source}\`.orders TO USER`,
    `GRANT INSERT (note) ON \`${source}\`.orders TO USER`,
    `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP ON \`${escaped(destination)}\`.* TO USER`,
  ]);
  const plain = await check(u, source, destination, false);
  assert.deepEqual(plain.missing, [
    {
      side: 'source',
      privilege: 'SELECT',
      database: source,
      grant: `GRANT SELECT ON \`${escaped(source)}\`.* TO '${u.user}'@'%';`,
      note: 'granted only on table `orders`, not on the whole database',
    },
  ]);
  assert.match(
    formatPreflight(plain),
    /missing: SELECT on the source database \S+ \(granted only on table `orders`/,
  );

  const delta = await check(u, source, destination, true);
  const insert = delta.missing.find((m) => m.privilege === 'INSERT');
  assert.equal(insert?.note, 'granted only on some columns of table `orders`, not on the whole database');
  assert.deepEqual(
    delta.missing.map((m) => m.privilege),
    ['SELECT', 'TRIGGER', 'CREATE', 'DROP', 'INSERT', 'DELETE'],
  );
});

test('ALL PRIVILEGES ON *.* covers everything, delta included', async () => {
  const { source, destination } = await schemas('pfall');
  const u = await createUser(['GRANT ALL PRIVILEGES ON *.* TO USER WITH GRANT OPTION']);
  const report = await check(u, source, destination, true);
  assert.deepEqual(report.missing, []);
  assert.match(formatPreflight(report), /^privileges: all present$/m);
});

test('a destination user lacking INSERT: exactly INSERT is missing, and the GRANT names user@host', async () => {
  const { source, destination } = await schemas('pfins');
  const host = await clientHost();
  const u = await createUser(
    [
      `GRANT SELECT ON \`${escaped(source)}\`.* TO USER`,
      `GRANT SELECT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX ON \`${escaped(destination)}\`.* TO USER`,
    ],
    host,
  );
  const report = await check(u, source, destination, false);
  const grant = `GRANT INSERT ON \`${escaped(destination)}\`.* TO '${u.user}'@'${host}';`;
  assert.deepEqual(report.missing, [
    { side: 'destination', privilege: 'INSERT', database: destination, grant },
  ]);

  const error = preflightError(report);
  assert.ok(error);
  assert.equal(error.code, 'PRIVILEGES_MISSING');
  assert.equal(error.exitCode, 2);
  assert.equal(
    error.message,
    `the database users lack 1 privilege: INSERT on the destination database ${destination}`,
  );
  assert.ok(error.hint?.includes(grant));

  const text = formatPreflight(report);
  assert.ok(text.includes(`missing: INSERT on the destination database ${destination}\n  ${grant}`), text);
  assert.doesNotMatch(text, new RegExp(u.password));
  assert.ok(!text.includes('\u001b'), 'no colour codes');

  await admin(grant);
  assert.deepEqual((await check(u, source, destination, false)).missing, []);
});

test('the server applies only the most specific matching database grant, and so does preflight', async () => {
  const { source, destination } = await schemas('pffirst');
  // SELECT comes from the wildcard, INSERT from the exact name: for this database the exact row wins alone.
  const u = await createUser([
    'GRANT SELECT ON `t\\_pf%`.* TO USER',
    `GRANT INSERT ON \`${escaped(source)}\`.* TO USER`,
    `GRANT ALL ON \`${escaped(destination)}\`.* TO USER`,
  ]);
  const report = await check(u, source, destination, false);
  assert.deepEqual(report.missing, [
    {
      side: 'source',
      privilege: 'SELECT',
      database: source,
      grant: `GRANT SELECT ON \`${escaped(source)}\`.* TO '${u.user}'@'%';`,
    },
  ]);
  // The server agrees: the wildcard's SELECT does not reach this database.
  const db = await openAs(u, source, 'source');
  try {
    await admin(`CREATE TABLE \`${source}\`.t (id INT)`);
    await assert.rejects(db.query('SELECT * FROM t'), /SELECT command denied/);
  } finally {
    await db.close();
  }
});

test('both sides on one server: sameServer is true, and the report shows versions and no password', async () => {
  const { source, destination } = await schemas('pfsame');
  const u = await createUser([
    `GRANT ALL ON \`${escaped(source)}\`.* TO USER`,
    `GRANT ALL ON \`${escaped(destination)}\`.* TO USER`,
  ]);
  const report = await check(u, source, destination, false);
  assert.equal(report.sameServer, true);
  assert.deepEqual(report.missing, []);
  const [src, dst] = report.servers;
  assert.equal(src.side, 'source');
  assert.equal(dst.side, 'destination');
  assert.match(src.version, /^\d+\.\d+\.\d+$/);
  const server = await testServer();
  assert.equal(src.display, `${u.user}@${server.host}:${server.port}/${source}`);
  assert.equal(typeof dst.maxAllowedPacket, 'number');
  const lines = formatPreflight(report).split('\n');
  const flavor = src.flavor === 'mariadb' ? 'MariaDB' : 'MySQL';
  assert.equal(lines[0], `source      ${flavor} ${src.version}  ${src.display}`);
  assert.equal(lines[1], `destination ${flavor} ${dst.version}  ${dst.display}`);
  assert.equal(lines[2], 'privileges: all present');
  assert.doesNotMatch(lines.join('\n'), new RegExp(u.password));
});

test('a MariaDB role set as DEFAULT ROLE counts; a granted role that is not active does not', async (t) => {
  const { source, destination } = await schemas('pfrole');
  if (!(await isMariaDb())) {
    t.skip('roles with SET DEFAULT ROLE are tested on MariaDB');
    return;
  }
  const role = `pf_r_${randomBytes(4).toString('hex')}`;
  roles.push(role);
  await admin(`CREATE ROLE ${role}`, `GRANT SELECT ON \`${escaped(source)}\`.* TO ${role}`);
  const destinationGrant = `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP ON \`${escaped(destination)}\`.* TO USER`;
  // Some privilege on the source lets the user connect there at all; the role brings SELECT.
  const sourceUsage = `GRANT SHOW VIEW ON \`${escaped(source)}\`.* TO USER`;

  const withDefault = await createUser([
    sourceUsage,
    destinationGrant,
    `GRANT ${role} TO USER`,
    `SET DEFAULT ROLE ${role} FOR USER`,
  ]);
  const ok = await check(withDefault, source, destination, false);
  assert.deepEqual(ok.missing, []);
  const delta = await check(withDefault, source, destination, true);
  assert.deepEqual(
    delta.missing.map((m) => m.privilege),
    ['TRIGGER', 'CREATE', 'DROP', 'INSERT', 'DELETE'],
  );

  const notActive = await createUser([sourceUsage, destinationGrant, `GRANT ${role} TO USER`]);
  const report = await check(notActive, source, destination, false);
  assert.deepEqual(summary(report.missing), [`source SELECT ${source}`]);
  assert.ok(
    report.warnings.some((w) => w.includes(`SET DEFAULT ROLE \`${role}\` FOR '${notActive.user}'@'%'`)),
    report.warnings.join('\n'),
  );
});

test('warns when the destination has LOAD DATA LOCAL off and a small max_allowed_packet', async (t) => {
  const server = await testServer();
  if (server.kind !== 'throwaway') {
    t.skip('changes global variables: only on a throwaway server of this process');
    return;
  }
  const { source, destination } = await schemas('pfwarn');
  const u = await createUser(['GRANT ALL PRIVILEGES ON *.* TO USER']);
  await admin('SET GLOBAL local_infile = 0', 'SET GLOBAL max_allowed_packet = 4194304');
  try {
    const report = await check(u, source, destination, false);
    assert.equal(report.servers[1].localInfile, false);
    assert.equal(report.servers[1].maxAllowedPacket, 4194304);
    assert.ok(
      report.warnings.includes(
        'LOAD DATA LOCAL is off on the destination; the copy uses multi-row INSERTs, which are slower. SET GLOBAL local_infile = 1 to allow it',
      ),
      report.warnings.join('\n'),
    );
    assert.ok(report.warnings.some((w) => w.startsWith('max_allowed_packet is 4 MB on the destination')));
    assert.ok(report.warnings.some((w) => w.startsWith('max_allowed_packet is 4 MB on the source')));
    assert.match(formatPreflight(report), /^warning: LOAD DATA LOCAL is off on the destination/m);
  } finally {
    await admin('SET GLOBAL local_infile = 1', 'SET GLOBAL max_allowed_packet = 67108864');
  }
});

test('several triggers per event: MariaDB 10.2.3+ and MySQL 5.7.2+', () => {
  assert.equal(supportsSeveralTriggersPerEvent({ flavor: 'mariadb', version: '10.11.19' }), true);
  assert.equal(supportsSeveralTriggersPerEvent({ flavor: 'mariadb', version: '10.2.3' }), true);
  assert.equal(supportsSeveralTriggersPerEvent({ flavor: 'mariadb', version: '10.1.48' }), false);
  assert.equal(supportsSeveralTriggersPerEvent({ flavor: 'mysql', version: '5.7.2' }), true);
  assert.equal(supportsSeveralTriggersPerEvent({ flavor: 'mysql', version: '5.6.51' }), false);
  assert.equal(supportsSeveralTriggersPerEvent({ flavor: 'mysql', version: '8.0.36' }), true);
});

test('formatPreflight renders servers, each missing privilege with its GRANT, then warnings', () => {
  const report: PreflightReport = {
    servers: [
      {
        side: 'source',
        version: '10.11.19',
        flavor: 'mariadb',
        display: 'm1@127.0.0.1:3306/magento1',
        localInfile: true,
        maxAllowedPacket: 67108864,
      },
      {
        side: 'destination',
        version: '8.0.36',
        flavor: 'mysql',
        display: 'm2@db2:3306/magento2',
        localInfile: false,
        maxAllowedPacket: 67108864,
      },
    ],
    missing: [
      {
        side: 'destination',
        privilege: 'DROP',
        database: 'magento2',
        grant: "GRANT DROP ON `magento2`.* TO 'm2'@'%';",
      },
    ],
    sameServer: false,
    warnings: ['something to know'],
  };
  assert.equal(
    formatPreflight(report),
    [
      'source      MariaDB 10.11.19  m1@127.0.0.1:3306/magento1',
      'destination MySQL 8.0.36      m2@db2:3306/magento2',
      'missing: DROP on the destination database magento2',
      "  GRANT DROP ON `magento2`.* TO 'm2'@'%';",
      'warning: something to know',
    ].join('\n'),
  );
});

test('direct copy: preflight says why it is off and what turns it on', async () => {
  const { source, destination } = await schemas('pfdirect');
  const reader = await createUser([`GRANT SELECT ON \`${escaped(source)}\`.* TO USER`]);
  const writer = await createUser([`GRANT ALL PRIVILEGES ON \`${escaped(destination)}\`.* TO USER`]);
  const run = async (directCopy: boolean) => {
    const src = await openAs(reader, source, 'source');
    const dst = await openAs(writer, destination, 'destination');
    try {
      return await preflight(src, dst, { deltaTracking: false, directCopy });
    } finally {
      await src.close();
      await dst.close();
    }
  };
  const grant = `GRANT SELECT ON \`${escaped(source)}\`.* TO ${writer.account};`;
  const blocked = await run(true);
  assert.deepEqual(blocked.missing, [], 'privileges the run needs are all there: this is about the method');
  assert.equal(
    blocked.directCopy,
    `direct copy: off: <direct_document_copy> is 1, but the destination user ${writer.account} cannot read the source database ${source}; ` +
      `documents are streamed through the tool (LOAD DATA or multi-row INSERT). To turn it on: ${grant}`,
  );
  assert.ok(formatPreflight(blocked).includes(blocked.directCopy ?? '?'));
  assert.match(
    (await run(false)).directCopy ?? '',
    /^direct copy: off \(<direct_document_copy> is 0\).*set <direct_document_copy>1<\/direct_document_copy>/,
  );
  await admin(grant.replace(/;$/, ''));
  assert.match((await run(true)).directCopy ?? '', /^direct copy: on: /);
});
