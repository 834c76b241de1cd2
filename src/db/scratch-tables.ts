/**
 * The DDL of `migrate plan`'s scratch space (src/steps/check/scratch-target.ts): a schema of
 * its own on the destination server, or tables beside the destination's when the user may not
 * create a database; empty copies of destination tables inside it; and their removal.
 */
import type { Queryable } from './database.js';
import { qualifiedName, quoteIdentifier } from './identifiers.js';

export async function createScratchSchema(db: Queryable, schema: string): Promise<void> {
  await db.execute(`CREATE DATABASE ${quoteIdentifier(schema)} CHARACTER SET utf8mb4`);
}

export async function dropScratchSchema(db: Queryable, schema: string): Promise<void> {
  await db.execute(`DROP DATABASE IF EXISTS ${quoteIdentifier(schema)}`);
}

/**
 * An empty table `name` in the session's current database, shaped like `like` (in `likeSchema`
 * when given, else the current database).
 */
export async function createEmptyTableLike(
  db: Queryable,
  name: string,
  like: string,
  likeSchema?: string,
): Promise<void> {
  const source = likeSchema === undefined ? quoteIdentifier(like) : qualifiedName(likeSchema, like);
  await db.execute(`CREATE TABLE ${quoteIdentifier(name)} LIKE ${source}`);
}

export async function dropScratchTable(db: Queryable, name: string): Promise<void> {
  await db.execute(`DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
}
