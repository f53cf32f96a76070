import type { Knex } from 'knex';

export interface SecondFactorRow {
  user_id: number;
  secret_encrypted: string;
  created_at: Date;
  enabled_at: Date | null;
  last_time_step: string | null;
}

/** 双因素: an account's TOTP secret (encrypted) and its recovery codes (sha256). */
export function secondFactorsRepo(db: Knex | Knex.Transaction) {
  return {
    of: (userId: number): Promise<SecondFactorRow | undefined> =>
      db<SecondFactorRow>('second_factors').where({ user_id: userId }).first(),
    /** A new enrolment, waiting for its confirming code (replaces one not confirmed). */
    async begin(userId: number, secretEncrypted: string): Promise<void> {
      await db('second_factors')
        .insert({
          user_id: userId,
          secret_encrypted: secretEncrypted,
          enabled_at: null,
          last_time_step: null,
        })
        .onConflict('user_id')
        .merge(['secret_encrypted', 'enabled_at', 'last_time_step', 'created_at']);
    },
    /**
     * The enrolment confirmed by a code of `timeStep`: compare-and-set on the waiting row (false:
     * already enabled, or reset meanwhile). Its recovery codes replace any earlier ones.
     */
    async enable(userId: number, secretEncrypted: string, at: Date, timeStep: number, codeHashes: string[]) {
      const changed = await db('second_factors')
        .where({ user_id: userId, secret_encrypted: secretEncrypted })
        .whereNull('enabled_at')
        .update({ enabled_at: at, last_time_step: timeStep });
      if (changed !== 1) return false;
      await db('recovery_codes').where({ user_id: userId }).del();
      await db('recovery_codes').insert(codeHashes.map((h) => ({ user_id: userId, code_hash: h })));
      return true;
    },
    /** A code of `timeStep` signs in once: false when that step (or a later one) was used already. */
    async useTimeStep(userId: number, timeStep: number): Promise<boolean> {
      const changed = await db('second_factors')
        .where({ user_id: userId })
        .whereNotNull('enabled_at')
        .where((w) => w.whereNull('last_time_step').orWhere('last_time_step', '<', timeStep))
        .update({ last_time_step: timeStep });
      return changed === 1;
    },
    /** A recovery code used once: false when it is not the account's, or was used already. */
    async useRecoveryCode(userId: number, codeHash: string, at: Date): Promise<boolean> {
      const changed = await db('recovery_codes')
        .where({ user_id: userId, code_hash: codeHash })
        .whereNull('used_at')
        .update({ used_at: at });
      return changed === 1;
    },
    unusedRecoveryCodes: async (userId: number): Promise<number> =>
      Number(
        (
          await db('recovery_codes')
            .where({ user_id: userId })
            .whereNull('used_at')
            .count<{ n: number }>({ n: '*' })
            .first()
        )?.n ?? 0,
      ),
    /** 重置双因素: secret and recovery codes gone (true: there was one). */
    async remove(userId: number): Promise<boolean> {
      await db('recovery_codes').where({ user_id: userId }).del();
      return (await db('second_factors').where({ user_id: userId }).del()) > 0;
    },
  };
}
