import type { Knex } from 'knex';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import os from 'node:os';
import { cliActor, type AuditActor } from '../domain/audit';

/** The operating-system user running a command, as its audit rows name the actor. */
export function cliOperator(): AuditActor {
  let name: string;
  try {
    name = os.userInfo().username;
  } catch {
    name = process.env.USER ?? 'unknown';
  }
  return cliActor(name);
}

/** Runs a command-line entry point: a plain Chinese message and exit code 1 on failure, no stack. */
export function runCli(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}

/**
 * A check command (verify, verify:history): opens the database, prints the report, exit code 2
 * when the check found something, 1 when it could not run.
 */
export function runCheck(command: string, report: (knex: Knex) => Promise<boolean>): void {
  runCli(async () => {
    const db = await openDatabase(loadConfig(), { command });
    try {
      if (!(await report(db.knex))) process.exitCode = 2;
    } finally {
      await db.close();
    }
  });
}
