import type { Request } from 'express';
import { resubmission } from '../../src/middleware/resubmit';

// What the 503 page keeps of a POST that met an outage, to post it again.
function posted(body: unknown, type = 'application/x-www-form-urlencoded', method = 'POST'): Request {
  return {
    method,
    body,
    originalUrl: '/enterprise/systems/7',
    is: (t: string) => (t === type ? t : false),
  } as unknown as Request;
}

describe('resubmission of a form that met a database outage', () => {
  it('keeps every field, repeated ones in order, and counts what the user filled in', () => {
    const kept = resubmission(
      posted({ _csrf: 't', name: '一号尾矿库', hazards: ['a', 'b'], note: ' ', seq: '3' }),
    );
    expect(kept).toEqual({
      action: '/enterprise/systems/7',
      fields: [
        ['_csrf', 't'],
        ['name', '一号尾矿库'],
        ['hazards', 'a'],
        ['hazards', 'b'],
        ['note', ' '],
        ['seq', '3'],
      ],
      filled: 3,
    });
  });

  it('never echoes a password, a captcha or a one-time code into a page', () => {
    expect(resubmission(posted({ username: 'u', password: 'p', captcha: 'k7m2' }))).toBeNull();
    expect(resubmission(posted({ currentPassword: 'p' }))).toBeNull();
    expect(resubmission(posted({ code: '123456' }))).toBeNull();
  });

  it('keeps nothing of a GET, another body type or a nested shape', () => {
    expect(resubmission(posted({ a: 'b' }, 'application/x-www-form-urlencoded', 'GET'))).toBeNull();
    expect(resubmission(posted({ a: 'b' }, 'application/json'))).toBeNull();
    expect(resubmission(posted({ a: { b: 'c' } }))).toBeNull();
  });
});
