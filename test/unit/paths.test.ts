import { backToList, openedFrom } from '../../src/paths';

describe('going back to the list a detail was opened from', () => {
  it('carries the list query on the detail link and rebuilds the list from it', () => {
    const list = '/stored?city=330100&category=tailings&page=3';
    const detail = openedFrom('/stored/42', list);
    expect(detail).toBe('/stored/42?from=city%3D330100%26category%3Dtailings%26page%3D3');
    const from = new URL(detail, 'http://x').searchParams.get('from');
    expect(backToList('/stored', from)).toBe(list);
    expect(openedFrom('/stored/42', '/stored')).toBe('/stored/42');
  });

  it('only ever points at the given list, whatever `from` holds', () => {
    expect(backToList('/review', undefined)).toBe('/review');
    expect(backToList('/review', ['a=1'])).toBe('/review');
    expect(backToList('/review', '')).toBe('/review');
    expect(backToList('/review', 'x'.repeat(2001))).toBe('/review');
    expect(backToList('/review', '//evil.example/path')).toBe('/review?%2F%2Fevil.example%2Fpath=');
    expect(backToList('/review', 'https://evil.example')).toMatch(/^\/review\?/);
  });
});
