import type { Knex } from 'knex';
import type { SecurityPolicy } from '../domain/securityPolicy';

export interface SecuritySettingsChange {
  id: number;
  settings: Partial<SecurityPolicy>;
  changed_by: number | null;
  changed_by_username: string | null;
  changed_at: Date;
}

/** 安全策略 as a history: every save is a row; the newest one is in force. */
export function securitySettingsRepo(db: Knex | Knex.Transaction) {
  return {
    async current(): Promise<Partial<SecurityPolicy> | null> {
      const row = await db('security_settings').orderBy('id', 'desc').first('settings');
      return row ? (row.settings as Partial<SecurityPolicy>) : null;
    },
    async save(settings: SecurityPolicy, changedBy: number): Promise<number> {
      const [row] = await db('security_settings')
        .insert({ settings: JSON.stringify(settings), changed_by: changedBy })
        .returning('id');
      return row.id;
    },
    history: (limit: number): Promise<SecuritySettingsChange[]> =>
      db('security_settings as s')
        .leftJoin('users as u', 'u.id', 's.changed_by')
        .orderBy('s.id', 'desc')
        .limit(limit)
        .select('s.id', 's.settings', 's.changed_by', 'u.username as changed_by_username', 's.changed_at'),
  };
}
