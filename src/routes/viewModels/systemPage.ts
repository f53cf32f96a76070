import { categoryByCode, proposedTailingsGrade, type Category } from '../../domain/systems';
import type { NewSystemPage, SystemPage } from '../../services/filing';
import { paths } from '../../paths';
import { checkDelete, discardChange } from '../../domain/workflow';
import { formWarnings, gradeProposal, returnRunView, systemStatusView } from './filing';
import type { ReturnReasonView, SystemStatusView } from './filing';
import { historyView, type HistoryEntryView } from './history';
import { regionNameOf, systemDataView, withRegionNames, type DataSectionView } from './systemData';
import { formValues, formView, type FormView } from './systemForm';

export interface Breadcrumb {
  label: string;
  href?: string;
}

export interface Notice {
  kind: 'info' | 'warning';
  text: string;
}

/** Everything views/pages/enterprise/system.ejs shows, for a new system or an existing one. */
export interface SystemPageView {
  title: string;
  breadcrumbs: Breadcrumb[];
  category: Category;
  categoryLabel: string;
  isNew: boolean;
  /** Where 保存草稿 posts. */
  saveAction: string;
  /** Where 提交审核 posts (null on a new system: it posts to saveAction with intent=submit). */
  submitAction: string | null;
  seq: number | null;
  status: SystemStatusView | null;
  returnReasons: ReturnReasonView[];
  form: FormView | null;
  frozen: { title: string; version: number; submittedAt: Date; sections: DataSectionView[] } | null;
  submitLabel: string;
  changeAction: string | null;
  /** 删除草稿 (never submitted) or 放弃变更 (an unsubmitted change): where it posts, what it says. */
  dropAction: { href: string; label: string; question: string } | null;
  history: HistoryEntryView[] | null;
  notices: Notice[];
  /** Who will review a submission. */
  reviewerName: string;
}

/** Said above the form when 提交审核 was refused: the refusal saved nothing, the typed values are kept. */
export const SUBMIT_REFUSED_NOTICE: Notice = {
  kind: 'warning',
  text: '未提交审核，本次填写也未保存为草稿。填写的内容仍在表单中：请按下列提示修改后再提交；如需先保存，请点击“保存草稿”。',
};

const HOME: Breadcrumb = { label: '生产系统', href: paths.enterprise.home() };

function offshoreNotice(category: Category, page: NewSystemPage): Notice[] {
  if (category !== 'oil_gas_offshore' || page.supervisingAgency?.level === 'offshore') return [];
  return [
    {
      kind: 'warning',
      text: `海洋石油天然气生产系统由海油安办及其所属分部、监督处监管。贵企业的直接监管部门目前是“${page.supervisingAgency?.name ?? '—'}”，提交后将由其审核。如贵企业是海上油气作业者，请先在“企业基本信息”中将直接监管部门改为相应的海油安办监督处。`,
    },
  ];
}

/** An unanswered 尾矿库等别 starts at the grade the design figures call for; the filer may change it. */
function withProposedGrade(category: Category, values: Record<string, unknown>): Record<string, unknown> {
  if (category !== 'tailings' || (typeof values.grade === 'string' && values.grade !== '')) return values;
  const proposed = proposedTailingsGrade(values);
  return proposed === null ? values : { ...values, grade: String(proposed) };
}

function editorForm(
  category: Category,
  values: Record<string, unknown>,
  opts: {
    errors?: Record<string, string>;
    flagged?: readonly string[];
    ownerless: boolean;
    page: NewSystemPage;
  },
): FormView {
  const def = categoryByCode(category)!;
  const grade = gradeProposal(category, values);
  return formView(def.sections, {
    values: withProposedGrade(category, values),
    errors: opts.errors,
    warnings: formWarnings(category, values, opts.ownerless),
    notes: grade ? { grade } : {},
    flagged: opts.flagged,
    picker: opts.page.picker,
  });
}

function dropAction(s: SystemPage['system']): SystemPageView['dropAction'] {
  const { position } = s;
  if (checkDelete(position, { latest: s.latestVersion, stored: s.storedVersion }).ok)
    return {
      href: paths.enterprise.deleteDraft(s.id),
      label: '删除草稿',
      question: '删除后草稿内容不能恢复。确定删除该草稿吗？',
    };
  if (discardChange(position, s.storedVersion).ok)
    return {
      href: paths.enterprise.discard(s.id),
      label: '放弃变更',
      question: `放弃后，本次变更填写的内容将丢弃，恢复为已入库的第 ${s.storedVersion} 版。确定放弃变更吗？`,
    };
  return null;
}

export function newSystemView(
  category: Category,
  page: NewSystemPage,
  opts: {
    values: Record<string, unknown>;
    errors: Record<string, string>;
    ownerless: boolean;
    notice?: Notice;
  },
): SystemPageView {
  const label = categoryByCode(category)!.label;
  return {
    title: `新建${label}`,
    breadcrumbs: [HOME, { label: `新建${label}` }],
    category,
    categoryLabel: label,
    isNew: true,
    saveAction: paths.enterprise.systems(),
    submitAction: null,
    submitLabel: '保存并提交审核',
    seq: null,
    status: null,
    returnReasons: [],
    form: editorForm(category, opts.values, { errors: opts.errors, ownerless: opts.ownerless, page }),
    frozen: null,
    changeAction: null,
    dropAction: null,
    history: null,
    notices: [...(opts.notice ? [opts.notice] : []), ...offshoreNotice(category, page)],
    reviewerName: page.supervisingAgency?.name ?? '直接监管部门',
  };
}

export function systemPageView(
  page: SystemPage,
  opts: {
    form?: { values: Record<string, unknown>; errors: Record<string, string> };
    ownerless: boolean;
    notice?: Notice;
  },
): SystemPageView {
  const { system } = page;
  const category = system.category;
  const def = categoryByCode(category)!;
  const status = systemStatusView({ ...system, currentAgencyName: page.currentAgencyName });
  const run =
    system.state === 'returned' ? returnRunView(page.history, category) : { reasons: [], flagged: [] };
  const notices: Notice[] = opts.notice ? [opts.notice] : [];
  if (status.storedNote) notices.push({ kind: 'info', text: status.storedNote });
  if (status.editable) notices.push(...offshoreNotice(category, page));
  const values = opts.form?.values ?? formValues(def.sections, system.draftData);
  return {
    title: system.name,
    breadcrumbs: [HOME, { label: system.name }],
    category,
    categoryLabel: def.label,
    isNew: false,
    saveAction: paths.enterprise.system(system.id),
    submitAction: paths.enterprise.submit(system.id),
    seq: system.seq,
    status,
    returnReasons: run.reasons,
    form: status.editable
      ? editorForm(category, values, {
          errors: opts.form?.errors,
          flagged: run.flagged,
          ownerless: opts.ownerless,
          page,
        })
      : null,
    frozen:
      !status.editable && page.latest
        ? {
            title: system.state === 'stored' ? '已入库的内容' : '已提交的内容',
            version: page.latest.version,
            submittedAt: page.latest.submittedAt,
            sections: withRegionNames(
              systemDataView(category, page.latest.data),
              category,
              regionNameOf(page.latest.data, page.latestRegionName),
            ),
          }
        : null,
    submitLabel: system.state === 'returned' ? '重新提交审核' : '提交审核',
    changeAction: status.canChange ? paths.enterprise.change(system.id) : null,
    dropAction: dropAction(system),
    history: historyView(page.history, category),
    notices,
    reviewerName: page.supervisingAgency?.name ?? '直接监管部门',
  };
}
