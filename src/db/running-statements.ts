/**
 * The sessions whose current statement began before a given moment. Inside a stored procedure
 * the processlist shows the statement the call is at, but its time counts from the CALL, so a
 * procedure call that started before the moment is found whatever it is doing now.
 * Without the PROCESS privilege the server shows only the tool user's own sessions.
 */
import type { Queryable } from './database.js';
import type { Blocker } from './lock-blockers.js';

const STATEMENT_CHARS = 80;

interface Row {
  id: string | number;
  user: string | null;
  ms: string | number | null;
  statement: string | null;
}

/** Sessions (other than the asking one) running a statement that started at least `ageMs` ago. */
export async function statementsOlderThan(db: Queryable, ageMs: number): Promise<Blocker[]> {
  let rows: Row[];
  const where = `COMMAND = 'Query' AND ID <> CONNECTION_ID() AND INFO IS NOT NULL`;
  try {
    // MariaDB: milliseconds.
    rows = await db.query<Row>(
      `SELECT ID AS id, USER AS user, TIME_MS AS ms, INFO AS statement FROM information_schema.PROCESSLIST WHERE ${where}`,
    );
  } catch {
    // MySQL: whole seconds only.
    rows = await db.query<Row>(
      `SELECT ID AS id, USER AS user, TIME * 1000 AS ms, INFO AS statement FROM information_schema.PROCESSLIST WHERE ${where}`,
    );
  }
  return rows
    .filter((r) => Number(r.ms ?? 0) >= ageMs)
    .map((r) => {
      const statement = (r.statement ?? '').replace(/\s+/g, ' ').trim();
      return {
        id: Number(r.id),
        user: r.user ?? '?',
        seconds: Math.floor(Number(r.ms ?? 0) / 1000),
        statement:
          statement.length <= STATEMENT_CHARS ? statement : `${statement.slice(0, STATEMENT_CHARS)}...`,
        evidence: 'running statement' as const,
      };
    });
}
