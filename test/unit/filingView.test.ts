import type { HistoryEntry } from '../../src/services/history';
import type { EnterpriseSystem } from '../../src/services/filing';
import { categories } from '../../src/domain/systems';
import type { Arrival, Position, WorkflowState } from '../../src/domain/workflow';
import {
  categoryCards,
  formWarnings,
  gradeProposal,
  messageView,
  returnRunView,
  systemListItem,
  systemStatusView,
} from '../../src/routes/viewModels/filing';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 5, 8, minute));

function row(
  seq: number,
  action: string,
  agency: string | null,
  note: string | null,
  fields: string[] = [],
): HistoryEntry {
  return {
    seq,
    at: at(seq),
    action,
    actorName: `审核员${seq}`,
    actorAgencyName: agency,
    actorEnterpriseName: agency ? null : '某企业',
    fromState: 'pending',
    fromAgencyName: null,
    fromArrival: null,
    toState: 'pending',
    toAgencyName: null,
    toArrival: null,
    version: 1,
    note,
    fields,
  };
}

describe('returnRunView', () => {
  it('lists the latest run of returns in the order it came down, with every flagged field', () => {
    const rows = [
      row(1, 'submit', null, null),
      row(2, 'return', '西湖区局', '第一次退回', ['name']),
      row(3, 'submit', null, null),
      row(4, 'approve', '西湖区局', null),
      row(5, 'approve', '杭州市局', null),
      row(6, 'return', '杭州市局', '市局意见', ['grade']),
      row(7, 'return', '西湖区局', '县局意见', ['grade', 'current_dam_height']),
    ];
    const view = returnRunView(rows, 'tailings');
    expect(view.reasons.map((r) => [r.agency, r.reason])).toEqual([
      ['杭州市局', '市局意见'],
      ['西湖区局', '县局意见'],
    ]);
    expect(view.reasons[1]).toMatchObject({
      actor: '审核员7',
      at: at(7),
      fields: ['尾矿库等别', '现状坝高'],
    });
    expect(view.flagged).toEqual(['grade', 'current_dam_height']);
  });

  it('is empty when the last action was not a return', () => {
    expect(returnRunView([row(1, 'submit', null, null)], 'tailings')).toEqual({ reasons: [], flagged: [] });
    expect(returnRunView([], 'tailings')).toEqual({ reasons: [], flagged: [] });
  });
});

describe('gradeProposal', () => {
  it('states the computed grade of a tailings pond, and how to get one', () => {
    expect(gradeProposal('tailings', { design_capacity: '156', design_dam_height: '48' })).toContain(
      '应为四等',
    );
    expect(gradeProposal('tailings', { design_capacity: '100', design_dam_height: '29.9' })).toContain(
      '应为四等',
    );
    expect(gradeProposal('tailings', { design_capacity: '10000', design_dam_height: '10' })).toContain(
      '应为三等',
    );
    expect(gradeProposal('tailings', { design_capacity: '', design_dam_height: '48' })).toContain(
      '填写设计总库容和设计总坝高后',
    );
    expect(gradeProposal('tailings', { design_capacity: 'abc', design_dam_height: '48' })).toContain(
      '填写设计总库容和设计总坝高后',
    );
    expect(gradeProposal('underground', { design_capacity: '156' })).toBeNull();
  });

  it('comes with the warning when the entered grade differs', () => {
    const warnings = formWarnings(
      'tailings',
      { design_capacity: '156', design_dam_height: '48', grade: '3' },
      false,
    );
    expect(warnings.grade).toContain('应为四等');
    expect(
      formWarnings('tailings', { design_capacity: '156', design_dam_height: '48', grade: '4' }, false).grade,
    ).toBeUndefined();
  });
});

