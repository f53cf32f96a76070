import crypto from 'node:crypto';

// The TOTP secrets at rest: AES-256-GCM under TOTP_KEY (config.totpKey), a fresh 96-bit nonce
// per encryption, the account id as additional data (a secret copied onto another account's row
// does not decrypt). Stored as text: "v1:" + base64(nonce ‖ tag ‖ ciphertext).
const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export function secretBox(key: Buffer) {
  if (key.length !== 32) throw new Error('the TOTP key must be 32 bytes');
  const aad = (userId: number) => Buffer.from(`second_factor:${userId}`);
  return {
    seal(userId: number, plain: string): string {
      const nonce = crypto.randomBytes(NONCE_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(aad(userId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    /** The secret, or null when it does not decrypt (another TOTP_KEY, a changed row). */
    open(userId: number, sealed: string): string | null {
      const [version, payload] = sealed.split(':');
      if (version !== VERSION || !payload) return null;
      const raw = Buffer.from(payload, 'base64');
      if (raw.length <= NONCE_BYTES + TAG_BYTES) return null;
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
        decipher.setAAD(aad(userId));
        decipher.setAuthTag(raw.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(raw.subarray(NONCE_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}

export type SecretBox = ReturnType<typeof secretBox>;
