import type { HistoryEntry } from '../../services/history';
import type { EnterpriseMessage, EnterpriseSystem } from '../../services/filing';
import {
  categories,
  categoryLabel,
  fieldLabel,
  proposedTailingsGrade,
  TAILINGS_GRADES,
  validateSystem,
  type Category,
} from '../../domain/systems';
import { checkEdit, type Position } from '../../domain/workflow';
import { paths } from '../../paths';
import { positionLabel } from './history';
import { openReturnRound } from '../../domain/filingRounds';
import { stateTag, type TagView } from './labels';

/** What each category covers, for the create-new choice (user-facing copy, not a rule). */
export const CATEGORY_DESCRIPTIONS: Readonly<Record<Category, string>> = {
  underground: '金属、非金属矿产的井工开采矿山，含地下露天联合开采。',
  open_pit: '金属、非金属矿产的露天开采矿山，含小型露天采石场。',
  tailings: '贮存金属、非金属矿山尾矿的尾矿库（含停用、闭库的尾矿库）。',
  oil_gas_onshore: '陆上油田、气田、页岩气、煤层气的勘探开发和集输储运。',
  oil_gas_offshore: '海上油气田的生产设施，由海油安办及其分部、监督处监管。',
  exploration: '从事固体矿产地质勘探的单位及其野外作业队。',
  excavation: '承担井巷掘进、露天剥离等工程的采掘施工企业及其项目部。',
};

export interface CategoryCard {
  code: Category;
  label: string;
  description: string;
  href: string;
}

export const categoryCards = (): CategoryCard[] =>
  categories.map((c) => ({
    code: c.code,
    label: c.label,
    description: CATEGORY_DESCRIPTIONS[c.code],
    href: paths.enterprise.newSystem(c.code),
  }));

export interface SystemListItem {
  href: string;
  name: string;
  category: string;
  tag: TagView;
  version: string;
  updatedAt: Date;
  action: string;
}

function versionText(latest: number, stored: number | null): string {
  if (latest === 0) return '未提交';
  if (stored === null) return `第 ${latest} 版`;
  return stored === latest ? `第 ${latest} 版（已入库）` : `第 ${latest} 版（入库版本：第 ${stored} 版）`;
}

export function systemListItem(row: EnterpriseSystem): SystemListItem {
  const editable = row.state === 'draft' || row.state === 'returned';
  return {
    href: paths.enterprise.system(row.id),
    name: row.name,
    category: categoryLabel(row.category),
    tag: stateTag(row.state, row.currentAgencyName),
    version: versionText(row.latestVersion, row.storedVersion),
    updatedAt: row.updatedAt,
    action: row.state === 'returned' ? '修改并重新提交' : editable ? '继续填写' : '查看',
  };
}

export interface MessageView {
  tag: TagView;
  body: string;
  at: Date;
  unread: boolean;
  href: string;
}

export const messageView = (m: EnterpriseMessage): MessageView => ({
  tag:
    m.kind === 'returned'
      ? { label: '退回', tone: 'red' }
      : m.kind === 'reminder'
        ? { label: '提醒', tone: 'amber' }
        : m.kind === 'urge'
          ? { label: '催办', tone: 'red' }
          : { label: '入库', tone: 'green' },
  body: m.body,
  at: m.createdAt,
  unread: m.readAt === null,
  href: m.systemId === null ? paths.enterprise.home() : paths.enterprise.system(m.systemId),
});

export interface ReturnReasonView {
  agency: string;
  actor: string;
  at: Date;
  reason: string;
  fields: string[];
}

/**
 * The latest run of returns, in the order it came down (national first, the supervising agency
 * last), and the fields any of them pointed at.
 */
export function returnRunView(
  rows: readonly HistoryEntry[],
  category: string,
): { reasons: ReturnReasonView[]; flagged: string[] } {
  const run = openReturnRound(rows).reverse();
  const flagged = [...new Set(run.flatMap((r) => r.fields))];
  return {
    reasons: run.map((r) => ({
      agency: r.actorAgencyName ?? '',
      actor: r.actorName,
      at: r.at,
      reason: r.note ?? '',
      fields: r.fields.map((f) => fieldLabel(category, f)),
    })),
    flagged,
  };
}

const gradeLabel = (grade: number): string =>
  TAILINGS_GRADES.find((g) => g.value === String(grade))?.label ?? '';

/** The tailings grade the design capacity and dam height call for, as the form shows it. */
export function gradeProposal(category: string, values: Record<string, unknown>): string | null {
  if (category !== 'tailings') return null;
  const grade = proposedTailingsGrade(values);
  return grade === null
    ? '填写设计总库容和设计总坝高后，系统将给出按标准计算的等别。'
    : `按设计总库容和设计总坝高计算应为${gradeLabel(grade)}（一等库须经专家论证确定）。`;
}

/** Warnings (cross-field, never blocking) of what the form shows, e.g. the grade mismatch. */
export function formWarnings(category: Category, values: Record<string, unknown>, ownerless: boolean) {
  return validateSystem(category, values, 'draft', { ownerless }).warnings;
}

export interface SystemStatusView {
  tag: TagView;
  /** The agency holding a pending system and how it got there; null when not pending. */
  where: string | null;
  version: string;
  editable: boolean;
  canChange: boolean;
  /** About the stored version while a change is open, or null. */
  storedNote: string | null;
}

export function systemStatusView(s: {
  position: Position;
  currentAgencyName: string | null;
  latestVersion: number;
  storedVersion: number | null;
}): SystemStatusView {
  const { state, arrival } = s.position;
  const changeOpen = s.storedVersion !== null && state !== 'stored';
  return {
    // The agency is said under 当前位置, with how it got there.
    tag: stateTag(state),
    where: state === 'pending' ? positionLabel(state, s.currentAgencyName, arrival) : null,
    version: versionText(s.latestVersion, s.storedVersion),
    editable: checkEdit(s.position).ok,
    canChange: state === 'stored',
    storedNote: changeOpen
      ? `本系统正在变更。已入库的第 ${s.storedVersion} 版在本次变更审核入库前仍为有效版本，各级安监部门查询到的仍是该版本。`
      : null,
  };
}
