import type { Knex } from 'knex';

export type NoticeKind = 'arrived' | 'overdue' | 'urge';

export interface NoticeRow {
  id: number;
  agency_id: number;
  kind: NoticeKind;
  key: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

export interface NewNotice {
  agency_id: number;
  kind: NoticeKind;
  key: string;
  body: string;
  link: string | null;
  covers_until?: Date | null;
  created_at?: Date;
}

// 站内通知 of agencies (issue 15 part 4), written by the reminder job under unique keys.
export function noticesRepo(db: Knex | Knex.Transaction) {
  return {
    /** Inserts the notices whose key is new; returns how many were. */
    async addOnce(rows: NewNotice[]): Promise<number> {
      let added = 0;
      for (let i = 0; i < rows.length; i += 1000) {
        const inserted = (await db('notices')
          .insert(rows.slice(i, i + 1000))
          .onConflict('key')
          .ignore()
          .returning('id')) as unknown[];
        added += inserted.length;
      }
      return added;
    },
    page: (agencyId: number, limit: number, offset: number): Promise<NoticeRow[]> =>
      db<NoticeRow>('notices')
        .where({ agency_id: agencyId })
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(limit)
        .offset(offset),
    async count(agencyId: number): Promise<number> {
      const row = await db('notices').where({ agency_id: agencyId }).count<{ n: string }[]>('* as n').first();
      return Number(row?.n ?? 0);
    },
    async unread(agencyId: number): Promise<number> {
      const row = await db('notices')
        .where({ agency_id: agencyId })
        .whereNull('read_at')
        .count<{ n: string }[]>('* as n')
        .first();
      return Number(row?.n ?? 0);
    },
    markRead: (agencyId: number, ids: number[]) =>
      db('notices')
        .where({ agency_id: agencyId })
        .whereIn('id', ids)
        .whereNull('read_at')
        .update({ read_at: db.fn.now() }),
    markAllRead: (agencyId: number) =>
      db('notices').where({ agency_id: agencyId }).whereNull('read_at').update({ read_at: db.fn.now() }),
  };
}
