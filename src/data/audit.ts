import type { Knex } from 'knex';
import {
  auditHash,
  type AuditContent,
  type AuditEventInput,
  type AuditEventType,
  type AuditResult,
  type AuditRow,
} from '../domain/audit';
import type { ChainStart } from '../domain/hashChain';

// One key for the audit chain's transaction-scoped advisory lock: appenders take turns reading
// the head and inserting the next row, so two writers can never link to the same head. The lock
// ends with the transaction, which also makes an audited change and its row commit together.
const AUDIT_CHAIN_LOCK = 130_013;

/**
 * Appends one event to the audit chain, in the caller's transaction when given one (a rolled-back
 * change leaves no row). Call it last in a transaction: later appenders wait for its commit.
 * `options.at` fixes the time (tests of the 180-day rule); otherwise the database clock.
 */
export function recordAudit(
  db: Knex | Knex.Transaction,
  event: AuditEventInput,
  options: { at?: Date } = {},
): Promise<void> {
  return recordAudits(db, [event], options);
}

/** Appends several events in order under one turn of the chain lock (one row each). */
export async function recordAudits(
  db: Knex | Knex.Transaction,
  events: readonly AuditEventInput[],
  options: { at?: Date } = {},
): Promise<void> {
  if (events.length === 0) return;
  // In the caller's transaction as it is (the advisory lock lasts until its commit), or in one
  // of its own. Three statements: the lock (with the clock and the actors), the head, the insert.
  const append = async (trx: Knex.Transaction) => {
    const ids = [...new Set(events.map((e) => e.actorId).filter((id): id is number => id !== null))];
    const { now, actors } = (
      await trx.raw(
        `SELECT pg_advisory_xact_lock(?) AS locked,
          date_trunc('milliseconds', clock_timestamp()) AS now,
          (SELECT coalesce(json_agg(json_build_object('id', u.id, 'username', u.username,
                    'role', u.role, 'unit', coalesce(a.name, e.name))), '[]'::json)
             FROM users u
             LEFT JOIN agencies a ON a.id = u.agency_id
             LEFT JOIN enterprises e ON e.id = u.enterprise_id
            WHERE u.id = ANY(?::int[])) AS actors`,
        [AUDIT_CHAIN_LOCK, ids],
      )
    ).rows[0] as { now: Date; actors: ActorSnapshot[] };
    const actorOf = new Map(actors.map((a) => [a.id, a]));
    // Its own statement, after the lock is held: a statement sees what was committed when it began.
    let head = await chainHead(trx);
    const rows = events.map((event) => {
      const actor = event.actorId === null ? undefined : actorOf.get(event.actorId);
      const detail = JSON.parse(JSON.stringify(event.detail ?? {})) as Record<string, unknown>;
      const content: AuditContent = {
        seq: head.seq + 1,
        at: new Date(options.at ?? now),
        event_type: event.type,
        actor_user_id: event.actorId,
        actor_username: actor?.username ?? event.actorName ?? null,
        actor_role: actor?.role ?? null,
        actor_unit: actor?.unit ?? null,
        address: event.address,
        object: event.object ?? null,
        result: event.result,
        reason: event.reason ?? null,
        detail,
        prev_hash: head.hash,
      };
      const hash = auditHash(content);
      head = { seq: content.seq, hash };
      return { ...content, detail: JSON.stringify(detail), hash };
    });
    for (let i = 0; i < rows.length; i += 500) await trx('audit_log').insert(rows.slice(i, i + 500));
  };
  if ((db as Knex.Transaction).isTransaction) await append(db as Knex.Transaction);
  else await db.transaction(append);
}

interface ActorSnapshot {
  id: number;
  username: string;
  role: string;
  unit: string | null;
}

/** The newest archive's head: where the chain in the table starts (seq 0, no hash: none yet). */
async function archivedHead(db: Knex | Knex.Transaction): Promise<ChainStart> {
  const last = await db('audit_archives').orderBy('last_seq', 'desc').first('last_seq', 'last_hash');
  return last ? { seq: last.last_seq, hash: last.last_hash } : { seq: 0, hash: null };
}

