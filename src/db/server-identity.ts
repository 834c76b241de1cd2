/**
 * Facts about the server behind a connection that decide how the copy runs: whether both
 * sides are one server (then `INSERT ... SELECT` can copy without the rows leaving it), the
 * packet limit that sizes batch INSERTs, and whether LOAD DATA LOCAL is allowed.
 */
import type { Queryable } from './database.js';

export interface ServerFacts {
  identity: string;
  maxAllowedPacket: number;
  localInfile: boolean;
}

export async function serverFacts(db: Queryable): Promise<ServerFacts> {
  const [row] = await db.query<{
    host: string;
    port: string;
    datadir: string;
    packet: string;
    local_infile: string;
  }>(
    'SELECT @@hostname AS host, @@port AS port, @@datadir AS datadir, @@max_allowed_packet AS packet, @@local_infile AS local_infile',
  );
  return {
    identity: `${row?.host}:${row?.port}:${row?.datadir}`,
    maxAllowedPacket: Number(row?.packet ?? 4 * 1024 * 1024),
    localInfile: row?.local_infile === '1',
  };
}

/** The destination's packet limit alone, which sizes the settings merge's batch statements. */
export async function maxAllowedPacket(db: Pick<Queryable, 'query'>): Promise<number> {
  const [row] = await db.query<{ packet: string }>('SELECT @@max_allowed_packet AS packet');
  return Number(row?.packet ?? 16 * 1024 * 1024);
}

/** Whether a server is MariaDB or MySQL, from VERSION(): their SQL hash forms differ. */
export async function serverFlavor(db: Pick<Queryable, 'query'>): Promise<'mariadb' | 'mysql'> {
  const [row] = await db.query<{ v: string }>('SELECT VERSION() AS v');
  return /mariadb/i.test(row?.v ?? '') ? 'mariadb' : 'mysql';
}
