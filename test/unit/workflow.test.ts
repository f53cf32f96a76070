import {
  ACTIONS,
  ARRIVALS,
  DRAFT,
  REFUSAL_MESSAGES,
  RETURNED,
  STATES,
  STORED,
  actionLabel,
  allowedActions,
  arrivalLabel,
  checkDelete,
  checkEdit,
  decide,
  discardChange,
  isValidPosition,
  pendingAt,
  reopenForChange,
  stateLabel,
  type Actor,
  type AllowedAction,
  type Chain,
  type Command,
  type Decision,
  type Position,
  type RefusalCode,
} from '../../src/domain/workflow';

// Agency ids are arbitrary; the chain alone gives them their roles.
const NATIONAL = 1;
const CHAINS: Record<string, Chain> = {
  'county → city → province → national': [4, 3, 2, NATIONAL],
  'municipal district → municipality → national': [13, 12, NATIONAL],
  'province-supervised → national': [22, NATIONAL],
  'national supervises directly': [NATIONAL],
  '监督处 → 分部 → 海油安办 → national': [41, 40, 30, NATIONAL],
  'a five-level chain': [55, 54, 53, 52, NATIONAL],
};
const STRANGER = 999; // an agency on none of the chains

const enterprise: Actor = { kind: 'enterprise' };
const agency = (agencyId: number): Actor => ({ kind: 'agency', agencyId });

const COMMANDS: Command[] = [
  { type: 'submit' },
  { type: 'approve' },
  { type: 'approve', comment: '  材料齐全  ' },
  { type: 'approve', comment: '   ' },
  { type: 'return', reason: '  坐标有误  ' },
  { type: 'return', reason: '   ' },
  { type: 'return', reason: '' },
  { type: 'reopen' },
];

function positionsFor(chain: Chain): Position[] {
  const pending = [...chain, STRANGER].flatMap((id) => ARRIVALS.map((arrival) => pendingAt(id, arrival)));
  return [DRAFT, RETURNED, ...pending, STORED];
}

function actorsFor(chain: Chain): Actor[] {
  return [enterprise, ...chain.map(agency), agency(STRANGER)];
}

const describeActor = (a: Actor) => (a.kind === 'enterprise' ? 'enterprise' : `agency ${a.agencyId}`);
const describePosition = (p: Position) =>
  p.state === 'pending' ? `pending at ${p.agencyId} (${p.arrival})` : p.state;

type Expected = { next: Position; action: string; note: string | null } | { refusal: RefusalCode };

/**
 * The rules of SPEC §6 written out independently of the implementation's table, as plain
 * conditions, so that the two have to agree on every combination.
 */
function oracle(position: Position, chain: Chain, actor: Actor, command: Command): Expected {
  const last = chain.length - 1;
  if (command.type === 'submit') {
    if (actor.kind !== 'enterprise') return { refusal: 'enterprise_only' };
    if (position.state === 'pending') return { refusal: 'under_review' };
    if (position.state === 'stored') return { refusal: 'already_stored' };
    return { next: pendingAt(chain[0], 'enterprise_submitted'), action: 'submit', note: null };
  }
  if (command.type === 'reopen') {
    if (actor.kind !== 'enterprise') return { refusal: 'enterprise_only' };
    if (position.state === 'pending') return { refusal: 'under_review' };
    if (position.state !== 'stored') return { refusal: 'not_stored' };
    return { next: DRAFT, action: 'reopen', note: null };
  }
  if (actor.kind !== 'agency') return { refusal: 'agency_only' };
  const at = chain.indexOf(actor.agencyId);
  if (at < 0) return { refusal: 'agency_not_on_chain' };
  if (position.state !== 'pending' || position.agencyId !== actor.agencyId)
    return { refusal: 'not_pending_here' };
  if (command.type === 'approve') {
    if (position.arrival === 'upper_returned') return { refusal: 'approve_upper_returned' };
    const note = command.comment?.trim() || null;
    if (at === last) return { next: STORED, action: 'approve', note };
    return { next: pendingAt(chain[at + 1], 'lower_submitted'), action: 'approve', note };
  }
  const reason = command.reason.trim();
  if (reason === '') return { refusal: 'reason_required' };
  if (at === 0) return { next: RETURNED, action: 'return', note: reason };
  return { next: pendingAt(chain[at - 1], 'upper_returned'), action: 'return', note: reason };
}

