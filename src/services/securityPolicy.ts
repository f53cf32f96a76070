import type { Knex } from 'knex';
import type { Config } from '../config';
import { ValidationFailed } from '../domain/errors';
import {
  changedSettings,
  defaultSecurityPolicy,
  validateSecurityPolicy,
  withDefaults,
  type SecurityPolicy,
} from '../domain/securityPolicy';
import { securitySettingsRepo, type SecuritySettingsChange } from '../data/securitySettings';
import { recordAudit } from '../data/audit';

/** One save of 安全策略: the settings it stored, who saved them, when. */
export interface PolicyChange {
  settings: Partial<SecurityPolicy>;
  changedByUsername: string | null;
  changedAt: Date;
}

const policyChange = (c: SecuritySettingsChange): PolicyChange => ({
  settings: c.settings,
  changedByUsername: c.changed_by_username,
  changedAt: c.changed_at,
});

/**
 * How long a process reuses the policy it read (every request reads the idle timeout). A save
 * clears this process's copy at once; other processes (WEB_CONCURRENCY) follow within this time.
 */
const POLICY_CACHE_MS = 5000;

/** 安全策略: the policy in force (stored settings over the environment's defaults), and its changes. */
export function securityPolicyService(knex: Knex, config: Config) {
  const defaults = defaultSecurityPolicy({
    lockMaxFailures: config.login.maxFailures,
    lockMinutes: config.login.lockMinutes,
    idleMinutes: config.sessionIdleMinutes,
  });
  let cached: { at: number; policy: Promise<SecurityPolicy> } | null = null;

  function current(): Promise<SecurityPolicy> {
    if (cached && Date.now() - cached.at < POLICY_CACHE_MS) return cached.policy;
    const policy = securitySettingsRepo(knex)
      .current()
      .then((stored) => withDefaults(stored, defaults));
    cached = { at: Date.now(), policy };
    policy.catch(() => (cached = null)); // a failed read is not remembered
    return policy;
  }

  return {
    current,
    defaults: () => defaults,
    /**
     * Saves the form (ValidationFailed with every error at once otherwise). Returns the names of
     * the settings that changed; nothing is stored when none did.
     */
    async save(adminId: number, address: string | null, body: unknown): Promise<(keyof SecurityPolicy)[]> {
      const form = validateSecurityPolicy(body);
      if (!form.ok || !form.data) throw new ValidationFailed(form.errors, form.values);
      const before = await current();
      const changed = changedSettings(before, form.data);
      if (!changed.length) return changed;
      // The change and its audit row commit together (安全审计: every change of a security setting).
      await knex.transaction(async (trx) => {
        const id = await securitySettingsRepo(trx).save(form.data!, adminId);
        await recordAudit(trx, {
          type: 'security.setting_change',
          actorId: adminId,
          address,
          object: `security_settings:${id}`,
          result: 'success',
          detail: Object.fromEntries(changed.map((f) => [f, { before: before[f], after: form.data![f] }])),
        });
      });
      cached = null;
      return changed;
    },
    /** The saves, newest first. */
    history: async (limit = 20): Promise<PolicyChange[]> =>
      (await securitySettingsRepo(knex).history(limit)).map(policyChange),
  };
}

export type SecurityPolicyService = ReturnType<typeof securityPolicyService>;
