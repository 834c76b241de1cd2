/**
 * A database user with only the grants a test names, for the paths a real shop's restricted
 * accounts take (no ALTER, no CREATE DATABASE, no read of the other schema), and the test's
 * config.xml rewritten to log in as it. The user is dropped when the test ends.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { adminConnection } from './database.js';

export interface LimitedUser {
  user: string;
  password: string;
}

/** `grants` are GRANT clauses without the grantee: "SELECT, INSERT ON `schema`.*". */
export async function createLimitedUser(
  t: TestContext,
  label: string,
  grants: readonly string[],
): Promise<LimitedUser> {
  const user = `sm${label}_${process.pid}`.slice(0, 32);
  const password = 'Limited-pw1';
  const conn = await adminConnection();
  t.after(async () => {
    await conn.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await conn.end();
  });
  await conn.query(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
  for (const grant of grants) await conn.query(`GRANT ${grant} TO '${user}'@'%'`);
  return { user, password };
}

/**
 * Writes `limited.xml` next to `configFile`: the same config with the named sides' `<database>`
 * logging in as `as`. Returns its path.
 */
export async function configAs(
  configFile: string,
  dir: string,
  as: LimitedUser,
  sides: ReadonlyArray<'source' | 'destination'>,
): Promise<string> {
  let config = await readFile(configFile, 'utf8');
  for (const side of sides) {
    config = config.replace(new RegExp(`<${side}>.*</${side}>`, 's'), (element) =>
      element
        .replace(/user="[^"]*"/, `user="${as.user}"`)
        .replace(/password="[^"]*"/, `password="${as.password}"`),
    );
  }
  const limited = join(dir, 'limited.xml');
  await writeFile(limited, config);
  return limited;
}
