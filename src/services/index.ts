import type { Knex } from 'knex';
import type { Config } from '../config';
import { accountService } from './accounts';
import { authService } from './auth';
import { passwordHasher } from './passwords';
import { sessionService } from './session';
import { captchaService } from './captcha';
import { accountIssuanceService } from './accountIssuance';
import { accountAdminService } from './accountAdmin';
import { securityPolicyService } from './securityPolicy';
import { workflowService } from './workflow';
import { registrationService } from './registration';
import { filingService } from './filing';
import { reviewService } from './review';
import { storedService } from './stored';
import { auditLogService } from './auditLog';
import { trackingService } from './tracking';
import { statsService } from './stats';
import { campaignService } from './campaign';
import { noticesService } from './notices';
import { reminderJob } from './reminders';
import { urgeService } from './urges';
import { secondFactorService } from './secondFactor';
import type { ServiceDeps } from './deps';
import { databaseUnavailability, type Unavailability } from '../db/unavailable';
import type { ReplicaMonitor } from '../db/replica';
import { pingDatabase } from '../data/health';

/** The services of the pages that only read (已入库, 信息追踪, 统计分析): on the primary or the replica. */
function readPageServices(knex: Knex, deps: ServiceDeps) {
  return {
    stored: storedService(knex, deps),
    tracking: trackingService(knex, deps),
    stats: statsService(knex, deps),
  };
}

// The only place services are wired together.
/**
 * `now` is the clock of the password lifecycle, login records, the campaign and the reminder job
 * (tests pass their own); `replica` the streaming replica's monitor when DATABASE_REPLICA_URL is set.
 */
export function createServices(
  knex: Knex,
  config: Config,
  now: () => Date = () => new Date(),
  replica: ReplicaMonitor | null = null,
) {
  const hasher = passwordHasher(config.bcryptCost);
  const workflow = workflowService(knex);
  const deps: ServiceDeps = { config, hasher, workflow, now };
  const securityPolicy = securityPolicyService(knex, config);
  const issuance = accountIssuanceService(knex, hasher);
  const secondFactor = secondFactorService(knex, config, securityPolicy, now);
  return {
    config,
    auth: authService(knex, config, hasher, securityPolicy, secondFactor, now),
    secondFactor,
    accounts: accountService(knex, hasher, securityPolicy, now),
    session: sessionService(knex),
    captcha: captchaService(config),
    issuance,
    securityPolicy,
    accountAdmin: accountAdminService(knex, securityPolicy, issuance),
    workflow,
    registration: registrationService(knex, deps),
    filing: filingService(knex, deps),
    review: reviewService(knex, deps),
    ...readPageServices(knex, deps),
    /** The replica's monitor (null: no replica). */
    replica,
    /** The read pages' services on the replica, chosen per request by middleware/readRouting.ts. */
    onReplica: replica ? readPageServices(replica.replica, deps) : null,
    auditLog: auditLogService(knex),
    campaign: campaignService(knex, now),
    notices: noticesService(knex),
    urges: urgeService(knex, now),
    /** Reminders and notices; started by src/server.ts (never by createApp: tests make many apps). */
    reminders: reminderJob(knex, now),
    /**
     * The database as /healthz reports it, within `withinMs` whatever the database does: a
     * stalled server is 'slow', a refused or broken connection 'unreachable'.
     */
    async databaseHealth(withinMs: number): Promise<'ok' | Unavailability> {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'slow'>((resolve) => {
        timer = setTimeout(() => resolve('slow'), withinMs);
      });
      const check = pingDatabase(knex).then(
        () => 'ok' as const,
        (err: unknown) => databaseUnavailability(err) ?? 'unreachable',
      );
      try {
        return await Promise.race([check, late]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export type Services = ReturnType<typeof createServices>;
