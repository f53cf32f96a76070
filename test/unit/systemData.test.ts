import { exampleSystemData, validateSystem } from '../../src/domain/systems';
import { systemDataView } from '../../src/routes/viewModels/systemData';

// Detail pages flag a stored licence with the one licence rule (domain/licence.ts).
function licenceRow(expires: string, now: Date) {
  const input = { ...exampleSystemData('tailings'), safety_license_expires: expires };
  const { data } = validateSystem('tailings', input, 'draft');
  const rows = systemDataView('tailings', data, { now }).flatMap((s) => s.rows);
  return rows.find((r) => r.code === 'safety_license_expires')!;
}

describe('the licence flag on detail pages', () => {
  const now = new Date('2026-12-03T04:00:00Z'); // 2026-12-03 in China
  it('says 已过期 before today, 90天内到期 up to 90 days ahead, nothing beyond', () => {
    expect(licenceRow('2026-12-02', now).expiry).toEqual({ kind: 'expired', label: '许可证已过期' });
    expect(licenceRow('2026-12-03', now).expiry).toEqual({ kind: 'expiring', label: '许可证90天内到期' });
    expect(licenceRow('2027-03-03', now).expiry?.kind).toBe('expiring');
    expect(licenceRow('2027-03-04', now).expiry).toBeNull();
  });

  it('flags no other field', () => {
    const { data } = validateSystem('tailings', exampleSystemData('tailings'), 'draft');
    const rows = systemDataView('tailings', data, { now }).flatMap((s) => s.rows);
    expect(rows.filter((r) => r.expiry && r.code !== 'safety_license_expires')).toEqual([]);
  });
});
