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
export async function recordAudit(
  db: Knex | Knex.Transaction,
  event: AuditEventInput,
  options: { at?: Date } = {},
): Promise<void> {
  const actor = event.actorId === null ? undefined : await actorSnapshot(db, event.actorId);
  const detail = JSON.parse(JSON.stringify(event.detail ?? {})) as Record<string, unknown>;
  // A savepoint inside the caller's transaction, or a transaction of its own: either way the
  // advisory lock is held until the outermost commit.
  await db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [AUDIT_CHAIN_LOCK]);
    const head = await chainHead(trx);
    const at =
      options.at ??
      (await trx.raw(`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`)).rows[0].now;
    const content: AuditContent = {
      seq: head.seq + 1,
      at: new Date(at),
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
    await trx('audit_log').insert({ ...content, detail: JSON.stringify(detail), hash: auditHash(content) });
  });
}

async function actorSnapshot(db: Knex | Knex.Transaction, userId: number) {
  const row = await db('users as u')
    .leftJoin('agencies as a', 'a.id', 'u.agency_id')
    .leftJoin('enterprises as e', 'e.id', 'u.enterprise_id')
    .where('u.id', userId)
    .first('u.username', 'u.role', db.raw('coalesce(a.name, e.name) as unit'));
  return row as { username: string; role: string; unit: string | null } | undefined;
}

/** The newest archive's head: where the chain in the table starts (seq 0, no hash: none yet). */
async function archivedHead(db: Knex | Knex.Transaction): Promise<ChainStart> {
  const last = await db('audit_archives').orderBy('last_seq', 'desc').first('last_seq', 'last_hash');
  return last ? { seq: last.last_seq, hash: last.last_hash } : { seq: 0, hash: null };
}

/** The last link of the chain: the newest row, or the archive's head when the table is empty. */
async function chainHead(db: Knex | Knex.Transaction): Promise<ChainStart> {
  const last = await db('audit_log').orderBy('seq', 'desc').first('seq', 'hash');
  return last ? { seq: last.seq, hash: last.hash } : archivedHead(db);
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
