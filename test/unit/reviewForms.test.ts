import {
  BULK_MAX,
  parseApproveForm,
  parseBulkIds,
  parseReturnForm,
  parseSeq,
} from '../../src/domain/reviewForms';

const CODES = ['name', 'grade', 'current_dam_height'];

describe('review forms', () => {
  it('reads seq as an integer, leaves it out when absent and flags anything else', () => {
    expect(parseSeq({ seq: '7' })).toBe(7);
    expect(parseSeq({})).toBeUndefined();
    expect(parseSeq({ seq: '-1' })).toBe('bad');
    expect(parseSeq({ seq: ['1', '2'] })).toBe('bad');
    expect(parseSeq({ seq: '1'.repeat(12) })).toBe('bad');
  });

  it('takes an optional approval comment up to 500 characters, trimmed', () => {
    expect(parseApproveForm({ comment: '  同意  ' })).toMatchObject({ ok: true, data: { comment: '同意' } });
    expect(parseApproveForm({})).toMatchObject({ ok: true, data: { comment: undefined } });
    expect(parseApproveForm({ comment: '   ' })).toMatchObject({ ok: true, data: { comment: undefined } });
    const long = parseApproveForm({ comment: 'x'.repeat(501) });
    expect(long).toMatchObject({ ok: false, errors: { comment: '审核意见不能超过 500 个字符' } });
    expect(long.values.comment).toHaveLength(501);
  });

  it('requires a return reason and keeps what was typed when it fails', () => {
    const blank = parseReturnForm({ reason: '  ', fields: ['grade'] }, CODES);
    expect(blank).toMatchObject({ ok: false, errors: { reason: '请填写退回理由' } });
    expect(blank.values).toEqual({ comment: '', reason: '  ', fields: ['grade'] });
    expect(parseReturnForm({ reason: 'x'.repeat(501) }, CODES)).toMatchObject({
      ok: false,
      errors: { reason: '退回理由不能超过 500 个字符' },
    });
  });

  it("accepts only the category's fields, one or many, in the category's order", () => {
    expect(parseReturnForm({ reason: '有误', fields: 'grade' }, CODES)).toMatchObject({
      ok: true,
      data: { reason: '有误', fields: ['grade'] },
    });
    expect(
      parseReturnForm({ reason: '有误', fields: ['current_dam_height', 'name', 'name'] }, CODES),
    ).toMatchObject({ ok: true, data: { fields: ['name', 'current_dam_height'] } });
    expect(parseReturnForm({ reason: '有误', fields: ['password'] }, CODES)).toMatchObject({
      ok: false,
      errors: { fields: expect.stringContaining('所选问题字段无效') },
    });
  });

  it('reads bulk ids once each, refuses none, malformed ones and more than the cap', () => {
    expect(parseBulkIds({ ids: ['3', '1', '3'] })).toEqual({ ok: true, ids: [3, 1] });
    expect(parseBulkIds({ ids: '5' })).toEqual({ ok: true, ids: [5] });
    expect(parseBulkIds({})).toMatchObject({ ok: false, message: '请先勾选要审核通过的信息' });
    expect(parseBulkIds({ ids: ['1', 'x'] })).toMatchObject({ ok: false });
    const tooMany = Array.from({ length: BULK_MAX + 1 }, (_, i) => String(i + 1));
    expect(parseBulkIds({ ids: tooMany })).toMatchObject({
      ok: false,
      message: expect.stringContaining(`一次最多批量审核通过 ${BULK_MAX} 项`),
    });
  });
});
