import { z } from 'zod';
import { parseForm, pickStrings, type FormResult } from './account';
import { PASSWORD_MIN_LENGTH } from './passwordPolicy';

// 安全策略: the settings the 安全管理员 keeps (stored with their history, data/securitySettings.ts).
// Until a setting is first saved, the defaults below apply; the lock-out thresholds and the idle
// timeout default to the environment's (LOGIN_MAX_FAILURES, LOGIN_LOCK_MINUTES,
// SESSION_IDLE_MINUTES), so a deployment's configuration holds until the page says otherwise.

export interface SecurityPolicy {
  /** Password complexity: minimum length (letters and digits are always both required). */
  passwordMinLength: number;
  /** Days a password is valid; then a change is forced. 0: no maximum age. */
  passwordMaxAgeDays: number;
  /** How many previous passwords (besides the current one) cannot be reused. */
  passwordHistory: number;
  /** Consecutive wrong passwords of one username from one address before its logins pause. */
  lockMaxFailures: number;
  lockMinutes: number;
  /** Minutes without a request after which a session ends. */
  idleMinutes: number;
  /** Whether regulators must use a second factor (the three administrators always must). */
  regulatorSecondFactor: boolean;
}

export interface PolicyDefaults {
  lockMaxFailures: number;
  lockMinutes: number;
  idleMinutes: number;
}

export function defaultSecurityPolicy(env: PolicyDefaults): SecurityPolicy {
  return {
    passwordMinLength: PASSWORD_MIN_LENGTH,
    passwordMaxAgeDays: 90,
    passwordHistory: 5,
    lockMaxFailures: env.lockMaxFailures,
    lockMinutes: env.lockMinutes,
    idleMinutes: env.idleMinutes,
    regulatorSecondFactor: false,
  };
}

export const POLICY_FIELDS = [
  'passwordMinLength',
  'passwordMaxAgeDays',
  'passwordHistory',
  'lockMaxFailures',
  'lockMinutes',
  'idleMinutes',
  'regulatorSecondFactor',
] as const;

export const POLICY_LABELS: Record<keyof SecurityPolicy, string> = {
  passwordMinLength: '密码最小长度',
  passwordMaxAgeDays: '密码有效期（天）',
  passwordHistory: '不得重复使用的历史密码个数',
  lockMaxFailures: '连续输错密码次数上限',
  lockMinutes: '锁定时长（分钟）',
  idleMinutes: '会话空闲超时（分钟）',
  regulatorSecondFactor: '监管部门用户须使用双因素认证',
};

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(1, `请填写${label}`)
    .regex(/^\d+$/, `${label}应为整数`)
    .transform(Number)
    .pipe(z.number().min(min, `${label}不能小于 ${min}`).max(max, `${label}不能大于 ${max}`));

// The bounds keep the system usable and the rules meaningful (GB/T 22239-2019 三级 asks for
// complexity, periodic change and lock-out; it fixes no numbers).
const policySchema = z.object({
  passwordMinLength: wholeNumber(POLICY_LABELS.passwordMinLength, PASSWORD_MIN_LENGTH, 32),
  passwordMaxAgeDays: wholeNumber(POLICY_LABELS.passwordMaxAgeDays, 0, 365),
  passwordHistory: wholeNumber(POLICY_LABELS.passwordHistory, 0, 24),
  lockMaxFailures: wholeNumber(POLICY_LABELS.lockMaxFailures, 3, 20),
  lockMinutes: wholeNumber(POLICY_LABELS.lockMinutes, 1, 1440),
  idleMinutes: wholeNumber(POLICY_LABELS.idleMinutes, 5, 480),
  regulatorSecondFactor: z.enum(['', 'on'], '双因素认证要求只能勾选或不勾选').transform((v) => v === 'on'),
});

/** The 安全策略 form: every broken rule at once, in Chinese, with the values as typed. */
export function validateSecurityPolicy(body: unknown): FormResult<SecurityPolicy> {
  return parseForm(policySchema, pickStrings(body, POLICY_FIELDS));
}

/** The form's values for a policy in force. */
export function policyFormValues(p: SecurityPolicy): Record<string, string> {
  return Object.fromEntries(
    POLICY_FIELDS.map((f) => [f, typeof p[f] === 'boolean' ? (p[f] ? 'on' : '') : String(p[f])]),
  );
}

/** A stored policy, with defaults for whatever it lacks (a setting added after it was saved). */
export function withDefaults(
  stored: Partial<SecurityPolicy> | null,
  defaults: SecurityPolicy,
): SecurityPolicy {
  return { ...defaults, ...(stored ?? {}) };
}

/** The settings that differ between two policies (for the change history). */
export function changedSettings(before: SecurityPolicy, after: SecurityPolicy): (keyof SecurityPolicy)[] {
  return POLICY_FIELDS.filter((f) => before[f] !== after[f]);
}

/** Shown beside the password fields. */
export function passwordRuleText(p: SecurityPolicy): string {
  const reuse =
    p.passwordHistory > 0 ? `不能与最近 ${p.passwordHistory} 次使用过的密码相同` : '不能与原密码相同';
  const age = p.passwordMaxAgeDays > 0 ? `；密码每 ${p.passwordMaxAgeDays} 天须更换一次` : '';
  return `密码至少 ${p.passwordMinLength} 位，须同时包含字母和数字，不能与用户名相同，${reuse}${age}。`;
}
