import type { Knex } from 'knex';
import { historyHash, type HashedHistoryContent } from '../domain/historyHash';

export type NewHistory = Omit<HashedHistoryContent, 'seq' | 'prev_hash'>;

export interface HistoryRow extends HashedHistoryContent {
  id: number;
  hash: string;
}

export interface HistoryListRow extends HistoryRow {
  actor_agency_name: string | null;
  actor_enterprise_name: string | null;
  from_agency_name: string | null;
  to_agency_name: string | null;
}

export function historyRepo(db: Knex | Knex.Transaction) {
  return {
    /**
     * Appends the next row of the system's chain. Call with the system row locked (FOR UPDATE)
     * in the same transaction as the change it records.
     */
    async append(entry: NewHistory): Promise<HistoryRow> {
      const last = await db('history')
        .where({ system_id: entry.system_id })
        .orderBy('seq', 'desc')
        .first('seq', 'hash');
      const content: HashedHistoryContent = {
        ...entry,
        seq: (last?.seq ?? 0) + 1,
        prev_hash: last?.hash ?? null,
      };
      const row = { ...content, fields: [...content.fields], hash: historyHash(content) };
      const [inserted] = await db('history').insert(row).returning('id');
      return { ...row, id: inserted.id };
    },
    /** The system's history with the names to show, oldest first. */
    forSystem: (systemId: number): Promise<HistoryListRow[]> =>
      db('history as h')
        .leftJoin('agencies as aa', 'aa.id', 'h.actor_agency_id')
        .leftJoin('enterprises as ae', 'ae.id', 'h.actor_enterprise_id')
        .leftJoin('agencies as fa', 'fa.id', 'h.from_agency_id')
        .leftJoin('agencies as ta', 'ta.id', 'h.to_agency_id')
        .where('h.system_id', systemId)
        .orderBy('h.seq')
        .select(
          'h.*',
          'aa.name as actor_agency_name',
          'ae.name as actor_enterprise_name',
          'fa.name as from_agency_name',
          'ta.name as to_agency_name',
        ),
    /** The versions of the system this agency acted on (jurisdiction of detail pages). */
    agencyActedOnVersions: async (agencyId: number, systemId: number): Promise<number[]> =>
      (
        await db('history')
          .where({ actor_agency_id: agencyId, system_id: systemId })
          .distinct('version')
          .orderBy('version')
      ).map((r: { version: number }) => r.version),
    /** Rows in chain order after (systemId, seq), a page at a time (for verify:history). */
    pageAfter: (systemId: number, seq: number, limit: number): Promise<HistoryRow[]> =>
      db<HistoryRow>('history')
        .whereRaw('(system_id, seq) > (?, ?)', [systemId, seq])
        .orderBy(['system_id', 'seq'])
        .limit(limit),
  };
}
