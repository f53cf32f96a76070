/** Password policy for every account (registration, password change, issued accounts). */

export const PASSWORD_POLICY_TEXT =
  '密码至少 8 位，须同时包含字母和数字，不能与用户名相同，不能与原密码相同。';

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads at most 72 bytes; longer passwords would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

/** Chinese messages for every broken rule; empty when the password is acceptable. */
export function passwordPolicyErrors(
  password: string,
  context: { username: string; oldPassword?: string; minLength?: number },
): string[] {
  const errors: string[] = [];
  const minLength = context.minLength ?? PASSWORD_MIN_LENGTH; // 安全策略 may ask for more
  if (password.length < minLength) errors.push(`密码至少 ${minLength} 位`);
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES)
    errors.push(`密码过长，最多 ${PASSWORD_MAX_BYTES} 个英文字符`);
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) errors.push('密码须同时包含字母和数字');
  if (context.username !== '' && password.toLowerCase() === context.username.toLowerCase()) {
    errors.push('密码不能与用户名相同');
  }
  if (context.oldPassword !== undefined && password === context.oldPassword)
    errors.push('新密码不能与原密码相同');
  return errors;
}
