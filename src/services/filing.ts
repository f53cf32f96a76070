import type { Knex } from 'knex';
import type { ServiceDeps } from './deps';

export function filingService(knex: Knex, deps: ServiceDeps) {
  void knex;
  void deps;
  return {};
}
