/**
 * Whether the destination's user may read a source table. A direct copy (INSERT ... SELECT
 * inside one server) runs on the destination's connections, so it needs exactly that.
 */
import type { Queryable } from './database.js';
import { qualifiedName } from './identifiers.js';

export async function destinationCanReadSource(
  destination: Queryable,
  sourceSchema: string,
  sourceTable: string,
): Promise<boolean> {
  try {
    await destination.query(`SELECT 1 FROM ${qualifiedName(sourceSchema, sourceTable)} LIMIT 0`);
    return true;
  } catch {
    return false;
  }
}
