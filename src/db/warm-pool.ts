/** Opens connections of a pool ahead of time, so a timed piece of work does not time connecting. */
import type { Queryable } from './database.js';

/** `connections` statements at once on `db`, each holding a connection for 10 ms. */
export async function warmPool(db: Pick<Queryable, 'query'>, connections: number): Promise<void> {
  await Promise.all(Array.from({ length: connections }, () => db.query('SELECT SLEEP(0.01)')));
}
