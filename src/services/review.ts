import type { Knex } from 'knex';
import type { ServiceDeps } from './deps';

export function reviewService(knex: Knex, deps: ServiceDeps) {
  void knex;
  void deps;
  return {};
}
