import type { Knex } from 'knex';

export type ConfirmationHow = 'confirmed' | 'changed';

export interface RoundProgressRow {
  agency_id: number;
  agency_name: string;
  stored: number;
  confirmed: number;
  changed: number;
}

/**
 * `ps` (production_systems) is stored and neither confirmed nor changed in the round: what an
 * update round still asks of it (the enterprise home and the reminder job).
 */
export function storedNotYetConfirmed(db: Knex | Knex.Transaction, q: Knex.QueryBuilder, roundId: number) {
  return q
    .where('ps.state', 'stored')
    .whereNotExists((c) =>
      c
        .select(db.raw('1'))
        .from('round_confirmations as rc')
        .whereRaw('rc.system_id = ps.id')
        .where('rc.round_id', roundId),
    );
}

// 年度复查 (issue 15 part 5): each stored system confirmed unchanged or changed in an update round.
export function roundsRepo(db: Knex | Knex.Transaction) {
  return {
    async of(roundId: number, systemId: number): Promise<ConfirmationHow | null> {
      const row = (await db('round_confirmations')
        .where({ round_id: roundId, system_id: systemId })
        .first('how')) as { how: ConfirmationHow } | undefined;
      return row?.how ?? null;
    },
    /** Records the system's outcome in the round; a change stored after a confirmation wins. */
    record: (r: { round_id: number; system_id: number; how: ConfirmationHow; version: number; at: Date }) =>
      db('round_confirmations')
        .insert(r)
        .onConflict(['round_id', 'system_id'])
        .merge(['how', 'version', 'at']),
    /** The round in which the system was last confirmed or changed (name), or null. */
    async lastFor(systemId: number): Promise<{ name: string; how: ConfirmationHow; at: Date } | null> {
      const row = (await db('round_confirmations as rc')
        .join('campaign_rounds as r', 'r.id', 'rc.round_id')
        .where('rc.system_id', systemId)
        .orderBy('rc.round_id', 'desc')
        .first('r.name', 'rc.how', 'rc.at')) as { name: string; how: ConfirmationHow; at: Date } | undefined;
      return row ?? null;
    },
    /** Per top-level region (province, offshore), its stored systems and the round's outcomes. */
    progress: (roundId: number): Promise<RoundProgressRow[]> =>
      db('stored_systems as ss')
        .join('agencies as sa', 'sa.id', 'ss.supervising_agency_id')
        .join('agencies as top', function () {
          this.on('top.depth', '=', db.raw('1')).andOn(db.raw("sa.path LIKE top.path || '%'"));
        })
        .leftJoin('round_confirmations as rc', function () {
          this.on('rc.system_id', '=', 'ss.system_id').andOn('rc.round_id', '=', db.raw('?', [roundId]));
        })
        .groupBy('top.id', 'top.name', 'top.sort')
        .orderBy([{ column: 'top.sort' }, { column: 'top.id' }])
        .select(
          'top.id as agency_id',
          'top.name as agency_name',
          db.raw('count(*)::int as stored'),
          db.raw("count(*) filter (where rc.how = 'confirmed')::int as confirmed"),
          db.raw("count(*) filter (where rc.how = 'changed')::int as changed"),
        ),
  };
}