function outcome(decision: Decision): Expected {
  return decision.ok
    ? { next: decision.next, action: decision.historyAction, note: decision.note }
    : { refusal: decision.refusal };
}

describe('decide: every position × actor × command, on every chain shape', () => {
  const seenRefusals = new Set<RefusalCode>();
  const seenStates = new Set<string>();
  let combinations = 0;

  for (const [name, chain] of Object.entries(CHAINS)) {
    describe(name, () => {
      const cases = positionsFor(chain).flatMap((position) =>
        actorsFor(chain).flatMap((actor) => COMMANDS.map((command) => ({ position, actor, command }))),
      );

      it('covers the whole cross product', () => {
        // (3 rest states + (chain + stranger) × 3 arrivals) × (enterprise + chain + stranger) × commands
        const positions = 3 + (chain.length + 1) * ARRIVALS.length;
        expect(cases).toHaveLength(positions * (chain.length + 2) * COMMANDS.length);
      });

      it.each(
        cases.map((c) => [
          describePosition(c.position),
          describeActor(c.actor),
          JSON.stringify(c.command),
          c,
        ]),
      )('%s, %s, %s', (_p, _a, _c, { position, actor, command }) => {
        const decision = decide(position, chain, actor, command);
        const expected = oracle(position, chain, actor, command);
        expect(outcome(decision)).toEqual(expected);
        if (decision.ok) {
          expect(isValidPosition(decision.next)).toBe(true);
          seenStates.add(describePosition(decision.next).split(' ')[0]);
        } else {
          expect(decision.message).toBe(REFUSAL_MESSAGES[decision.refusal]);
          seenRefusals.add(decision.refusal);
        }
        combinations += 1;
      });
    });
  }

  afterAll(() => {
    // Every refusal and every destination state was actually exercised.
    // 放弃变更 and 删除草稿 are not commands of `decide`: their refusals are tested below.
    const ofDecide = Object.keys(REFUSAL_MESSAGES).filter(
      (k) => !['no_open_change', 'not_a_new_draft'].includes(k),
    );
    expect([...seenRefusals].sort()).toEqual(ofDecide.sort());
    expect([...seenStates].sort()).toEqual([...STATES].sort());
    expect(combinations).toBeGreaterThan(1000);
  });
});

