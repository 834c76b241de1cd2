/**
 * The bulk copy's destination sessions turn unique_checks off (its rows come from a source that
 * holds each key once). A step that writes into a table holding rows it did not write (a merge
 * into a seeded table, a computed document built from several sources) relies on the unique
 * keys to refuse a duplicate: with them off, InnoDB let such a chunk fail at COMMIT ("Got error
 * 1 during COMMIT") instead of refusing the one row. This turns them on for the work inside the
 * caller's transaction and restores the session's setting after it.
 */
import type { Queryable } from './database.js';

export async function withUniqueChecks<T>(tx: Queryable, work: () => Promise<T>): Promise<T> {
  const [row] = await tx.query<{ on: string | number }>('SELECT @@session.unique_checks AS `on`');
  const was = Number(row?.on ?? 1);
  if (was === 1) return work();
  await tx.execute('SET SESSION unique_checks = 1');
  const result = await work();
  await tx.execute('SET SESSION unique_checks = 0'); // an error leaves them on: only ever stricter
  return result;
}
