import { z } from 'zod';

// 信息管理: the user's own details. Every field optional; what is given must be well-formed.
const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字符`)
    .transform((v) => (v === '' ? null : v));

const optionalMatching = (re: RegExp, message: string) =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || re.test(v), message)
    .transform((v) => (v === '' ? null : v));

export const profileSchema = z.object({
  name: optionalText(50, '姓名'),
  position: optionalText(50, '职务'),
  office_phone: optionalMatching(/^[0-9-]{7,20}$/, '办公电话应为 7–20 位数字或“-”'),
  mobile: optionalMatching(/^1\d{10}$/, '手机号码应为以 1 开头的 11 位数字'),
  email: optionalMatching(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, '电子邮箱格式不正确').pipe(
    z.string().max(100, '电子邮箱不能超过 100 个字符').nullable(),
  ),
});

export type Profile = z.output<typeof profileSchema>;
export const PROFILE_FIELDS = ['name', 'position', 'office_phone', 'mobile', 'email'] as const;

export interface FormResult<T> {
  ok: boolean;
  data?: T;
  errors: Record<string, string>;
  values: Record<string, string>;
}

/** Keeps only the named string fields of a form body (anything else becomes ''). */
export function pickStrings<K extends string>(body: unknown, names: readonly K[]): Record<K, string> {
  const src = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  return Object.fromEntries(
    names.map((n) => [n, typeof src[n] === 'string' ? (src[n] as string) : '']),
  ) as Record<K, string>;
}

export function parseForm<S extends z.ZodType>(
  schema: S,
  values: Record<string, string>,
): FormResult<z.output<S>> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data, errors: {}, values };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? '_');
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values };
}

export function validateProfile(body: unknown): FormResult<Profile> {
  return parseForm(profileSchema, pickStrings(body, PROFILE_FIELDS));
}

/** Whether an account is locked out now (repeated wrong passwords lock it until `lockedUntil`). */
export function isLocked(lockedUntil: Date | null, now: Date = new Date()): lockedUntil is Date {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/**
 * Demo accounts share a password published in the source: a production server treats them as
 * if they did not exist (same neutral answer as an unknown username).
 */
export function mayLogIn(user: { is_demo: boolean }, production: boolean): boolean {
  return !(user.is_demo && production);
}

// The login form: every field is required, and an empty form says which are missing (all at
// once) before anything is checked or counted.
export const LOGIN_FIELDS = ['username', 'password', 'captcha'] as const;
export type LoginField = (typeof LOGIN_FIELDS)[number];
const LOGIN_FIELD_LABELS: Record<LoginField, string> = {
  username: '用户名',
  password: '密码',
  captcha: '验证码',
};

export function missingLoginFields(form: Record<LoginField, string>): LoginField[] {
  return LOGIN_FIELDS.filter((f) => form[f].trim() === '');
}

export function missingLoginMessage(missing: readonly LoginField[]): string {
  return `请输入${missing.map((f) => LOGIN_FIELD_LABELS[f]).join('、')}`;
}
