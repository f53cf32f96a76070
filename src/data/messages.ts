import type { Knex } from 'knex';

export interface MessageRow {
  id: number;
  enterprise_id: number;
  system_id: number;
  kind: 'returned' | 'stored';
  body: string;
  created_at: Date;
  read_at: Date | null;
}

export function messagesRepo(db: Knex | Knex.Transaction) {
  return {
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
