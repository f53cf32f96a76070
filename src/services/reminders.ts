import type { Knex } from 'knex';
import { chinaDay, overdueCutoffs } from '../domain/campaign';
import { licenceWindow } from '../domain/licence';
import {
  arrivedNoticeBody,
  arrivedNoticeKey,
  filingReminderBody,
  filingReminderKey,
  filingReminderKeyParts,
  filingStageDue,
  licenceReminderBody,
  licenceReminderDue,
  licenceReminderKey,
  overdueNoticeBody,
  overdueNoticeKey,
  urgeNoticeKey,
} from '../domain/reminders';
import { campaignRepo } from '../data/campaign';
import { messagesRepo } from '../data/messages';
import { noticesRepo } from '../data/notices';
import { remindersRepo } from '../data/reminders';
import { paths } from '../paths';

const JOB = 'reminders';
/** A first run announces arrivals of the last week, not the whole backlog. */
const ARRIVALS_LOOKBACK_MS = 7 * 86_400_000;

export interface RunResult {
  /** False when another process holds the job or ran it within this interval. */
  ran: boolean;
  messages: number;
  notices: number;
}

/**
 * The reminder job (issue 15 part 4). One run, in one transaction, under a PostgreSQL advisory
 * lock: the first process to take it in an interval runs, every other skips (job_runs keeps when
 * it last ran). A run computes what is due at `now` — not what happened since the last tick — and
 * inserts it under unique keys with ON CONFLICT DO NOTHING, so a reminder is sent once, and one
 * missed during downtime is sent by the first run after.
 */
export function reminderJob(knex: Knex, now: () => Date = () => new Date()) {
  async function runOnce(intervalMs: number): Promise<RunResult> {
    const at = now();
    return knex.transaction(async (trx) => {
      const repo = remindersRepo(trx);
      // Half an interval: a run a little early (timer drift) still counts as this interval's.
      if (!(await repo.claim(JOB, at, intervalMs / 2))) return { ran: false, messages: 0, notices: 0 };
      const round = await campaignRepo(trx).current();
      let messages = 0;
      let notices = 0;
      const stage = round && chinaDay(at) >= round.startsOn ? filingStageDue(round.filingDeadline, at) : null;
      if (round && stage) {
        const [prefix, suffix] = filingReminderKeyParts(stage, round.id);
        const body = filingReminderBody(stage, round.name, round.filingDeadline);
        const due = await repo.outstandingEnterprises(round, prefix, suffix);
        messages += await messagesRepo(trx).addReminders(
          due.map((e) => ({
            enterprise_id: e.id,
            system_id: null,
            body,
            reminder_key: filingReminderKey(stage, round.id, e.id),
          })),
        );
      }
      const licences = await repo.expiringLicences(licenceWindow(at));
      messages += await messagesRepo(trx).addReminders(
        licences
          .filter((l) => licenceReminderDue(l.expires, at))
          .map((l) => ({
            enterprise_id: l.enterprise_id,
            system_id: l.system_id,
            body: licenceReminderBody(l.name, l.expires),
            reminder_key: licenceReminderKey(l.system_id, l.expires),
          })),
      );
      const notes = noticesRepo(trx);
      if (round) {
        const today = chinaDay(at);
        const overdue = await repo.overdueCounts(overdueCutoffs(round.limits, today));
        notices += await notes.addOnce(
          overdue.map((o) => ({
            agency_id: o.agency_id,
            kind: 'overdue',
            key: overdueNoticeKey(o.agency_id, at),
            body: overdueNoticeBody(o.n),
            link: `${paths.review.list()}?overdue=1`,
            created_at: at,
          })),
        );
      }
      const arrivals = await repo.arrivalsSince(new Date(at.getTime() - ARRIVALS_LOOKBACK_MS), at);
      notices += await notes.addOnce(
        arrivals.map((a) => ({
          agency_id: a.agency_id,
          kind: 'arrived',
          key: arrivedNoticeKey(a.agency_id, a.until),
          body: arrivedNoticeBody(a.n),
          link: paths.review.list(),
          covers_until: a.until,
          created_at: at,
        })),
      );
      const urges = await repo.urgesToAgencies();
      notices += await notes.addOnce(
        urges.map((u) => ({
          agency_id: u.to_agency_id,
          kind: 'urge',
          key: urgeNoticeKey(u.id),
          body: `${u.from_name}催办 ${u.items} 条待审核信息${u.note ? `：${u.note}` : '。'}`,
          link: paths.review.list(),
          created_at: u.created_at,
        })),
      );
      return { ran: true, messages, notices };
    });
  }

  return {
    runOnce,
    /**
     * Runs now (catching up after downtime) and every `intervalMs`; an unref'd timer, so it never
     * keeps the process alive. Returns the stop function (for shutdown).
     */
    runEvery(intervalMs: number, onError: (err: unknown) => void): () => void {
      let running = false;
      const tick = () => {
        if (running) return;
        running = true;
        runOnce(intervalMs)
          .catch(onError)
          .finally(() => {
            running = false;
          });
      };
      tick();
      const timer = setInterval(tick, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type ReminderJob = ReturnType<typeof reminderJob>;