describe('decide: the rules in words (county → city → province → national)', () => {
  const chain: Chain = [4, 3, 2, NATIONAL];
  const [county, city, province] = chain;

  it('submit from draft or returned goes to the supervising agency as 企业提交', () => {
    for (const from of [DRAFT, RETURNED]) {
      expect(decide(from, chain, enterprise, { type: 'submit' })).toEqual({
        ok: true,
        next: pendingAt(county, 'enterprise_submitted'),
        historyAction: 'submit',
        note: null,
      });
    }
  });

  it('refuses a second submit while pending, with the exact message', () => {
    const d = decide(pendingAt(city, 'lower_submitted'), chain, enterprise, { type: 'submit' });
    expect(d).toEqual({
      ok: false,
      refusal: 'under_review',
      message: '该信息正在审核中，不能修改或重复提交',
    });
  });

  it('approve moves one level up as 下级报送, and stores at the root', () => {
    const up = decide(pendingAt(city, 'lower_submitted'), chain, agency(city), {
      type: 'approve',
      comment: ' 同意 ',
    });
    expect(up).toMatchObject({ ok: true, next: pendingAt(province, 'lower_submitted'), note: '同意' });
    const top = decide(pendingAt(NATIONAL, 'lower_submitted'), chain, agency(NATIONAL), { type: 'approve' });
    expect(top).toEqual({ ok: true, next: STORED, historyAction: 'approve', note: null });
  });

  it('return moves one level down as 上级退回, and back to the enterprise from the supervisor', () => {
    const down = decide(pendingAt(province, 'lower_submitted'), chain, agency(province), {
      type: 'return',
      reason: '数据不全',
    });
    expect(down).toMatchObject({
      ok: true,
      next: pendingAt(city, 'upper_returned'),
      historyAction: 'return',
    });
    const out = decide(pendingAt(county, 'upper_returned'), chain, agency(county), {
      type: 'return',
      reason: '数据不全',
    });
    expect(out).toMatchObject({ ok: true, next: RETURNED });
  });

  it('refuses to approve what the parent returned', () => {
    const d = decide(pendingAt(city, 'upper_returned'), chain, agency(city), { type: 'approve' });
    expect(d).toEqual({
      ok: false,
      refusal: 'approve_upper_returned',
      message: '上级退回的信息只能继续退回，不能审核通过',
    });
  });

  it('refuses a return without a reason, but only where a return would be allowed', () => {
    expect(
      decide(pendingAt(county, 'enterprise_submitted'), chain, agency(county), {
        type: 'return',
        reason: ' \n ',
      }),
    ).toEqual({ ok: false, refusal: 'reason_required', message: '请填写退回理由' });
    // Already handled matters more than the blank reason.
    expect(
      decide(pendingAt(city, 'lower_submitted'), chain, agency(county), { type: 'return', reason: '' }),
    ).toMatchObject({
      refusal: 'not_pending_here',
    });
  });

  it('refuses an agency acting on what is not pending at it (e.g. acting twice)', () => {
    const d = decide(pendingAt(city, 'lower_submitted'), chain, agency(county), { type: 'approve' });
    expect(d).toEqual({
      ok: false,
      refusal: 'not_pending_here',
      message: '该信息不在本单位待审核列表中，可能已被处理',
    });
    expect(decide(STORED, chain, agency(NATIONAL), { type: 'return', reason: 'x' })).toMatchObject({
      refusal: 'not_pending_here',
    });
  });

  it('refuses agencies off the chain even when the position names them', () => {
    expect(
      decide(pendingAt(STRANGER, 'lower_submitted'), chain, agency(STRANGER), { type: 'approve' }),
    ).toMatchObject({
      refusal: 'agency_not_on_chain',
    });
  });

  it('keeps filing to enterprises and reviewing to agencies', () => {
    expect(decide(DRAFT, chain, agency(county), { type: 'submit' })).toMatchObject({
      refusal: 'enterprise_only',
    });
    expect(
      decide(pendingAt(county, 'enterprise_submitted'), chain, enterprise, { type: 'approve' }),
    ).toMatchObject({
      refusal: 'agency_only',
    });
    expect(
      decide(pendingAt(county, 'enterprise_submitted'), chain, enterprise, { type: 'return', reason: 'x' }),
    ).toMatchObject({
      refusal: 'agency_only',
    });
  });

  it('throws on malformed input, which is a bug rather than a user error', () => {
    const broken = { state: 'pending', agencyId: null, arrival: null } as Position;
    expect(() => decide(broken, chain, enterprise, { type: 'submit' })).toThrow(/invalid position/);
    expect(() => decide(DRAFT, [], enterprise, { type: 'submit' })).toThrow(/invalid chain/);
    expect(() => decide(DRAFT, [4, 4], agency(4), { type: 'approve' })).toThrow(/invalid chain/);
  });
});

