import type { Knex } from 'knex';
import { prefixPattern } from './textSearch';
import type { AgencyLevel } from '../domain/orgTree';
import type { AgencyRow } from './org';
import { overdueSql } from './overdue';

export interface UrgeRow {
  id: number;
  created_at: Date;
  note: string;
  from_agency_name: string;
  from_user_name: string;
  /** The urged agency's or enterprise's name. */
  to_name: string;
  to_enterprise: boolean;
}

export interface OverdueItemRow {
  id: number;
  name: string;
  enterprise_name: string;
  agency_id: number;
  agency_name: string;
  agency_level: AgencyLevel;
  state_changed_at: Date;
}

/** Where overdue items are looked for: a region (supervising agency's subtree, or itself with `direct`). */
export interface OverdueScope {
  region: AgencyRow;
  direct: boolean;
  level?: AgencyLevel;
}

// 催办: the urges and their items (issue 15 part 3).
export function urgesRepo(db: Knex | Knex.Transaction) {
  return {
    /**
     * The overdue items waiting at agencies strictly below `viewer` (data/overdue.ts), of the
     * scope's region — the rows 统计分析's lower-level figures count.
     */
    overdueBelow: (
      viewer: AgencyRow,
      scope: OverdueScope,
      cutoffs: Readonly<Record<AgencyLevel, string>>,
    ): Promise<OverdueItemRow[]> => {
      const q = db('production_systems as ps')
        .join('agencies as cur', 'cur.id', 'ps.current_agency_id')
        .join('agencies as sup', 'sup.id', 'ps.supervising_agency_id')
        .join('enterprises as e', 'e.id', 'ps.enterprise_id')
        .where('cur.path', 'like', prefixPattern(viewer.path))
        .whereNot('cur.id', viewer.id)
        .where(overdueSql(db, cutoffs));
      if (scope.direct) q.where('sup.id', scope.region.id);
      else q.where('sup.path', 'like', prefixPattern(scope.region.path));
      if (scope.level) q.where('cur.level', scope.level);
      return q
        .orderBy([{ column: 'cur.path' }, { column: 'ps.state_changed_at' }, { column: 'ps.id' }])
        .select(
          'ps.id',
          'ps.name',
          'e.name as enterprise_name',
          'cur.id as agency_id',
          'cur.name as agency_name',
          'cur.level as agency_level',
          'ps.state_changed_at',
        );
    },

    /** Records an urge; null when this user's form token was used already (a double-click). */
    async insert(u: {
      from_agency_id: number;
      from_user_id: number;
      to_agency_id?: number;
      to_enterprise_id?: number;
      note: string;
      form_token: string | null;
    }): Promise<number | null> {
      const rows = (await db('urges')
        .insert(u)
        .onConflict(['from_user_id', 'form_token'])
        .ignore()
        .returning('id')) as { id: number }[];
      return rows[0] ? Number(rows[0].id) : null;
    },

    addItems: (urgeId: number, systemIds: readonly number[]) =>
      db('urge_items').insert(systemIds.map((system_id) => ({ urge_id: urgeId, system_id }))),

    /** The urges of one system, newest first. */
    forSystem: (systemId: number): Promise<UrgeRow[]> =>
      db('urge_items as ui')
        .join('urges as u', 'u.id', 'ui.urge_id')
        .join('agencies as fa', 'fa.id', 'u.from_agency_id')
        .join('users as fu', 'fu.id', 'u.from_user_id')
        .leftJoin('agencies as ta', 'ta.id', 'u.to_agency_id')
        .leftJoin('enterprises as te', 'te.id', 'u.to_enterprise_id')
        .where('ui.system_id', systemId)
        .orderBy('u.id', 'desc')
        .select(
          'u.id',
          'u.created_at',
          'u.note',
          'fa.name as from_agency_name',
          db.raw('coalesce(fu.name, fu.username) as from_user_name'),
          db.raw('coalesce(ta.name, te.name) as to_name'),
          db.raw('(u.to_enterprise_id IS NOT NULL) as to_enterprise'),
        ),

    /**
     * The urges to this agency whose items are not all handled: an urged item still pending here,
     * not moved since the urge. With how many such items each.
     */
    openFor: (
      agencyId: number,
    ): Promise<{ id: number; created_at: Date; note: string; from_agency_name: string; open: number }[]> =>
      db('urges as u')
        .join('agencies as fa', 'fa.id', 'u.from_agency_id')
        .join('urge_items as ui', 'ui.urge_id', 'u.id')
        .join('production_systems as ps', 'ps.id', 'ui.system_id')
        .where('u.to_agency_id', agencyId)
        .where('ps.state', 'pending')
        .where('ps.current_agency_id', agencyId)
        .whereRaw('ps.state_changed_at <= u.created_at')
        .groupBy('u.id', 'fa.name')
        .orderBy('u.id', 'desc')
        .select(
          'u.id',
          'u.created_at',
          'u.note',
          'fa.name as from_agency_name',
          db.raw('count(*)::int as open'),
        ),
  };
}
