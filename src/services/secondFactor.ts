import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import type { Config } from '../config';
import { Conflict, ValidationFailed } from '../domain/errors';
import {
  groupedSecret,
  parseSecondFactorInput,
  RECOVERY_CODE_COUNT,
  recoveryCodeFrom,
  recoveryCodeText,
  SECOND_FACTOR_FAILURE_REASONS,
  secondFactorRequired,
  TOTP_DRIFT_STEPS,
  TOTP_ISSUER,
  type SecondFactorMethod,
} from '../domain/secondFactor';
import type { Role } from '../domain/roles';
import { secondFactorsRepo } from '../data/secondFactors';
import { recordAudit } from '../data/audit';
import { secretBox } from './secretBox';
import type { SecurityPolicyService } from './securityPolicy';

const PERIOD_SECONDS = 30;

export const hashRecoveryCode = (code: string): string =>
  crypto.createHash('sha256').update(code).digest('hex');

/** What the enrolment page shows: the QR code (SVG), the secret as text, issuer and account. */
export interface Enrolment {
  qrSvg: string;
  secretText: string;
  issuer: string;
  account: string;
}

/** The second step's answer: which method signed in, or why not (for the audit). */
export type SecondFactorCheck =
  { ok: true; method: SecondFactorMethod } | { ok: false; reason: string; empty?: boolean };

/**
 * 双因素: enrolment (a secret, shown as a QR code and as text, confirmed by a code, then the
 * recovery codes shown once) and the check of a code at login (services/auth.ts). The secrets
 * are kept encrypted (services/secretBox.ts); a code's time step is used once (no replay).
 */
export function secondFactorService(
  knex: Knex,
  config: Config,
  securityPolicy: SecurityPolicyService,
  now: () => Date,
) {
  const box = secretBox(config.totpKey);

  /** The time step (30 s) of the code if it is valid for `secret` at `at`, give or take a step; else null. */
  function matchingStep(secret: string, code: string, at: Date): number | null {
    try {
      const result = verifySync({
        secret,
        token: code,
        epoch: Math.floor(at.getTime() / 1000),
        epochTolerance: TOTP_DRIFT_STEPS * PERIOD_SECONDS,
      });
      return result.valid && 'timeStep' in result ? result.timeStep : null;
    } catch {
      return null;
    }
  }

  return {
    /** Whether the account must have a second factor (安全策略 for regulators). */
    async required(role: Role): Promise<boolean> {
      return secondFactorRequired(role, await securityPolicy.current());
    },

    /** When the account's second factor was enabled (null: none) and its unused recovery codes. */
    async status(userId: number): Promise<{ enabledAt: Date | null; recoveryCodesLeft: number }> {
      const repo = secondFactorsRepo(knex);
      const row = await repo.of(userId);
      const enabledAt = row?.enabled_at ?? null;
      return { enabledAt, recoveryCodesLeft: enabledAt ? await repo.unusedRecoveryCodes(userId) : 0 };
    },

    /**
     * The enrolment waiting for its code: the same secret until confirmed (a reload shows the QR
     * code already scanned), a new one when there is none or it no longer decrypts.
     */
    async enrolment(user: { id: number; username: string }): Promise<Enrolment> {
      const repo = secondFactorsRepo(knex);
      const row = await repo.of(user.id);
      if (row?.enabled_at) throw new Conflict('已绑定双因素认证');
      let secret = row ? box.open(user.id, row.secret_encrypted) : null;
      if (!secret) {
        secret = generateSecret();
        await repo.begin(user.id, box.seal(user.id, secret));
      }
      const uri = generateURI({ issuer: TOTP_ISSUER, label: user.username, secret });
      const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { qrSvg, secretText: groupedSecret(secret), issuer: TOTP_ISSUER, account: user.username };
    },

    /**
     * The code typed from the app confirms the enrolment: enabled, recovery codes made, and
     * second_factor.enrol recorded in one transaction. Returns the codes (shown once, kept hashed).
     */
    async confirm(user: { id: number }, typed: unknown, address: string | null): Promise<string[]> {
      const input = parseSecondFactorInput(typed);
      if (input.kind !== 'totp')
        throw new ValidationFailed({ code: '请输入身份验证器中显示的 6 位数字动态验证码' });
      const at = now();
      return knex.transaction(async (trx) => {
        const repo = secondFactorsRepo(trx);
        const row = await repo.of(user.id);
        if (!row || row.enabled_at) throw new Conflict('绑定已完成或已失效，请刷新页面后重试');
        const secret = box.open(user.id, row.secret_encrypted);
        const step = secret ? matchingStep(secret, input.code, at) : null;
        if (step === null)
          throw new ValidationFailed({
            code: '动态验证码不正确，请确认手机时间准确，并输入身份验证器中当前显示的验证码',
          });
        const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
          recoveryCodeFrom(crypto.randomBytes(10)),
        );
        if (!(await repo.enable(user.id, row.secret_encrypted, at, step, codes.map(hashRecoveryCode))))
          throw new Conflict('绑定已完成或已失效，请刷新页面后重试');
        await recordAudit(trx, {
          type: 'second_factor.enrol',
          actorId: user.id,
          address,
          result: 'success',
          detail: { method: 'totp', recovery_codes: codes.length },
        });
        return codes.map(recoveryCodeText);
      });
    },

    /**
     * A login's second step, in the caller's transaction (the login it completes is recorded in
     * the same one): a code of the app whose time step is newer than the last one used, or an
     * unused recovery code, is spent; anything else is refused with the reason for the audit.
     */
    async check(trx: Knex.Transaction, userId: number, typed: unknown, at: Date): Promise<SecondFactorCheck> {
      const input = parseSecondFactorInput(typed);
      if (input.kind === 'empty') return { ok: false, reason: '', empty: true };
      if (input.kind === 'malformed') return { ok: false, reason: SECOND_FACTOR_FAILURE_REASONS.malformed };
      const repo = secondFactorsRepo(trx);
      if (input.kind === 'recovery')
        return (await repo.useRecoveryCode(userId, hashRecoveryCode(input.code), at))
          ? { ok: true, method: 'recovery_code' }
          : { ok: false, reason: SECOND_FACTOR_FAILURE_REASONS.wrongRecovery };
      const row = await repo.of(userId);
      const secret = row?.enabled_at ? box.open(userId, row.secret_encrypted) : null;
      if (!secret) return { ok: false, reason: SECOND_FACTOR_FAILURE_REASONS.wrongCode };
      const step = matchingStep(secret, input.code, at);
      if (step === null) return { ok: false, reason: SECOND_FACTOR_FAILURE_REASONS.wrongCode };
      // Compare-and-set on the last step used: a code of that step or an earlier one is a replay.
      if (!(await repo.useTimeStep(userId, step)))
        return { ok: false, reason: SECOND_FACTOR_FAILURE_REASONS.replayed };
      return { ok: true, method: 'totp' };
    },

    /** The unused recovery codes of an account (told after a recovery-code login). */
    recoveryCodesLeft: (userId: number) => secondFactorsRepo(knex).unusedRecoveryCodes(userId),
  };
}

export type SecondFactorService = ReturnType<typeof secondFactorService>;
