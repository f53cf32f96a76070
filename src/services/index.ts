import type { Knex } from 'knex';
import type { Config } from '../config';
import { accountService } from './accounts';
import { authService } from './auth';
import { passwordHasher } from './passwords';
import { sessionService } from './session';
import { captchaService } from './captcha';
import { accountIssuanceService } from './accountIssuance';

// The only place services are wired together.
export function createServices(knex: Knex, config: Config) {
  const hasher = passwordHasher(config.bcryptCost);
  return {
    config,
    knex,
    hasher,
    auth: authService(knex, config, hasher),
    accounts: accountService(knex, hasher),
    session: sessionService(knex),
    captcha: captchaService(config),
    issuance: accountIssuanceService(knex, hasher),
    async healthy(): Promise<boolean> {
      try {
        await knex.raw('select 1');
        return true;
      } catch {
        return false;
      }
    },
  };
}

export type Services = ReturnType<typeof createServices>;