describe('systemStatusView', () => {
  const base = {
    position: { state: 'draft', agencyId: null, arrival: null } as Position,
    currentAgencyName: null,
    latestVersion: 0,
    storedVersion: null,
  };
  const pos = (state: WorkflowState, agencyId: number | null = null, arrival: Arrival | null = null) => ({
    state,
    agencyId,
    arrival,
  });

  it('says where a pending system is and that it cannot be edited', () => {
    const view = systemStatusView({
      ...base,
      position: pos('pending', 7, 'enterprise_submitted'),
      currentAgencyName: '西湖区安全生产监督管理局',
      latestVersion: 1,
    });
    expect(view).toMatchObject({
      tag: { label: '审核中', tone: 'blue' },
      where: '西湖区安全生产监督管理局（企业提交）',
      version: '第 1 版',
      editable: false,
      canChange: false,
      storedNote: null,
    });
  });

  it('lets drafts and returned systems be edited, and stored ones be changed', () => {
    expect(systemStatusView({ ...base, position: pos('draft') })).toMatchObject({
      editable: true,
      where: null,
      version: '未提交',
    });
    expect(systemStatusView({ ...base, position: pos('returned'), latestVersion: 2 })).toMatchObject({
      editable: true,
    });
    expect(
      systemStatusView({ ...base, position: pos('stored'), latestVersion: 2, storedVersion: 2 }),
    ).toMatchObject({
      editable: false,
      canChange: true,
      storedNote: null,
      version: '第 2 版（已入库）',
    });
  });

  it('notes that the stored version stays current while a change is open', () => {
    const view = systemStatusView({ ...base, position: pos('draft'), latestVersion: 3, storedVersion: 3 });
    expect(view.storedNote).toContain('第 3 版在本次变更审核入库前仍为有效版本');
  });
});

describe('home page items', () => {
  const item = (over: Partial<EnterpriseSystem>): EnterpriseSystem => ({
    id: 5,
    category: 'tailings',
    name: '某尾矿库',
    state: 'draft',
    arrival: null,
    currentAgencyName: null,
    latestVersion: 0,
    storedVersion: null,
    updatedAt: at(1),
    stateChangedAt: at(1),
    ...over,
  });

  it('shows category, state in Chinese, version and the next step', () => {
    expect(systemListItem(item({}))).toMatchObject({
      href: '/enterprise/systems/5',
      category: '尾矿库',
      tag: { label: '草稿' },
      version: '未提交',
      action: '继续填写',
    });
    expect(systemListItem(item({ state: 'returned', latestVersion: 1 }))).toMatchObject({
      tag: { label: '已退回' },
      action: '修改并重新提交',
    });
    expect(
      systemListItem(
        item({
          state: 'pending',
          currentAgencyName: '杭州市安全生产监督管理局',
          latestVersion: 4,
          storedVersion: 3,
        }),
      ),
    ).toMatchObject({
      tag: { label: '审核中（杭州市安监局）' },
      version: '第 4 版（入库版本：第 3 版）',
      action: '查看',
    });
    expect(systemListItem(item({ state: 'stored', latestVersion: 2, storedVersion: 2 })).tag.label).toBe(
      '已入库',
    );
  });

  it('tags messages by kind and links them to their system', () => {
    const m = messageView({
      id: 1,
      systemId: 9,
      kind: 'returned',
      body: '已退回',
      createdAt: at(2),
      readAt: null,
    });
    expect(m).toMatchObject({
      tag: { label: '退回', tone: 'red' },
      unread: true,
      href: '/enterprise/systems/9',
    });
    expect(
      messageView({
        id: 2,
        systemId: 9,
        kind: 'stored',
        body: '入库',
        createdAt: at(3),
        readAt: at(4),
      }),
    ).toMatchObject({
      tag: { label: '入库', tone: 'green' },
      unread: false,
    });
  });

  it('offers every category with a description', () => {
    const cards = categoryCards();
    expect(cards.map((c) => c.code)).toEqual(categories.map((c) => c.code));
    for (const c of cards) {
      expect(c.description.length).toBeGreaterThan(5);
      expect(c.href).toBe(`/enterprise/systems/new?category=${c.code}`);
    }
  });
});
