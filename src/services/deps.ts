import type { Config } from '../config';
import type { PasswordHasher } from './passwords';
import type { WorkflowService } from './workflow';

/** What use-case services may be handed besides the database. */
export interface ServiceDeps {
  config: Config;
  hasher: PasswordHasher;
  workflow: WorkflowService;
  /** The clock of due dates and lateness (tests pass their own). */
  now: () => Date;
}
