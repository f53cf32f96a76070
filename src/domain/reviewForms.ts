import { z } from 'zod';

/**
 * The review forms (SPEC §8): approve `comment`, return `reason` + `fields`, bulk approve `ids`,
 * and the hidden `seq` (the page's workflow_seq). Allow-lists: anything else in a body is
 * ignored, and what is read is parsed into typed values or a Chinese message per field.
 */

export const NOTE_MAX = 500;
export const BULK_MAX = 100;

export interface ReviewFormValues {
  comment: string;
  reason: string;
  fields: string[];
}

export type FormParse<T> =
  | { ok: true; data: T; values: ReviewFormValues }
  | { ok: false; errors: Record<string, string>; values: ReviewFormValues };

/** `seq` absent → undefined (the compare-and-set on the row still guards); malformed → 'bad'. */
export type SeqParse = number | undefined | 'bad';

type Body = Record<string, unknown>;

const asBody = (body: unknown): Body => (body !== null && typeof body === 'object' ? (body as Body) : {});

/** A single form value; repeated or non-string values read as '' (no form sends them). */
const single = (body: Body, name: string): string =>
  typeof body[name] === 'string' ? (body[name] as string) : '';

/** A field that may repeat (checkboxes): always a list of strings. */
const many = (body: Body, name: string): string[] => {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
};

/**
 * An approval that stores (总局's 入库) or a bulk approval is made only when its form says it was
 * confirmed: the browser's confirm sets `confirmed=1`; without JavaScript the server asks first.
 */
export const isConfirmed = (body: unknown): boolean => single(asBody(body), 'confirmed') === '1';

export function parseSeq(body: unknown): SeqParse {
  const raw = asBody(body).seq;
  if (raw === undefined) return undefined;
  return typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : 'bad';
}

const comment = z.string().trim().max(NOTE_MAX, `审核意见不能超过 ${NOTE_MAX} 个字符`);
const reason = z
  .string()
  .trim()
  .min(1, '请填写退回理由')
  .max(NOTE_MAX, `退回理由不能超过 ${NOTE_MAX} 个字符`);

function firstErrors(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) errors[String(issue.path[0] ?? '_')] ??= issue.message;
  return errors;
}

export function parseApproveForm(body: unknown): FormParse<{ comment: string | undefined }> {
  const b = asBody(body);
  const values: ReviewFormValues = { comment: single(b, 'comment'), reason: '', fields: [] };
  const parsed = z.object({ comment }).safeParse({ comment: values.comment });
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error.issues), values };
  return { ok: true, data: { comment: parsed.data.comment || undefined }, values };
}

/** `fieldCodes`: the category's fields, the only ones a return may point at. */
export function parseReturnForm(
  body: unknown,
  fieldCodes: readonly string[],
): FormParse<{ reason: string; fields: string[] }> {
  const b = asBody(body);
  const values: ReviewFormValues = {
    comment: '',
    reason: single(b, 'reason'),
    fields: [...new Set(many(b, 'fields'))],
  };
  const allowed = new Set(fieldCodes);
  const schema = z.object({
    reason,
    fields: z
      .array(z.string())
      .max(fieldCodes.length, '所选问题字段无效')
      .refine((fs) => fs.every((f) => allowed.has(f)), '所选问题字段无效，请从列表中选择'),
  });
  const parsed = schema.safeParse({ reason: values.reason, fields: values.fields });
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error.issues), values };
  // Keep the category's order, so the history lists the fields as the form shows them.
  const fields = fieldCodes.filter((c) => parsed.data.fields.includes(c));
  return { ok: true, data: { reason: parsed.data.reason, fields }, values };
}

export type BulkIdsParse = { ok: true; ids: number[] } | { ok: false; message: string };

/** The ticked ids, in the order given, without repeats. */
export function parseBulkIds(body: unknown): BulkIdsParse {
  const raw = many(asBody(body), 'ids');
  if (raw.some((s) => !/^\d{1,9}$/.test(s)))
    return { ok: false, message: '所选信息无效，请刷新页面后重新勾选' };
  const ids = [...new Set(raw.map(Number))];
  if (!ids.length) return { ok: false, message: '请先勾选要审核通过的信息' };
  if (ids.length > BULK_MAX)
    return {
      ok: false,
      message: `一次最多批量审核通过 ${BULK_MAX} 项，本次勾选了 ${ids.length} 项，请减少勾选后重试`,
    };
  return { ok: true, ids };
}
