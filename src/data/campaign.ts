import type { Knex } from 'knex';
import { LIMIT_LEVELS, type Timetable } from '../domain/campaign';
import type { AgencyLevel } from '../domain/orgTree';

export type RoundKind = 'census' | 'update';

export interface RoundRow extends Timetable {
  id: number;
  /** The first round is the census; later ones are update rounds (年度复查). */
  kind: RoundKind;
  openedAt: Date;
}

export interface RoundChangeRow {
  id: number;
  changed_at: Date;
  changed_by_name: string;
  before: Timetable | null;
  after: Timetable;
}

const ROUND_COLUMNS = [
  'id',
  'name',
  'kind',
  'created_at',
  asDay('starts_on'),
  asDay('filing_deadline'),
  ...LIMIT_LEVELS.map((l) => `limit_${l}`),
];

/** Dates as the China day they are ('YYYY-MM-DD'), never a Date shifted by a time zone. */
function asDay(column: string): string {
  return `${column}::text as ${column}`;
}

function toRound(row: Record<string, unknown>): RoundRow {
  const limits = {} as Record<AgencyLevel, number>;
  for (const l of LIMIT_LEVELS) limits[l] = Number(row[`limit_${l}`]);
  return {
    id: Number(row.id),
    name: String(row.name),
    kind: row.kind as RoundKind,
    openedAt: row.created_at as Date,
    startsOn: String(row.starts_on),
    filingDeadline: String(row.filing_deadline),
    limits,
  };
}

function toColumns(t: Timetable): Record<string, string | number> {
  const cols: Record<string, string | number> = {
    name: t.name,
    starts_on: t.startsOn,
    filing_deadline: t.filingDeadline,
  };
  for (const l of LIMIT_LEVELS) cols[`limit_${l}`] = t.limits[l];
  return cols;
}

export function campaignRepo(db: Knex | Knex.Transaction) {
  return {
    /** The current round: the latest opened. */
    async current(opts: { forUpdate?: boolean } = {}): Promise<RoundRow | null> {
      const q = db('campaign_rounds')
        .select(db.raw(ROUND_COLUMNS.join(', ')))
        .orderBy('id', 'desc')
        .first();
      if (opts.forUpdate) q.forUpdate();
      const row = (await q) as Record<string, unknown> | undefined;
      return row ? toRound(row) : null;
    },
    async insert(t: Timetable, userId: number | null, kind: RoundKind = 'census'): Promise<number> {
      const [row] = (await db('campaign_rounds')
        .insert({ ...toColumns(t), kind, created_by: userId })
        .returning('id')) as { id: number }[];
      return row!.id;
    },
    update: (id: number, t: Timetable) => db('campaign_rounds').where({ id }).update(toColumns(t)),
    recordChange: (roundId: number, userId: number, before: Timetable | null, after: Timetable) =>
      db('campaign_round_changes').insert({
        round_id: roundId,
        changed_by: userId,
        before: before ? JSON.stringify(before) : null,
        after: JSON.stringify(after),
      }),
    changes: (roundId: number, limit = 50): Promise<RoundChangeRow[]> =>
      db('campaign_round_changes as c')
        .join('users as u', 'u.id', 'c.changed_by')
        .where('c.round_id', roundId)
        .select(
          'c.id',
          'c.changed_at',
          db.raw('coalesce(u.name, u.username) as changed_by_name'),
          'c.before',
          'c.after',
        )
        .orderBy('c.id', 'desc')
        .limit(limit),
  };
}
