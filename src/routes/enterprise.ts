import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../services';
import type { SystemPage } from '../services/filing';
import { paths, withQuery } from '../paths';
import { enterpriseSections, OFFSHORE_OPERATOR } from '../domain/enterprise';
import { NotFound, ValidationFailed } from '../domain/errors';
import { isCategory, type Category } from '../domain/systems';
import { currentEnterprise } from '../middleware/currentUser';
import { idOf, idRoute, pageParam, seqParam } from './params';
import { flash } from '../middleware/flash';
import { formBody, isRefresh } from './forms';
import { formValues, formView } from './viewModels/systemForm';
import { categoryCards, messageView, systemListItem } from './viewModels/filing';
import { newSystemView, systemPageView, SUBMIT_REFUSED_NOTICE, type Notice } from './viewModels/systemPage';
import { paginationView, PAGE_SIZE } from './viewModels/pagination';

// Route patterns, from the paths.ts functions the links are built with.
const SYSTEMS = paths.enterprise.systems();
const NEW = paths.enterprise.newSystem();
const SYSTEM = idRoute(paths.enterprise.system);
const SUBMIT = idRoute(paths.enterprise.submit);
const CHANGE = idRoute(paths.enterprise.change);

function categoryParam(raw: unknown): Category {
  if (!isCategory(raw)) throw new NotFound('没有这种生产系统类别，请从列表中选择');
  return raw;
}

/** The system form was posted with it (the submit button of the form, not a bare action). */
const carriesForm = (body: Record<string, unknown>): boolean => typeof body.category === 'string';

const PROFILE_HELP = {
  credit_code: '统一社会信用代码是企业在本系统中的唯一标识，注册后不能修改。如确需更正，请联系直接监管部门。',
};

// 企业填报: the enterprise home, 企业基本信息 and the production systems (SPEC §5).
/** Why a system is listed under the deadline on the enterprise home. */
const OUTSTANDING_LABELS = {
  draft: '尚未提交',
  returned: '已退回，待修改后重新提交',
  unconfirmed: '年度复查：待确认无变化，或发起变更',
} as const;

