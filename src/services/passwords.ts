import bcrypt from 'bcrypt';
import crypto from 'node:crypto';

export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(plain: string, hash: string): Promise<boolean>;
  /** Spends the same time as a real check, for unknown users (no timing oracle). */
  verifyDummy(plain: string): Promise<false>;
}

export function passwordHasher(cost: number): PasswordHasher {
  const dummy = bcrypt.hashSync(crypto.randomBytes(12).toString('hex'), cost);
  return {
    hash: (plain) => bcrypt.hash(plain, cost),
    verify: (plain, hash) => bcrypt.compare(plain, hash),
    verifyDummy: async (plain) => {
      await bcrypt.compare(plain, dummy);
      return false;
    },
  };
}

// Initial passwords: letters and digits, without look-alikes (0/O, 1/l/I), always both kinds.
const LETTERS = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
export function randomPassword(length = 12): string {
  const all = LETTERS + DIGITS;
  const pick = (set: string) => set[crypto.randomInt(set.length)];
  const chars = [pick(LETTERS), pick(DIGITS)];
  while (chars.length < length) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