describe('a full journey', () => {
  const approve: Command = { type: 'approve' };
  const back = (reason: string): Command => ({ type: 'return', reason });

  function run(chain: Chain, steps: [Actor, Command, Position, string][]): void {
    let position: Position = DRAFT;
    for (const [actor, command, expected, action] of steps) {
      const d = decide(position, chain, actor, command);
      if (!d.ok) throw new Error(`refused ${describeActor(actor)} ${command.type}: ${d.message}`);
      expect(d.next).toEqual(expected);
      expect(d.historyAction).toBe(action);
      position = d.next;
    }
  }

  it('county chain: up to national, returned all the way down, resubmitted, stored', () => {
    const chain: Chain = [4, 3, 2, NATIONAL];
    const [county, city, province] = chain;
    run(chain, [
      [enterprise, { type: 'submit' }, pendingAt(county, 'enterprise_submitted'), 'submit'],
      [agency(county), approve, pendingAt(city, 'lower_submitted'), 'approve'],
      [agency(city), approve, pendingAt(province, 'lower_submitted'), 'approve'],
      [agency(province), approve, pendingAt(NATIONAL, 'lower_submitted'), 'approve'],
      [agency(NATIONAL), back('储量数据有误'), pendingAt(province, 'upper_returned'), 'return'],
      [agency(province), back('请核实储量'), pendingAt(city, 'upper_returned'), 'return'],
      [agency(city), back('请核实储量'), pendingAt(county, 'upper_returned'), 'return'],
      [agency(county), back('请更正储量后重新提交'), RETURNED, 'return'],
      [enterprise, { type: 'submit' }, pendingAt(county, 'enterprise_submitted'), 'submit'],
      [agency(county), approve, pendingAt(city, 'lower_submitted'), 'approve'],
      [agency(city), approve, pendingAt(province, 'lower_submitted'), 'approve'],
      [agency(province), approve, pendingAt(NATIONAL, 'lower_submitted'), 'approve'],
      [agency(NATIONAL), approve, STORED, 'approve'],
      [enterprise, { type: 'reopen' }, DRAFT, 'reopen'],
      [enterprise, { type: 'submit' }, pendingAt(county, 'enterprise_submitted'), 'submit'],
    ]);
  });

  it('offshore chain: 监督处 → 分部 → 海油安办 → national', () => {
    const [office, branch, hq] = CHAINS['监督处 → 分部 → 海油安办 → national'];
    const chain: Chain = [office, branch, hq, NATIONAL];
    run(chain, [
      [enterprise, { type: 'submit' }, pendingAt(office, 'enterprise_submitted'), 'submit'],
      [agency(office), approve, pendingAt(branch, 'lower_submitted'), 'approve'],
      [agency(branch), back('平台坐标缺失'), pendingAt(office, 'upper_returned'), 'return'],
      [agency(office), back('平台坐标缺失'), RETURNED, 'return'],
      [enterprise, { type: 'submit' }, pendingAt(office, 'enterprise_submitted'), 'submit'],
      [agency(office), approve, pendingAt(branch, 'lower_submitted'), 'approve'],
      [agency(branch), approve, pendingAt(hq, 'lower_submitted'), 'approve'],
      [agency(hq), approve, pendingAt(NATIONAL, 'lower_submitted'), 'approve'],
      [agency(NATIONAL), approve, STORED, 'approve'],
    ]);
  });

  it('national root supervising directly: one step each way', () => {
    run(
      [NATIONAL],
      [
        [enterprise, { type: 'submit' }, pendingAt(NATIONAL, 'enterprise_submitted'), 'submit'],
        [agency(NATIONAL), back('无主尾矿库信息不全'), RETURNED, 'return'],
        [enterprise, { type: 'submit' }, pendingAt(NATIONAL, 'enterprise_submitted'), 'submit'],
        [agency(NATIONAL), approve, STORED, 'approve'],
      ],
    );
  });
});

describe('reopenForChange', () => {
  it('turns a stored system into a draft of its change', () => {
    expect(reopenForChange(STORED)).toEqual({ ok: true, next: DRAFT, historyAction: 'reopen', note: null });
  });

  const cases: [Position, RefusalCode][] = [
    [DRAFT, 'not_stored'],
    [RETURNED, 'not_stored'],
    ...ARRIVALS.map((a): [Position, RefusalCode] => [pendingAt(3, a), 'under_review']),
  ];
  it.each(cases)('refuses from %o with %s', (position, code) => {
    expect(reopenForChange(position)).toMatchObject({
      ok: false,
      refusal: code,
      message: REFUSAL_MESSAGES[code],
    });
  });
});

describe('checkEdit', () => {
  it('allows editing exactly in draft and returned', () => {
    expect(checkEdit(DRAFT)).toEqual({ ok: true });
    expect(checkEdit(RETURNED)).toEqual({ ok: true });
    for (const a of ARRIVALS) expect(checkEdit(pendingAt(3, a))).toMatchObject({ refusal: 'under_review' });
    expect(checkEdit(STORED)).toMatchObject({ refusal: 'already_stored' });
  });
});

