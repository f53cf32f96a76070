import { isBelow, isInSubtree, parseUrgeNote, waitsForEnterprise } from '../../src/domain/urges';

describe('催办 rules', () => {
  it('the note is required, trimmed, at most 500 characters, refused in Chinese', () => {
    expect(parseUrgeNote('  请尽快审核 ')).toEqual({ ok: true, note: '请尽快审核' });
    expect(parseUrgeNote('   ')).toEqual({ ok: false, message: '请填写催办说明' });
    expect(parseUrgeNote(undefined)).toEqual({ ok: false, message: '请填写催办说明' });
    expect(parseUrgeNote(['a'])).toEqual({ ok: false, message: '请填写催办说明' });
    expect(parseUrgeNote('催'.repeat(500)).ok).toBe(true);
    expect(parseUrgeNote('催'.repeat(501))).toEqual({ ok: false, message: '催办说明不能超过 500 个字' });
  });

  it('urges only downward inside the subtree', () => {
    const province = '/000000/330000/';
    expect(isBelow(province, '/000000/330000/330100/')).toBe(true);
    expect(isBelow(province, province)).toBe(false);
    expect(isBelow(province, '/000000/')).toBe(false);
    expect(isBelow(province, '/000000/320000/320100/')).toBe(false);
    expect(isInSubtree(province, province)).toBe(true);
    expect(isInSubtree(province, '/000000/320000/')).toBe(false);
  });

  it('an enterprise is urged about a draft or a returned system only', () => {
    expect(waitsForEnterprise('draft')).toBe(true);
    expect(waitsForEnterprise('returned')).toBe(true);
    expect(waitsForEnterprise('pending')).toBe(false);
    expect(waitsForEnterprise('stored')).toBe(false);
  });
});
