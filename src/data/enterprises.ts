import type { Knex } from 'knex';
import type { Arrival, WorkflowState } from '../domain/workflow';
import type { Category } from '../domain/systems';
import { storedNotYetConfirmed } from './rounds';

export interface EnterpriseRow {
  id: number;
  credit_code: string;
  name: string;
  economic_type: string | null;
  affiliation: string | null;
  parent_group: string | null;
  legal_rep: string | null;
  safety_head: string | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_mobile: string | null;
  email: string | null;
  address: string | null;
  postcode: string | null;
  region_code: string;
  supervising_agency_id: number;
  ownerless: boolean;
  registered_by_agency_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export type NewEnterprise = Omit<
  EnterpriseRow,
  'id' | 'created_at' | 'updated_at' | 'registered_by_agency_id'
> & {
  registered_by_agency_id?: number | null;
};

/** What the enterprise itself may change (企业基本信息): everything but its credit code. */
export type EnterpriseUpdate = Omit<NewEnterprise, 'credit_code' | 'registered_by_agency_id'>;

/** One row of the enterprise's own list of production systems. */
export interface EnterpriseSystemRow {
  id: number;
  category: Category;
  name: string;
  state: WorkflowState;
  arrival: Arrival | null;
  current_agency_name: string | null;
  latest_version: number;
  stored_version: number | null;
  updated_at: Date;
  state_changed_at: Date;
}

export function enterprisesRepo(db: Knex | Knex.Transaction) {
  return {
    byId: (id: number): Promise<EnterpriseRow | undefined> =>
      db<EnterpriseRow>('enterprises').where({ id }).first(),
    async insert(row: NewEnterprise): Promise<number> {
      const [r] = await db('enterprises').insert(row).returning('id');
      return r.id;
    },
    /** Locks the enterprise row for the rest of the transaction. */
    lock: (id: number): Promise<EnterpriseRow | undefined> =>
      db<EnterpriseRow>('enterprises').where({ id }).forUpdate().first(),
    update: (id: number, fields: EnterpriseUpdate) =>
      db('enterprises')
        .where({ id })
        .update({ ...fields, updated_at: db.fn.now() }),
    creditCodeTaken: async (creditCode: string): Promise<boolean> =>
      Boolean(await db('enterprises').where({ credit_code: creditCode }).first('id')),
    /** The enterprise's production systems, last changed first, with where each one is now. */
    systems: (
      enterpriseId: number,
      page: { limit: number; offset: number },
    ): Promise<EnterpriseSystemRow[]> =>
      db('production_systems as s')
        .leftJoin('agencies as a', 'a.id', 's.current_agency_id')
        .where('s.enterprise_id', enterpriseId)
        .orderBy([
          { column: 's.updated_at', order: 'desc' },
          { column: 's.id', order: 'desc' },
        ])
        .limit(page.limit)
        .offset(page.offset)
        .select(
          's.id',
          's.category',
          's.name',
          's.state',
          's.arrival',
          'a.name as current_agency_name',
          's.latest_version',
          's.stored_version',
          's.updated_at',
          's.state_changed_at',
        ),
    /** Its systems the enterprise still owes: not yet submitted (draft) or returned to it. */
    /**
     * The systems the enterprise still owes in a round: not yet submitted (draft, returned), and
     * in an update round also a stored system neither confirmed nor changed in it ('unconfirmed').
     */
    outstandingSystems: (
      enterpriseId: number,
      round: { id: number; kind: 'census' | 'update' } | null,
    ): Promise<{ id: number; name: string; state: 'draft' | 'returned' | 'unconfirmed' }[]> =>
      db('production_systems as ps')
        .where('ps.enterprise_id', enterpriseId)
        .where((w) => {
          w.whereIn('ps.state', ['draft', 'returned']);
          if (round?.kind === 'update') w.orWhere((s) => storedNotYetConfirmed(db, s, round.id));
        })
        .orderBy('ps.id')
        .select(
          'ps.id',
          'ps.name',
          db.raw("case when ps.state = 'stored' then 'unconfirmed' else ps.state end as state"),
        ),
    countSystems: async (enterpriseId: number): Promise<number> =>
      Number(
        (
          await db('production_systems')
            .where({ enterprise_id: enterpriseId })
            .count<{ count: number }>('* as count')
            .first()
        )?.count ?? 0,
      ),
  };
}