describe('allowedActions agrees with decide everywhere', () => {
  const probes: Record<Exclude<AllowedAction, 'edit'>, Command> = {
    submit: { type: 'submit' },
    reopen: { type: 'reopen' },
    approve: { type: 'approve' },
    return: { type: 'return', reason: '理由' },
  };

  for (const [name, chain] of Object.entries(CHAINS)) {
    it(name, () => {
      for (const position of positionsFor(chain)) {
        for (const actor of actorsFor(chain)) {
          const expected = (Object.keys(probes) as (keyof typeof probes)[]).filter(
            (k) => decide(position, chain, actor, probes[k]).ok,
          );
          const got = allowedActions(position, chain, actor);
          const editable =
            actor.kind === 'enterprise' && (position.state === 'draft' || position.state === 'returned');
          expect(got.filter((a) => a !== 'edit').sort()).toEqual(expected.sort());
          expect(got.includes('edit')).toBe(editable);
        }
      }
    });
  }

  it('gives the buttons one expects', () => {
    const chain: Chain = [4, 3, 2, NATIONAL];
    expect(allowedActions(DRAFT, chain, enterprise)).toEqual(['edit', 'submit']);
    expect(allowedActions(STORED, chain, enterprise)).toEqual(['reopen']);
    expect(allowedActions(pendingAt(3, 'lower_submitted'), chain, agency(3))).toEqual(['approve', 'return']);
    expect(allowedActions(pendingAt(3, 'upper_returned'), chain, agency(3))).toEqual(['return']);
    expect(allowedActions(pendingAt(3, 'lower_submitted'), chain, agency(4))).toEqual([]);
    expect(allowedActions(pendingAt(3, 'lower_submitted'), chain, enterprise)).toEqual([]);
  });
});

describe('labels and positions', () => {
  it('labels every state, arrival and action in Chinese', () => {
    expect(STATES.map(stateLabel)).toEqual(['草稿', '已退回', '审核中', '已入库']);
    expect(ARRIVALS.map(arrivalLabel)).toEqual(['企业提交', '下级报送', '上级退回']);
    expect(ACTIONS.map((a) => actionLabel(a))).toEqual([
      '企业提交',
      '审核通过',
      '退回',
      '发起变更',
      '确认无变化',
      '放弃变更',
    ]);
    expect(actionLabel('approve', 'pending')).toBe('审核通过');
    expect(actionLabel('approve', 'stored')).toBe('审核通过（入库）');
  });

  it('gives every refusal a Chinese message', () => {
    for (const message of Object.values(REFUSAL_MESSAGES)) expect(message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('validates the pending ⇔ agency ⇔ arrival invariant', () => {
    expect(isValidPosition(DRAFT)).toBe(true);
    expect(isValidPosition(pendingAt(3, 'upper_returned'))).toBe(true);
    expect(isValidPosition({ state: 'pending', agencyId: 3, arrival: null })).toBe(false);
    expect(isValidPosition({ state: 'stored', agencyId: 3, arrival: null })).toBe(false);
    expect(isValidPosition({ state: 'returned', agencyId: null, arrival: 'upper_returned' })).toBe(false);
    expect(isValidPosition({ state: 'archived', agencyId: null, arrival: null } as unknown as Position)).toBe(
      false,
    );
  });
});

describe('放弃变更 and 删除草稿', () => {
  it('discards only an unsubmitted change of a stored system, back to stored', () => {
    expect(discardChange(DRAFT, 2)).toMatchObject({ ok: true, next: STORED, historyAction: 'discard' });
    expect(discardChange(DRAFT, null)).toMatchObject({ ok: false, refusal: 'no_open_change' });
    expect(discardChange(RETURNED, 2)).toMatchObject({ ok: false, refusal: 'no_open_change' });
    expect(discardChange(STORED, 2)).toMatchObject({ ok: false, refusal: 'no_open_change' });
  });

  it('deletes only a draft that was never submitted', () => {
    expect(checkDelete(DRAFT, { latest: 0, stored: null }).ok).toBe(true);
    expect(checkDelete(DRAFT, { latest: 1, stored: null })).toMatchObject({ refusal: 'not_a_new_draft' });
    expect(checkDelete(DRAFT, { latest: 2, stored: 2 })).toMatchObject({ refusal: 'not_a_new_draft' });
    expect(checkDelete(RETURNED, { latest: 0, stored: null })).toMatchObject({ refusal: 'not_a_new_draft' });
  });
});
