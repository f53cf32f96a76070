import { TRACKING_LABELS, TRACKING_STATUSES, trackingLabel, trackingStatus } from '../../src/domain/tracking';
import {
  DRAFT,
  RETURNED,
  STORED,
  decide,
  pendingAt,
  type Actor,
  type Chain,
  type Command,
  type Position,
} from '../../src/domain/workflow';

const [COUNTY, CITY, PROVINCE, NATIONAL] = [4, 3, 2, 1];
const chain: Chain = [COUNTY, CITY, PROVINCE, NATIONAL];

const enterprise: Actor = { kind: 'enterprise' };
const agency = (agencyId: number): Actor => ({ kind: 'agency', agencyId });
const approve: Command = { type: 'approve' };
const back: Command = { type: 'return', reason: '请核实' };

/** Applies a step through the real workflow, so the positions tracked are reachable ones. */
function step(position: Position, actor: Actor, command: Command): Position {
  const d = decide(position, chain, actor, command);
  if (!d.ok) throw new Error(d.message);
  return d.next;
}

/** The label each of county, city and province sees. */
function seen(
  position: Position,
  hasStoredVersion = false,
): Record<'county' | 'city' | 'province', string | null> {
  const label = (id: number) => {
    const status = trackingStatus(position, chain, id, hasStoredVersion);
    return status && trackingLabel(status);
  };
  return { county: label(COUNTY), city: label(CITY), province: label(PROVINCE) };
}

describe("信息追踪 along the issue's sequence (county → city → province → national)", () => {
  let p: Position = step(DRAFT, enterprise, { type: 'submit' });

  it('after county and city approved, it waits at the province: 上级待审核 for county and city', () => {
    p = step(p, agency(COUNTY), approve);
    p = step(p, agency(CITY), approve);
    expect(p).toEqual(pendingAt(PROVINCE, 'lower_submitted'));
    expect(seen(p)).toEqual({ county: '上级待审核', city: '上级待审核', province: '本级待处理' });
  });

  it('the province returns it to the city', () => {
    p = step(p, agency(PROVINCE), back);
    expect(p).toEqual(pendingAt(CITY, 'upper_returned'));
    expect(seen(p)).toEqual({ county: '上级待审核', city: '本级待处理', province: '已退回下级' });
  });

  it('the city returns it to the county', () => {
    p = step(p, agency(CITY), back);
    expect(p).toEqual(pendingAt(COUNTY, 'upper_returned'));
    expect(seen(p)).toEqual({ county: '本级待处理', city: '已退回下级', province: '已退回下级' });
  });

  it('the county returns it to the enterprise: 已退回企业 for all three', () => {
    p = step(p, agency(COUNTY), back);
    expect(p).toEqual(RETURNED);
    expect(seen(p)).toEqual({ county: '已退回企业', city: '已退回企业', province: '已退回企业' });
  });

  it('while the resubmission climbs again, those above see it as 下级审核中, not as returned', () => {
    p = step(p, enterprise, { type: 'submit' });
    expect(seen(p)).toEqual({ county: '本级待处理', city: '下级审核中', province: '下级审核中' });
    p = step(p, agency(COUNTY), approve);
    expect(seen(p)).toEqual({ county: '上级待审核', city: '本级待处理', province: '下级审核中' });
  });

  it('after approval at every level: 已入库 for all', () => {
    p = step(p, agency(CITY), approve);
    p = step(p, agency(PROVINCE), approve);
    expect(seen(p)).toEqual({ county: '上级待审核', city: '上级待审核', province: '上级待审核' });
    p = step(p, agency(NATIONAL), approve);
    expect(p).toEqual(STORED);
    expect(seen(p)).toEqual({ county: '已入库', city: '已入库', province: '已入库' });
    expect(trackingStatus(p, chain, NATIONAL, true)).toBe('stored');
  });
});

describe('changes after storage (变更)', () => {
  it('a change being prepared at the enterprise still reads 已入库: the stored version is current', () => {
    expect(seen(DRAFT, true)).toEqual({ county: '已入库', city: '已入库', province: '已入库' });
  });

  it('a submitted change is tracked where it is', () => {
    const atCity = pendingAt(CITY, 'lower_submitted');
    expect(seen(atCity, true)).toEqual({ county: '上级待审核', city: '本级待处理', province: '下级审核中' });
  });

  it('a returned change reads 已退回企业', () => {
    expect(seen(RETURNED, true)).toEqual({
      county: '已退回企业',
      city: '已退回企业',
      province: '已退回企业',
    });
  });

  it('a draft with no stored version is at the enterprise', () => {
    expect(trackingStatus(DRAFT, chain, COUNTY, false)).toBe('enterprise_returned');
  });
});

describe('edges', () => {
  it('answers null when the viewer or the holder is not on the chain', () => {
    expect(trackingStatus(pendingAt(CITY, 'lower_submitted'), chain, 999, false)).toBeNull();
    expect(trackingStatus(pendingAt(999, 'lower_submitted'), chain, CITY, false)).toBeNull();
  });

  it('works on short chains (national supervising directly)', () => {
    expect(trackingStatus(pendingAt(NATIONAL, 'enterprise_submitted'), [NATIONAL], NATIONAL, false)).toBe(
      'own_pending',
    );
  });

  it('labels every status', () => {
    expect(TRACKING_STATUSES.map(trackingLabel)).toEqual(TRACKING_STATUSES.map((s) => TRACKING_LABELS[s]));
    expect(TRACKING_STATUSES.map(trackingLabel)).toEqual([
      '本级待处理',
      '上级待审核',
      '已退回下级',
      '下级审核中',
      '已退回企业',
      '已入库',
    ]);
  });
});
