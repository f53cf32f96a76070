// The login captcha's rule: the answer is single use and compared case-insensitively.
export function captchaMatches(expected: string | undefined | null, given: unknown): boolean {
  if (!expected || typeof given !== 'string') return false;
  return given.trim().toLowerCase() === expected.toLowerCase();
}
