import type { Role } from './roles';
import { isAdminRole } from './roles';

// 双因素 (second factor): TOTP (RFC 6238: 6 digits, 30-second steps, SHA-1, as 腾讯身份验证器 and
// Google Authenticator expect) plus one-time recovery codes. The rules here; the codes are
// computed by otplib in services/secondFactor.ts.

/** The issuer an authenticator app shows above the account name. */
export const TOTP_ISSUER = '非煤矿山普查';
/** How many recovery codes an enrolment gives. */
export const RECOVERY_CODE_COUNT = 8;
/** How long the code may be awaited after a correct password (the half-signed-in session). */
export const SECOND_STEP_MINUTES = 5;
/** Codes of the step before and after the current one are accepted too (clock drift). */
export const TOTP_DRIFT_STEPS = 1;

/**
 * Whether the account must use a second factor: the three administrators always, regulators
 * when 安全策略 says so; enterprises may choose to.
 */
export function secondFactorRequired(role: Role, policy: { regulatorSecondFactor: boolean }): boolean {
  return isAdminRole(role) || (role === 'regulator' && policy.regulatorSecondFactor);
}

/** What was typed at the second step: a 6-digit code of the app, or a recovery code. */
export type SecondFactorInput =
  | { kind: 'totp'; code: string }
  | { kind: 'recovery'; code: string }
  | { kind: 'empty' }
  | { kind: 'malformed' };

// Recovery codes: 10 characters of an alphabet without look-alikes (no 0/o, 1/l/i), shown as
// xxxxx-xxxxx; typed with or without the hyphen and spaces, in either case.
export const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

export function parseSecondFactorInput(raw: unknown): SecondFactorInput {
  const typed = typeof raw === 'string' ? raw.replace(/[\s\u3000-]/g, '').toLowerCase() : '';
  if (typed === '') return { kind: 'empty' };
  if (/^\d{6}$/.test(typed)) return { kind: 'totp', code: typed };
  if (typed.length === RECOVERY_LENGTH && [...typed].every((c) => RECOVERY_ALPHABET.includes(c)))
    return { kind: 'recovery', code: typed };
  return { kind: 'malformed' };
}

/** A recovery code from random bytes (one byte per character; the bias of % 31 is negligible here). */
export function recoveryCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < RECOVERY_LENGTH) throw new Error('recoveryCodeFrom needs 10 random bytes');
  return [...bytes.slice(0, RECOVERY_LENGTH)]
    .map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length])
    .join('');
}

/** As shown to the user: xxxxx-xxxxx. */
export const recoveryCodeText = (code: string): string => `${code.slice(0, 5)}-${code.slice(5)}`;

/** The base32 secret as typed into an app by hand: groups of four. */
export const groupedSecret = (secret: string): string => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** Why a code was refused, for the audit (the user is told one message, see SECOND_STEP_REFUSED). */
export const SECOND_FACTOR_FAILURE_REASONS = {
  wrongCode: '动态验证码错误',
  replayed: '动态验证码已使用过',
  wrongRecovery: '恢复码错误或已使用',
  malformed: '输入的不是动态验证码或恢复码',
} as const;

/** The method a second-factor login used (login.success detail.second_factor). */
export type SecondFactorMethod = 'totp' | 'recovery_code';
export const SECOND_FACTOR_METHOD_LABELS: Record<SecondFactorMethod, string> = {
  totp: '动态验证码',
  recovery_code: '恢复码',
};
