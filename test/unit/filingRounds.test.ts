import {
  changeOf,
  changeRows,
  openReturnRound,
  openRoundFields,
  returnMessage,
} from '../../src/domain/filingRounds';

type Row = { action: string; toState: string | null; version: number; fields: string[]; note?: string };
const row = (action: string, toState: string | null, version: number, fields: string[] = []): Row => ({
  action,
  toState,
  version,
  fields,
});

const firstRound: Row[] = [
  row('submit', 'pending', 1),
  row('approve', 'pending', 1),
  row('return', 'pending', 1, ['employees']),
  row('return', 'returned', 1, ['address']),
];

describe('the open return round', () => {
  it('is the latest run of returns, through the resubmission and the approvals after it', () => {
    expect(openReturnRound(firstRound).map((r) => r.fields)).toEqual([['address'], ['employees']]);
    const resubmitted = [...firstRound, row('submit', 'pending', 2), row('approve', 'pending', 2)];
    expect(openRoundFields(resubmitted)).toEqual(['address', 'employees']);
  });

  it('ends when a later submission is stored: its flags are not shown on the 变更 after it', () => {
    const stored = [...firstRound, row('submit', 'pending', 2), row('approve', 'stored', 2)];
    expect(openReturnRound(stored)).toEqual([]);
    const change = [...stored, row('reopen', 'draft', 2), row('submit', 'pending', 3)];
    expect(openRoundFields(change)).toEqual([]);
    // A return of the 变更 opens a round of its own.
    expect(openRoundFields([...change, row('return', 'returned', 3, ['scale'])])).toEqual(['scale']);
  });

  it('a new return after approvals starts a new round (the older returns are no longer in it)', () => {
    const again = [...firstRound, row('submit', 'pending', 2), row('approve', 'pending', 2)];
    expect(openRoundFields([...again, row('return', 'pending', 2, ['scale'])])).toEqual(['scale']);
  });
});

describe('变更', () => {
  it('is a version after a stored one', () => {
    expect(changeOf(null, 1)).toBeNull();
    expect(changeOf(2, 2)).toBeNull();
    expect(changeOf(2, 3)).toEqual({ replaces: 2 });
  });

  it('marks the rows of the versions after the first stored one', () => {
    const rows = [
      row('submit', 'pending', 1),
      row('approve', 'stored', 1),
      row('reopen', 'draft', 1),
      row('submit', 'pending', 2),
      row('approve', 'stored', 2),
    ];
    expect(changeRows(rows)).toEqual([false, false, false, true, true]);
  });
});

describe('the return message', () => {
  it('quotes every level of the round, highest first', () => {
    expect(
      returnMessage('甲矿', [
        { agency: '国家安全监管总局', reason: '许可证号不符。' },
        { agency: '西湖区安全生产监督管理局', reason: '请核实' },
      ]),
    ).toBe(
      '“甲矿”已被退回，各级退回理由：（1）国家安全监管总局：许可证号不符；（2）西湖区安全生产监督管理局：请核实。请修改后重新提交。',
    );
  });

  it('reads as before with one reason', () => {
    expect(returnMessage('甲矿', [{ agency: '西湖区', reason: '请补充坐标。' }])).toBe(
      '“甲矿”已被退回，退回理由：请补充坐标。请修改后重新提交。',
    );
  });
});
