import type { Knex } from 'knex';

/**
 * domain/jurisdiction.ts `agencyMaySee` as a condition on a production_systems row (alias
 * `ps`), for the queries that list systems: filed at least once, and pending at the agency, or
 * acted on by it while the system's current chain runs through it (the supervising agency's
 * path starts with the agency's) or the version on show is one it acted on.
 */
export function agencyMaySeeSql(db: Knex | Knex.Transaction, agencyId: number, ps = 'ps') {
  const actedOn = (version: boolean) => {
    const q = db('history as jh')
      .select(db.raw('1'))
      .whereRaw(`jh.system_id = ${ps}.id`)
      .andWhere('jh.actor_agency_id', agencyId);
    return version ? q.whereRaw(`jh.version = ${ps}.latest_version`) : q;
  };
  const onCurrentChain = db('agencies as jsup')
    .join('agencies as jme', db.raw('starts_with(jsup.path, jme.path)'))
    .select(db.raw('1'))
    .whereRaw(`jsup.id = ${ps}.supervising_agency_id`)
    .andWhere('jme.id', agencyId);
  return (w: Knex.QueryBuilder) =>
    w
      .where(`${ps}.latest_version`, '>=', 1)
      .andWhere((any) =>
        any
          .where((p) => p.where(`${ps}.state`, 'pending').andWhere(`${ps}.current_agency_id`, agencyId))
          .orWhere((acted) =>
            acted
              .whereExists(actedOn(false))
              .andWhere((c) => c.whereExists(onCurrentChain).orWhereExists(actedOn(true))),
          ),
      );
}
