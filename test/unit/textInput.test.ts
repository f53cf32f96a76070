import { hasUnstorableText } from '../../src/domain/textInput';

describe('hasUnstorableText', () => {
  it('finds NUL and unpaired surrogates in strings, arrays and objects (keys too)', () => {
    for (const bad of [
      'a\u0000b',
      'x\uD800',
      '\uDC00y',
      'a\uDBFFb',
      ['ok', 'a\u0000'],
      { q: { r: '\uD800' } },
      { 'k\u0000': 'v' },
    ])
      expect([bad, hasUnstorableText(bad)]).toEqual([bad, true]);
  });

  it('accepts ordinary Chinese text, paired surrogates (emoji, rare characters) and non-strings', () => {
    for (const good of ['尾矿库', '𠀀𪚥', '😀', '', 42, null, undefined, ['a', 'b'], { q: '西湖区' }])
      expect([good, hasUnstorableText(good)]).toEqual([good, false]);
  });
});
