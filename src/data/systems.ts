import type { Knex } from 'knex';
import type { FrozenEnterprise } from '../domain/enterprise';
import type { Arrival, WorkflowState } from '../domain/workflow';
import type { Category, SystemData } from '../domain/systems';

export interface SystemRow {
  id: number;
  enterprise_id: number;
  category: Category;
  name: string;
  draft_data: SystemData;
  state: WorkflowState;
  current_agency_id: number | null;
  arrival: Arrival | null;
  supervising_agency_id: number;
  latest_version: number;
  stored_version: number | null;
  stored_at: Date | null;
  workflow_seq: number;
  state_changed_at: Date;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  system_id: number;
  version: number;
  category: Category;
  name: string;
  data: SystemData;
  submitted_by: number;
  submitted_at: Date;
  /** The enterprise as it was at submission; null for versions from before it was kept. */
  enterprise: FrozenEnterprise | null;
}

export interface TransitionUpdate {
  state: WorkflowState;
  current_agency_id: number | null;
  arrival: Arrival | null;
  latest_version?: number;
  stored_version?: number | null;
  stored_at?: Date | null;
  supervising_agency_id?: number;
}

export function systemsRepo(db: Knex | Knex.Transaction) {
  return {
    byId: (id: number): Promise<SystemRow | undefined> =>
      db<SystemRow>('production_systems').where({ id }).first(),
    /** Locks the row for the rest of the transaction: actions on one system run one at a time. */
    lock: (id: number): Promise<SystemRow | undefined> =>
      db<SystemRow>('production_systems').where({ id }).forUpdate().first(),
    async insert(row: {
      enterprise_id: number;
      category: Category;
      name: string;
      draft_data: SystemData;
      supervising_agency_id: number;
    }): Promise<number> {
      const [r] = await db('production_systems')
        .insert({ ...row, draft_data: JSON.stringify(row.draft_data) })
        .returning('id');
      return r.id;
    },
    /**
     * Deletes a draft that was never submitted (no version, no history: nothing else refers to
     * it but reminders sent about it). Returns whether it was one.
     */
    async deleteNewDraft(id: number): Promise<boolean> {
      const draft = db('production_systems')
        .where({ id, state: 'draft', latest_version: 0 })
        .whereNull('stored_version');
      if (!(await draft.clone().first('id'))) return false;
      await db('messages').where({ system_id: id }).delete();
      await db('tracking').where({ system_id: id }).delete();
      return (await draft.delete()) === 1;
    },
    updateDraft: (id: number, name: string, data: SystemData) =>
      db('production_systems')
        .where({ id })
        .update({ name, draft_data: JSON.stringify(data), updated_at: db.fn.now() }),
    /**
     * Compare-and-set on `workflow_seq`: moves the system only if nobody moved it since it was
     * read. Returns whether it moved; callers turn `false` into a Conflict, never a success.
     */
    async transition(id: number, expectedSeq: number, update: TransitionUpdate, at: Date): Promise<boolean> {
      const n = await db('production_systems')
        .where({ id, workflow_seq: expectedSeq })
        .update({ ...update, workflow_seq: expectedSeq + 1, state_changed_at: at, updated_at: at });
      return n === 1;
    },
    insertVersion: (v: Omit<VersionRow, 'submitted_at'> & { submitted_at: Date }) =>
      db('system_versions').insert({
        ...v,
        data: JSON.stringify(v.data),
        enterprise: v.enterprise === null ? null : JSON.stringify(v.enterprise),
      }),
    version: (systemId: number, version: number): Promise<VersionRow | undefined> =>
      db<VersionRow>('system_versions').where({ system_id: systemId, version }).first(),
    versions: (systemId: number): Promise<VersionRow[]> =>
      db<VersionRow>('system_versions').where({ system_id: systemId }).orderBy('version'),
    nameTaken: async (enterpriseId: number, name: string, exceptId?: number): Promise<boolean> => {
      const q = db('production_systems').where({ enterprise_id: enterpriseId, name });
      if (exceptId) q.whereNot({ id: exceptId });
      return Boolean(await q.first('id'));
    },
  };
}
