/** The config.xml a test runs the tool with: two databases and the <options> the test needs. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { testServer } from './database.js';

/** Where one side's <database> element points: a server and a schema on it. */
export interface ConfigDatabase {
  host: string;
  port: number;
  user: string;
  /** Written as is: the real password, or `${TEST_DB_PASSWORD}` for the loader to fill in. */
  password: string;
  name: string;
}

/** Writes `dir/config.xml` over the two databases with these <options> children; returns its path. */
export async function writeConfigXml(
  dir: string,
  config: { source: ConfigDatabase; destination: ConfigDatabase; options: string },
): Promise<string> {
  const database = (db: ConfigDatabase) =>
    `<database host="${db.host}" port="${db.port}" user="${db.user}" password="${db.password}" name="${db.name}"/>`;
  const file = join(dir, 'config.xml');
  await writeFile(
    file,
    `<config>
  <source>${database(config.source)}</source>
  <destination>${database(config.destination)}</destination>
  <options>
    ${config.options}
  </options>
</config>
`,
  );
  return file;
}

/**
 * `schema` on the test server with the password given as `${TEST_DB_PASSWORD}` (set here, for
 * this process and the CLIs it starts), as an operator's config gives it: a test can then run
 * the CLI with a wrong password, and no file holds the real one.
 */
export async function testDatabaseFromEnv(schema: string): Promise<ConfigDatabase> {
  const server = await testServer();
  process.env.TEST_DB_PASSWORD = server.password;
  return {
    host: server.host,
    port: server.port,
    user: server.user,
    password: `\${TEST_DB_PASSWORD}`,
    name: schema,
  };
}
