import type { Knex } from 'knex';

export interface MessageRow {
  id: number;
  enterprise_id: number;
  /** Null for a reminder about the enterprise's filing as a whole. */
  system_id: number | null;
  /** 'reminder': produced by the reminder job (domain/reminders.ts), with its unique key. */
  kind: 'returned' | 'stored' | 'reminder' | 'urge';
  reminder_key?: string | null;
  body: string;
  created_at: Date;
  read_at: Date | null;
}

export function messagesRepo(db: Knex | Knex.Transaction) {
  return {
    /** Reminders by their unique key: a key already sent is skipped, so each is sent once. */
    addReminders: async (
      rows: { enterprise_id: number; system_id: number | null; body: string; reminder_key: string }[],
    ): Promise<number> => {
      let added = 0;
      for (let i = 0; i < rows.length; i += 1000) {
        const inserted = (await db('messages')
          .insert(rows.slice(i, i + 1000).map((r) => ({ ...r, kind: 'reminder' })))
          .onConflict('reminder_key')
          .ignore()
          .returning('id')) as unknown[];
        added += inserted.length;
      }
      return added;
    },
    add: (m: { enterprise_id: number; system_id: number; kind: MessageRow['kind']; body: string }) =>
      db('messages').insert(m),
    recent: (enterpriseId: number, limit = 20): Promise<MessageRow[]> =>
      db<MessageRow>('messages')
        .where({ enterprise_id: enterpriseId })
        .orderBy('created_at', 'desc')
        .limit(limit),
    markAllRead: (enterpriseId: number) =>
      db('messages')
        .where({ enterprise_id: enterpriseId })
        .whereNull('read_at')
        .update({ read_at: db.fn.now() }),
  };
}
