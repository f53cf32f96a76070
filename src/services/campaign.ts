import type { Knex } from 'knex';
import {
  chinaDay,
  MAX_LIMIT_DAYS,
  parseTimetable,
  timetableValues,
  uncoveredYears,
  addCalendarDays,
  type Timetable,
} from '../domain/campaign';
import { NotFound, ValidationFailed } from '../domain/errors';
import { campaignRepo, type RoundChangeRow, type RoundRow } from '../data/campaign';
import { roundsRepo, type ConfirmationHow, type RoundProgressRow } from '../data/rounds';
import type { CurrentUser } from './session';

/** One save of the timetable: when, by whom, what it was before and after. */
export interface TimetableChange {
  changedAt: Date;
  changedByName: string;
  before: Timetable | null;
  after: Timetable;
}

const timetableChange = (c: RoundChangeRow): TimetableChange => ({
  changedAt: c.changed_at,
  changedByName: c.changed_by_name,
  before: c.before,
  after: c.after,
});

/** 年度复查 progress of one top-level region. */
export interface RoundProgress {
  agencyName: string;
  stored: number;
  confirmed: number;
  changed: number;
}

const roundProgress = (p: RoundProgressRow): RoundProgress => ({
  agencyName: p.agency_name,
  stored: p.stored,
  confirmed: p.confirmed,
  changed: p.changed,
});

export interface CampaignPage {
  round: RoundRow | null;
  /** Only 总局 edits the timetable; everyone else reads it. */
  editable: boolean;
  /** Years the round's reviews may run into without a published holiday arrangement. */
  calendarDayYears: number[];
  changes: TimetableChange[];
  /** 年度复查 progress per top-level region (update rounds only). */
  progress: RoundProgress[];
}

export interface RoundStanding {
  open: { name: string; deadline: string; how: ConfirmationHow | null } | null;
  last: { name: string; how: ConfirmationHow; at: Date } | null;
}

/** Only the national agency's regulators set the timetable. */
function mayEdit(user: CurrentUser): boolean {
  return user.role === 'regulator' && user.agencyLevel === 'national';
}

// 普查任务: the current round's timetable, read by all, set by 总局, every change kept.
export function campaignService(knex: Knex, clock: () => Date = () => new Date()) {
  return {
    async page(user: CurrentUser): Promise<CampaignPage> {
      const repo = campaignRepo(knex);
      const round = await repo.current();
      const today = chinaDay(clock());
      // Reviews of items filed by the deadline run on past it by up to the chain's limits.
      const until = addCalendarDays(round?.filingDeadline ?? today, MAX_LIMIT_DAYS * 3);
      return {
        round,
        editable: mayEdit(user),
        calendarDayYears: uncoveredYears(round?.startsOn ?? today, until),
        changes: round ? (await repo.changes(round.id)).map(timetableChange) : [],
        progress:
          round?.kind === 'update' ? (await roundsRepo(knex).progress(round.id)).map(roundProgress) : [],
      };
    },

    /** The current round's timetable (none before 总局 first sets it). */
    current: (): Promise<RoundRow | null> => campaignRepo(knex).current(),

    /** 总局 sets the timetable: the current round changed (or the first one opened), with its change row. */
    async save(user: CurrentUser, body: Record<string, unknown>): Promise<Timetable> {
      if (!mayEdit(user)) throw new NotFound();
      const parsed = parseTimetable(body);
      if (!parsed.ok) throw new ValidationFailed(parsed.errors, parsed.values);
      const next = parsed.value;
      await knex.transaction(async (trx) => {
        const repo = campaignRepo(trx);
        const round = await repo.current({ forUpdate: true });
        if (round) await repo.update(round.id, next);
        const roundId = round ? round.id : await repo.insert(next, user.id);
        const before = round
          ? {
              name: round.name,
              startsOn: round.startsOn,
              filingDeadline: round.filingDeadline,
              limits: round.limits,
            }
          : null;
        await repo.recordChange(roundId, user.id, before, next);
      });
      return next;
    },

    /**
     * A system's 年度复查 standing: the open update round and its outcome there, and the round
     * in which it was last confirmed or changed. Callers have checked the system is visible.
     */
    async roundStanding(systemId: number): Promise<RoundStanding> {
      const round = await campaignRepo(knex).current();
      const rounds = roundsRepo(knex);
      return {
        open:
          round?.kind === 'update'
            ? { name: round.name, deadline: round.filingDeadline, how: await rounds.of(round.id, systemId) }
            : null,
        last: await rounds.lastFor(systemId),
      };
    },

    /**
     * 总局 opens a new update round (年度复查): its own timetable; from now on every stored system
     * is to be confirmed unchanged or changed in it.
     */
    async openRound(user: CurrentUser, body: Record<string, unknown>): Promise<number> {
      if (!mayEdit(user)) throw new NotFound();
      // The new round's name and dates as typed (round_*); its review limits those of the current round.
      const current = await campaignRepo(knex).current();
      const limits = current ? timetableValues(current) : {};
      const parsed = parseTimetable({
        ...limits,
        name: body.round_name,
        startsOn: body.round_startsOn,
        filingDeadline: body.round_filingDeadline,
      });
      if (!current)
        throw new ValidationFailed({ round_name: '请先设定普查任务时间安排，再开启年度复查' }, {});
      if (!parsed.ok) {
        const prefixed = (o: Record<string, unknown>) =>
          Object.fromEntries(Object.entries(o).map(([k, v]) => [`round_${k}`, v]));
        throw new ValidationFailed(
          prefixed(parsed.errors) as Record<string, string>,
          prefixed(parsed.values),
        );
      }
      return knex.transaction(async (trx) => {
        const repo = campaignRepo(trx);
        await repo.current({ forUpdate: true });
        const roundId = await repo.insert(parsed.value, user.id, 'update');
        await repo.recordChange(roundId, user.id, null, parsed.value);
        return roundId;
      });
    },
  };
}

export type CampaignService = ReturnType<typeof campaignService>;
