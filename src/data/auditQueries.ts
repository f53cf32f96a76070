import type { Knex } from 'knex';
import type { AuditEventType, AuditResult, AuditRow } from '../domain/audit';
import { containsPattern, prefixPattern } from './textSearch';

// 安全审计's reading side: the auditor's filtered list, its count, one row, and the filtered set
// in batches for the Excel export. Newest first (seq descending) everywhere.

export interface AuditListFilter {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
  /** The recorded username, exactly or as its beginning. */
  account?: { name: string; prefix: boolean };
  type?: AuditEventType;
  result?: AuditResult;
  /** Text found in the object, reason, username or address (matched literally). */
  text?: string;
  /** Rows up to this seq only (an export: the set as it was when asked for). */
  throughSeq?: number;
}

export function auditQueries(db: Knex | Knex.Transaction) {
  function filtered(f: AuditListFilter): Knex.QueryBuilder {
    const q = db('audit_log');
    if (f.from) q.where('at', '>=', f.from);
    if (f.to) q.where('at', '<', f.to);
    if (f.account)
      q.where((w) =>
        f.account!.prefix
          ? w.whereLike('actor_username', prefixPattern(f.account!.name))
          : w.where('actor_username', f.account!.name),
      );
    if (f.throughSeq !== undefined) q.where('seq', '<=', f.throughSeq);
    if (f.type) q.where('event_type', f.type);
    if (f.result) q.where('result', f.result);
    if (f.text) {
      const like = containsPattern(f.text);
      q.where((w) =>
        w
          .whereILike('object', like)
          .orWhereILike('reason', like)
          .orWhereILike('actor_username', like)
          .orWhereILike('address', like),
      );
    }
    return q;
  }

  return {
    count: async (f: AuditListFilter): Promise<number> =>
      Number((await filtered(f).count<{ n: number }[]>('* as n'))[0].n),
    page: (f: AuditListFilter, limit: number, offset: number): Promise<AuditRow[]> =>
      filtered(f).orderBy('seq', 'desc').limit(limit).offset(offset).select('*'),
    /** The newest row's seq (0 when the table is empty). */
    headSeq: async (): Promise<number> =>
      Number((await db('audit_log').max<{ m: number | null }[]>('seq as m'))[0].m ?? 0),
    byId: (id: number): Promise<AuditRow | undefined> => db<AuditRow>('audit_log').where({ id }).first(),
    /** The whole filtered set, newest first, `size` rows at a time (keyset on seq). */
    async *batches(f: AuditListFilter, size = 1000): AsyncGenerator<AuditRow[]> {
      let below = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows: AuditRow[] = await filtered(f)
          .where('seq', '<', below)
          .orderBy('seq', 'desc')
          .limit(size)
          .select('*');
        if (rows.length) yield rows;
        if (rows.length < size) return;
        below = rows[rows.length - 1].seq;
      }
    },
  };
}
