import { generateSync } from 'otplib';
import type { TestApp } from './app';

// The authenticator app of the tests' users: a fixture enrols an account through the real
// enrolment (the secret as the page shows it, confirmed by a code) and keeps its secret here,
// so that Visitor.login and the browser's signIn can type the second step's code as a user would.

const PERIOD_MS = 30_000;

export interface TestAuthenticator {
  secret: string;
  /** The server's clock (the services' own, injected or not). */
  now: () => Date;
  /** The last time step whose code was typed (the server refuses it and any earlier one). */
  lastStep: number;
  /** The recovery codes shown at enrolment, not yet typed. */
  recoveryCodes: string[];
}

const apps = new Map<string, TestAuthenticator>();

/** The code of the app at `at` (the secret as base32, its spaces removed). */
export const totpCode = (secret: string, at: Date): string =>
  generateSync({ secret: secret.replace(/\s/g, ''), epoch: Math.floor(at.getTime() / 1000) });

/** Enrols the account's second factor as the enrolment page would, and remembers its app. */
export async function enrolSecondFactor(
  t: TestApp,
  user: { id: number; username: string },
): Promise<TestAuthenticator> {
  const { secretText } = await t.services.secondFactor.enrolment(user);
  const secret = secretText.replace(/\s/g, '');
  const at = t.now();
  const recoveryCodes = await t.services.secondFactor.confirm(user, totpCode(secret, at), null);
  const app = { secret, now: t.now, lastStep: Math.floor(at.getTime() / PERIOD_MS), recoveryCodes };
  apps.set(user.username, app);
  return app;
}

export const authenticatorOf = (username: string): TestAuthenticator | undefined => apps.get(username);

/**
 * What the user types at the second step: the code of a time step not used yet that the server
 * accepts (now, or one step ahead: one of drift); when both are spent within one 30 seconds (a
 * test signing in again at once), a recovery code. No timed waits.
 */
export function nextSecondFactorCode(username: string): string | undefined {
  const app = apps.get(username);
  if (!app) return undefined;
  const current = Math.floor(app.now().getTime() / PERIOD_MS);
  const step = Math.max(current, app.lastStep + 1);
  if (step > current + 1) return app.recoveryCodes.shift();
  app.lastStep = step;
  return totpCode(app.secret, new Date(step * PERIOD_MS));
}
