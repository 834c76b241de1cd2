/**
 * Where `migrate plan` copies its timed sample: a scratch schema `<destination>_smplan_<random>`
 * on the destination server, so the sample goes through the same server, session and writer
 * as the real copy without touching a destination table. When the destination user may not
 * create a database, scratch tables `__smplan_<random>_<table>` inside the destination database
 * instead. Either way `drop()` removes everything it made; callers call it in a finally.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../config/types.js';
import { Database } from '../../db/database.js';
import {
  createEmptyTableLike,
  createScratchSchema,
  dropScratchSchema,
  dropScratchTable,
} from '../../db/scratch-tables.js';
import { errorText } from '../../errors.js';

const MAX_NAME = 64;

export interface ScratchTarget {
  readonly kind: 'schema' | 'prefix';
  /** The scratch schema, or the table prefix in the destination database. */
  readonly name: string;
  /** A destination-session pool whose current database holds the scratch tables. */
  readonly db: Database;
  /** Why a scratch schema could not be used, when kind is 'prefix'. */
  readonly fallbackReason?: string;
  /**
   * Creates an empty copy of a destination table; returns its name in `db`'s database. Each
   * `round` gets a table of its own.
   */
  createLike(destinationTable: string, round?: number): Promise<string>;
  /** A name for a scratch table of the tool's own (the sample's progress table). */
  tableName(purpose: string): string;
  drop(): Promise<void>;
}

export async function openScratchTarget(
  destinationConfig: DatabaseConfig,
  destination: Database,
  poolSize: number,
): Promise<ScratchTarget> {
  const random = randomBytes(3).toString('hex');
  const suffix = `_smplan_${random}`;
  const schema = `${destination.schema.slice(0, MAX_NAME - suffix.length)}${suffix}`;
  let created = false;
  try {
    await createScratchSchema(destination, schema);
    created = true;
    const db = await Database.open(
      { ...destinationConfig, name: schema },
      {
        side: 'destination',
        poolSize,
        session: { foreignKeyChecks: false, readCommitted: true }, // as the copy's (plan-stage.ts)
      },
    );
    return schemaTarget(schema, db, destination);
  } catch (error) {
    if (created) await dropScratchSchema(destination, schema).catch(() => {});
    return prefixTarget(`__smplan_${random}_`, destination, errorText(error));
  }
}

function schemaTarget(schema: string, db: Database, destination: Database): ScratchTarget {
  return {
    kind: 'schema',
    name: schema,
    db,
    async createLike(table, round = 1) {
      const name = round === 1 ? table : fitName(`__r${round}_`, table);
      await createEmptyTableLike(db, name, table, destination.schema);
      return name;
    },
    tableName: (purpose) => `__smplan_${purpose}`,
    async drop() {
      await db.close().catch(() => {});
      await dropScratchSchema(destination, schema);
    },
  };
}

function prefixTarget(prefix: string, destination: Database, reason: string): ScratchTarget {
  const made: string[] = [];
  return {
    kind: 'prefix',
    name: prefix,
    db: destination,
    fallbackReason: reason,
    async createLike(table, round = 1) {
      const name = fitName(round === 1 ? prefix : `${prefix}r${round}_`, table);
      made.push(name);
      await createEmptyTableLike(destination, name, table);
      return name;
    },
    tableName(purpose) {
      const name = fitName(prefix, purpose);
      made.push(name);
      return name;
    },
    async drop() {
      const failures: string[] = [];
      for (const name of made) {
        await dropScratchTable(destination, name).catch((error: unknown) =>
          failures.push(`${name}: ${errorText(error)}`),
        );
      }
      if (failures.length > 0) throw new Error(`could not drop scratch tables: ${failures.join('; ')}`);
    },
  };
}

/** `prefix` + `table`, cut (with a hash of the full name, so it stays unique) to MySQL's 64 characters. */
function fitName(prefix: string, table: string): string {
  const name = `${prefix}${table}`;
  if (name.length <= MAX_NAME) return name;
  const hash = createHash('md5').update(table).digest('hex').slice(0, 8);
  return `${prefix}${table.slice(0, MAX_NAME - prefix.length - hash.length - 1)}_${hash}`;
}
