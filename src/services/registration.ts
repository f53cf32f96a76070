import type { Knex } from 'knex';
import type { ServiceDeps } from './deps';

export function registrationService(knex: Knex, deps: ServiceDeps) {
  void knex;
  void deps;
  return {};
}