/** The last link of the chain: the newest row, or the archive's head when the table is empty. */
async function chainHead(db: Knex | Knex.Transaction): Promise<ChainStart> {
  const { rows } = await db.raw(
    `SELECT seq, hash FROM (
       (SELECT seq, hash, 1 AS pick FROM audit_log ORDER BY seq DESC LIMIT 1)
       UNION ALL
       (SELECT last_seq, last_hash, 2 FROM audit_archives ORDER BY last_seq DESC LIMIT 1)
     ) head ORDER BY pick LIMIT 1`,
  );
  const last = rows[0] as { seq: number | string; hash: string } | undefined;
  return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: null };
}

export interface AuditFilter {
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** Username (exact, as recorded). */
  account?: string;
  type?: AuditEventType;
  result?: AuditResult;
  /** Words to find in the object, reason, address, unit or detail. */
  q?: string;
}

export interface AuditArchive {
  before: Date;
  first_seq: number;
  last_seq: number;
  last_hash: string;
  row_count: number;
  file: string;
  file_sha256: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function auditRepo(db: Knex | Knex.Transaction) {
  function filtered(f: AuditFilter) {
    const q = db('audit_log');
    if (f.from) q.where('at', '>=', f.from);
    if (f.to) q.where('at', '<', f.to);
    if (f.account) q.where('actor_username', f.account);
    if (f.type) q.where('event_type', f.type);
    if (f.result) q.where('result', f.result);
    if (f.q) {
      const like = `%${escapeLike(f.q)}%`;
      q.where((w) =>
        w
          .whereILike('object', like)
          .orWhereILike('reason', like)
          .orWhereILike('address', like)
          .orWhereILike('actor_unit', like)
          .orWhereRaw('detail::text ILIKE ?', [like]),
      );
    }
    return q;
  }
  return {
    count: async (f: AuditFilter): Promise<number> =>
      Number((await filtered(f).count<{ n: number }[]>('* as n'))[0].n),
    /** Newest first. */
    page: (f: AuditFilter, limit: number, offset: number): Promise<AuditRow[]> =>
      filtered(f).orderBy('seq', 'desc').limit(limit).offset(offset).select('*'),
    byId: (id: number): Promise<AuditRow | undefined> => db<AuditRow>('audit_log').where({ id }).first(),
    /** Rows in chain order after `seq`, a page at a time (verify:audit, archive). */
    pageAfter: (seq: number, limit: number): Promise<AuditRow[]> =>
      db<AuditRow>('audit_log').where('seq', '>', seq).orderBy('seq').limit(limit),
    archivedHead: () => archivedHead(db),
    /** Takes the chain's lock for the rest of the transaction (archive: no append meanwhile). */
    lockChain: async (): Promise<void> => {
      await db.raw('SELECT pg_advisory_xact_lock(?)', [AUDIT_CHAIN_LOCK]);
    },
    /** The first row at or after `before` (rows before it are the archivable prefix). */
    firstSeqFrom: async (before: Date): Promise<number | null> =>
      (await db('audit_log').where('at', '>=', before).min<{ m: number | null }[]>('seq as m'))[0].m,
    /**
     * Deletes the chain's prefix up to `archive.last_seq` and records the archive; call on a
     * transaction. The trigger still refuses any row younger than 180 days by the database clock.
     */
    async removeArchived(archive: AuditArchive): Promise<number> {
      const trx = db;
      await trx.raw(`SELECT set_config('census.audit_archive', 'on', true)`);
      const removed = await trx('audit_log').where('seq', '<=', archive.last_seq).del();
      await trx.raw(`SELECT set_config('census.audit_archive', 'off', true)`);
      await trx('audit_archives').insert(archive);
      return removed;
    },
  };
}