export function setUpEnterprise(services: Services): Router {
  const router = express.Router();
  const { filing, registration } = services;

  // ---------------------------------------------------------------------------------------------
  // Home

  router.get(paths.enterprise.home(), async (req, res) => {
    const page = pageParam(req.query.page);
    const home = await filing.home(currentEnterprise(res), {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    res.render('pages/enterprise/home', {
      title: '生产系统',
      enterprise: home.enterprise,
      supervisingAgencyName: home.supervisingAgency?.name ?? '—',
      systems: home.systems.map(systemListItem),
      total: home.total,
      pagination: paginationView(home.total, page, (p) => withQuery(paths.enterprise.home(), { page: p })),
      messages: home.messages.map(messageView),
      filing: home.filing && {
        ...home.filing,
        outstanding: home.filing.outstanding.map((o) => ({
          name: o.name,
          href: paths.enterprise.system(o.id),
          state: OUTSTANDING_LABELS[o.state],
        })),
      },
      categories: categoryCards(),
    });
  });

  // ---------------------------------------------------------------------------------------------
  // 企业基本信息

  async function renderProfile(
    res: Response,
    status: number,
    values: Record<string, unknown> | null,
    errors: Record<string, string> = {},
  ): Promise<void> {
    const enterprise = await registration.profile(currentEnterprise(res));
    const offshore = enterprise.offshoreOperator;
    const shown = values ?? {
      ...formValues(enterpriseSections, enterprise.values),
      [OFFSHORE_OPERATOR]: String(offshore),
    };
    const options = values
      ? await registration.formOptions(values)
      : await registration.storedFormOptions(enterprise.regionCode, offshore);
    const view = formView(enterpriseSections, {
      values: { ...shown, credit_code: enterprise.creditCode },
      errors,
      ...options,
      readonly: ['credit_code'],
      checkboxes: ['ownerless', OFFSHORE_OPERATOR],
      help: PROFILE_HELP,
    });
    res.status(status).render('pages/enterprise/profile', {
      title: '企业基本信息',
      breadcrumbs: [{ label: '生产系统', href: paths.enterprise.home() }, { label: '企业基本信息' }],
      view,
      enterprise,
      pageScripts: ['filing.js'],
    });
  }

  router.get(paths.enterprise.profile(), async (_req, res) => renderProfile(res, 200, null));

  router.post(paths.enterprise.profile(), async (req, res) => {
    const body = formBody(req);
    if (isRefresh(body)) return renderProfile(res, 200, body);
    try {
      await registration.updateProfile(currentEnterprise(res), body);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return renderProfile(res, 422, { ...err.values }, { ...err.errors });
    }
    flash(req, 'success', '企业基本信息已保存。');
    res.redirect(paths.enterprise.profile());
  });

  // ---------------------------------------------------------------------------------------------
  // Production systems

  async function renderNew(
    res: Response,
    status: number,
    category: Category,
    posted?: Record<string, unknown>,
    errors: Record<string, string> = {},
    notice?: Notice,
  ): Promise<void> {
    const user = currentEnterprise(res);
    const page = await filing.newSystem(user, category, posted);
    const view = newSystemView(category, page, {
      values: posted ?? {},
      errors,
      ownerless: user.ownerless,
      notice,
    });
    res.status(status).render('pages/enterprise/system', {
      title: view.title,
      breadcrumbs: view.breadcrumbs,
      view,
      pageScripts: ['filing.js'],
    });
  }

  async function renderSystem(
    res: Response,
    status: number,
    page: SystemPage,
    form?: { values: Record<string, unknown>; errors: Record<string, string> },
    notice?: Notice,
  ): Promise<void> {
    const view = systemPageView(page, { form, ownerless: currentEnterprise(res).ownerless, notice });
    const round = await services.campaign.roundStanding(page.system.id);
    res.status(status).render('pages/enterprise/system', {
      title: view.title,
      breadcrumbs: view.breadcrumbs,
      view,
      round,
      confirmAction:
        round.open && !round.open.how && page.system.state === 'stored'
          ? paths.enterprise.confirm(page.system.id)
          : null,
      pageScripts: ['filing.js'],
    });
  }

  router.get(NEW, async (req, res) => {
    if (req.query.category === undefined) {
      return res.render('pages/enterprise/chooseCategory', {
        title: '新建生产系统',
        breadcrumbs: [{ label: '生产系统', href: paths.enterprise.home() }, { label: '新建生产系统' }],
        categories: categoryCards(),
      });
    }
    await renderNew(res, 200, categoryParam(req.query.category));
  });

  router.post(SYSTEMS, async (req, res) => {
    const body = formBody(req);
    const category = categoryParam(body.category);
    if (isRefresh(body)) return renderNew(res, 200, category, body);
    const user = currentEnterprise(res);
    const submitting = body.intent === 'submit';
    let id: number;
    try {
      id = await filing.createDraft(user, category, body, { mode: submitting ? 'submit' : 'draft' });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const notice = submitting ? SUBMIT_REFUSED_NOTICE : undefined;
      return renderNew(res, 422, category, { ...err.values }, { ...err.errors }, notice);
    }
    if (body.intent === 'submit') return submitAndRedirect(req, res, id, body);
    flash(req, 'success', '草稿已保存。填写完整后可提交审核。');
    res.redirect(paths.enterprise.system(id));
  });

  router.get(SYSTEM, async (req, res) => {
    await renderSystem(res, 200, await filing.systemPage(currentEnterprise(res), idOf(req)));
  });

  /**
   * Saves the posted draft; on invalid input renders the form again (422) and returns false. In
   * 'submit' mode (the first step of 提交审核) every rule is checked before anything is saved.
   */
  async function saveDraft(
    res: Response,
    id: number,
    body: Record<string, unknown>,
    mode: 'draft' | 'submit' = 'draft',
  ): Promise<boolean> {
    const user = currentEnterprise(res);
    try {
      await filing.saveDraft(user, id, body, { expectedSeq: seqParam(body), mode });
      return true;
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      const form = { values: { ...err.values }, errors: { ...err.errors } };
      const notice = mode === 'submit' ? SUBMIT_REFUSED_NOTICE : undefined;
      await renderSystem(res, 422, await filing.systemPage(user, id, err.values), form, notice);
      return false;
    }
  }

  async function submitAndRedirect(req: Request, res: Response, id: number, body: Record<string, unknown>) {
    const user = currentEnterprise(res);
    try {
      await filing.submit(user, id, { expectedSeq: seqParam(body) });
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      // Nothing submitted: the form again, every missing or inconsistent field marked.
      const posted = carriesForm(body) ? body : undefined;
      return renderSystem(res, 422, await filing.systemPage(user, id, posted), {
        values: posted ?? { ...err.values },
        errors: { ...err.errors },
      });
    }
    flash(req, 'success', '已提交审核。审核期间不能修改；审核结果将在首页“站内消息”中通知。');
    res.redirect(paths.enterprise.system(id));
  }

  router.post(SYSTEM, async (req, res) => {
    const id = idOf(req);
    const body = formBody(req);
    if (isRefresh(body)) {
      const page = await filing.systemPage(currentEnterprise(res), id, body);
      return renderSystem(res, 200, page, { values: body, errors: {} });
    }
    if (!(await saveDraft(res, id, body))) return;
    flash(req, 'success', '草稿已保存。');
    res.redirect(paths.enterprise.system(id));
  });

  router.post(SUBMIT, async (req, res) => {
    const id = idOf(req);
    const body = formBody(req);
    // The form's 提交审核 button posts what is on screen: save it first, then submit.
    if (carriesForm(body) && !(await saveDraft(res, id, body, 'submit'))) return;
    await submitAndRedirect(req, res, id, body);
  });

  router.post(CHANGE, async (req, res) => {
    const id = idOf(req);
    await filing.change(currentEnterprise(res), id, { expectedSeq: seqParam(formBody(req)) });
    flash(req, 'success', '已发起变更。请修改后重新提交审核；变更入库前，原入库版本仍然有效。');
    res.redirect(paths.enterprise.system(id));
  });

  router.post(idRoute(paths.enterprise.discard), async (req, res) => {
    const id = idOf(req);
    await filing.discardChange(currentEnterprise(res), id, { expectedSeq: seqParam(formBody(req)) });
    flash(req, 'success', '已放弃变更，本系统恢复为已入库版本。');
    res.redirect(paths.enterprise.system(id));
  });

  router.post(idRoute(paths.enterprise.deleteDraft), async (req, res) => {
    const name = await filing.deleteDraft(currentEnterprise(res), idOf(req), {
      expectedSeq: seqParam(formBody(req)),
    });
    flash(req, 'success', `草稿“${name}”已删除。`);
    res.redirect(paths.enterprise.home());
  });

  router.post(idRoute(paths.enterprise.confirm), async (req, res) => {
    const id = idOf(req);
    await services.workflow.confirm(currentEnterprise(res), id, { expectedSeq: seqParam(formBody(req)) });
    flash(req, 'success', '已确认本系统无变化，已记入本系统的审核记录。');
    res.redirect(paths.enterprise.system(id));
  });

  return router;
}
