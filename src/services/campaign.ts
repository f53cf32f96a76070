import type { Knex } from 'knex';
import {
  chinaDay,
  MAX_LIMIT_DAYS,
  parseTimetable,
  uncoveredYears,
  addCalendarDays,
  type Timetable,
} from '../domain/campaign';
import { NotFound, ValidationFailed } from '../domain/errors';
import { campaignRepo, type RoundChangeRow, type RoundRow } from '../data/campaign';
import type { CurrentUser } from './session';

export interface CampaignPage {
  round: RoundRow | null;
  /** Only 总局 edits the timetable; everyone else reads it. */
  editable: boolean;
  /** Years the round's reviews may run into without a published holiday arrangement. */
  calendarDayYears: number[];
  changes: RoundChangeRow[];
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
        changes: round ? await repo.changes(round.id) : [],
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
  };
}

export type CampaignService = ReturnType<typeof campaignService>;
