import type { Knex } from 'knex';
import type { AgencyLevel } from '../domain/orgTree';
import type { LicenceWindow } from '../domain/licence';
import { whereLicenceExpiry } from './licence';
import { overdueSql } from './overdue';
import { storedNotYetConfirmed } from './rounds';

/** A constant of this application's advisory locks: the reminder job holds it while it runs. */
export const REMINDER_JOB_LOCK = 1_501_504;

// What the reminder job reads and records (services/reminders.ts decides, domain/reminders.ts rules).
export function remindersRepo(db: Knex.Transaction) {
  return {
    /**
     * Takes the job's lock for this transaction, or false when another process holds it; then
     * whether the job last ran within `gapMs` of `now` (done for this interval: skip).
     */
    async claim(job: string, now: Date, gapMs: number): Promise<boolean> {
      const { rows } = await db.raw<{ rows: { locked: boolean }[] }>(
        'select pg_try_advisory_xact_lock(?, hashtext(?)) as locked',
        [REMINDER_JOB_LOCK, job],
      );
      if (!rows[0]?.locked) return false;
      const last = (await db('job_runs').where({ name: job }).first('last_run_at')) as
        { last_run_at: Date } | undefined;
      if (last && Math.abs(now.getTime() - last.last_run_at.getTime()) < gapMs) return false;
      await db('job_runs').insert({ name: job, last_run_at: now }).onConflict('name').merge();
      return true;
    },

    /**
     * Enterprises with work left in a round: a system not yet submitted (draft, returned), and in
     * the census round an enterprise with no system at all; in an update round also a stored
     * system neither confirmed nor changed in it. Those already reminded under `keyOf` are left out.
     */
    outstandingEnterprises: (
      round: { id: number; kind: 'census' | 'update' },
      keyPrefix: string,
      keySuffix: string,
    ): Promise<{ id: number }[]> =>
      db('enterprises as e')
        .where((w) => {
          w.whereExists((q) =>
            q
              .select(db.raw('1'))
              .from('production_systems as ps')
              .whereRaw('ps.enterprise_id = e.id')
              .whereIn('ps.state', ['draft', 'returned']),
          );
          if (round.kind === 'census')
            w.orWhereNotExists((q) =>
              q.select(db.raw('1')).from('production_systems as ps').whereRaw('ps.enterprise_id = e.id'),
            );
          else
            w.orWhereExists((q) =>
              q
                .select(db.raw('1'))
                .from('production_systems as ps')
                .whereRaw('ps.enterprise_id = e.id')
                .where((s) => storedNotYetConfirmed(db, s, round.id)),
            );
        })
        .whereNotExists((q) =>
          q
            .select(db.raw('1'))
            .from('messages as m')
            .whereRaw('m.reminder_key = ? || e.id || ?', [keyPrefix, keySuffix]),
        )
        .select('e.id')
        .orderBy('e.id'),

    /** Stored systems whose licence is in the window's 'expiring' class. */
    expiringLicences: (
      window: LicenceWindow,
    ): Promise<{ system_id: number; enterprise_id: number; name: string; expires: string }[]> =>
      whereLicenceExpiry(
        db('stored_systems as ss'),
        { sql: 'ss.safety_license_expires', type: 'date' },
        'expiring',
        window,
      )
        .select(
          'ss.system_id',
          'ss.enterprise_id',
          'ss.name',
          db.raw('ss.safety_license_expires::text as expires'),
        )
        .orderBy('ss.system_id'),

    /** Per agency, its overdue pending items (data/overdue.ts, the one predicate). */
    overdueCounts: (cutoffs: Record<AgencyLevel, string>): Promise<{ agency_id: number; n: number }[]> =>
      db('production_systems as ps')
        .join('agencies as cur', 'cur.id', 'ps.current_agency_id')
        .where(overdueSql(db, cutoffs))
        .groupBy('ps.current_agency_id')
        .select('ps.current_agency_id as agency_id', db.raw('count(*)::int as n')),

    /**
     * Per agency, the pending items that arrived after its last 'arrived' notice (and after
     * `since`, so a first run does not announce old items), up to `now`.
     */
    arrivalsSince: (since: Date, now: Date): Promise<{ agency_id: number; n: number; until: Date }[]> =>
      db('production_systems as ps')
        .where('ps.state', 'pending')
        .where('ps.state_changed_at', '<=', now)
        .whereRaw(
          `ps.state_changed_at > greatest(?::timestamptz, coalesce((select max(n.covers_until) from notices n
             where n.agency_id = ps.current_agency_id and n.kind = 'arrived'), '-infinity'))`,
          [since.toISOString()],
        )
        .groupBy('ps.current_agency_id')
        .select(
          'ps.current_agency_id as agency_id',
          db.raw('count(*)::int as n'),
          db.raw('max(ps.state_changed_at) as until'),
        ),

    /** 催办 sent to agencies without a notice yet (h15late's urges; none before its table exists). */
    async urgesToAgencies(): Promise<
      { id: number; to_agency_id: number; from_name: string; note: string; items: number; created_at: Date }[]
    > {
      const { rows } = await db.raw<{ rows: { t: string | null }[] }>(
        "select to_regclass('urges')::text as t",
      );
      if (!rows[0]?.t) return [];
      return db('urges as u')
        .join('agencies as fa', 'fa.id', 'u.from_agency_id')
        .whereNotNull('u.to_agency_id')
        .whereNotExists((q) => q.select(db.raw('1')).from('notices as n').whereRaw("n.key = 'urge:' || u.id"))
        .select(
          'u.id',
          'u.to_agency_id',
          'fa.name as from_name',
          'u.note',
          'u.created_at',
          db.raw('(select count(*)::int from urge_items ui where ui.urge_id = u.id) as items'),
        )
        .orderBy('u.id');
    },
  };
}
