import { z } from 'zod';
import { parseForm, pickStrings, type FormResult } from './account';
import { AGENCY_LEVELS, type AgencyLevel } from './orgTree';

/** Which regulators' accounts to issue (the page's form of `accounts:issue --region --level`). */
export interface IssueScope {
  regionCode?: string;
  level?: AgencyLevel;
}

const scopeSchema = z.object({
  region: z
    .string()
    .trim()
    .max(30, '地区或单位代码不能超过 30 个字符')
    .refine((v) => v === '' || /^[0-9A-Za-z-]+$/.test(v), '地区或单位代码只能包含数字、字母和“-”'),
  level: z.enum(['', ...AGENCY_LEVELS], '请从列表中选择层级'),
});

export function validateIssueScope(body: unknown): FormResult<IssueScope> {
  const result = parseForm(scopeSchema, pickStrings(body, ['region', 'level']));
  if (!result.ok || !result.data) return { ok: false, errors: result.errors, values: result.values };
  const { region, level } = result.data;
  return {
    ...result,
    data: { regionCode: region || undefined, level: level === '' ? undefined : level },
  };
}
