import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../services';
import { backToList, paths } from '../paths';
import { Conflict, NotFound, ValidationFailed } from '../domain/errors';
import { isConfirmed, parseApproveForm, parseReturnForm, type ReviewFormValues } from '../domain/reviewForms';
import { bulkQuestion, movedMessage } from '../domain/reviewOutcome';
import type { Moved } from '../services/workflow';
import { currentRegulator } from '../middleware/currentUser';
import { idOf, idRoute, seqParam } from './params';
import { flash } from '../middleware/flash';
import { noteFiltersNotUnderstood } from './listFilters';
import { urgeLink } from './backLinks';
import { historyPanelView, parseListParams, pendingListView, reviewDetailView } from './viewModels/review';

// Route patterns, from the paths.ts functions the links are built with.
const BASE = paths.review.list();
const SHOW = idRoute(paths.review.show);

/** Only a path inside the pending list may be gone back to (never an open redirect). */
function backTo(body: unknown): string {
  const back = (body as Record<string, unknown> | undefined)?.back;
  return typeof back === 'string' && /^\/review(\?[^#\s]*)?$/.test(back) ? back : paths.review.list();
}

/** The pending list a detail was opened from: `from` in its URL, or in the form posted from it. */
function listOpenedFrom(req: Request): string {
  const from = req.query.from ?? (req.body as Record<string, unknown> | undefined)?.from;
  return backToList(paths.review.list(), from);
}

// 审核与报送: 待审核 list, 详情 with the approve and return forms, bulk approve.
export function setUpReview(services: Services): Router {
  const router = express.Router();
  const { review } = services;

  router.get(BASE, async (req, res) => {
    const user = currentRegulator(res);
    const agencyId = user.agencyId;
    const params = parseListParams(req.query as Record<string, unknown>);
    const [list, options, panel] = await Promise.all([
      review.pendingList(agencyId, params),
      review.listOptions(agencyId),
      params.selected === undefined
        ? null
        : review.history(user, params.selected).catch((err: unknown) => {
            // A selected id outside the jurisdiction shows nothing, exactly like a wrong one.
            if (err instanceof NotFound) return null;
            throw err;
          }),
    ]);
    noteFiltersNotUnderstood(res, params.notUnderstood);
    res.render('pages/review/list', {
      title: '待审核',
      urgeNotices: await services.urges.openFor(user),
      view: pendingListView(params, list, options, panel),
      // 总局's approvals store: the question says so ({n}: how many are ticked).
      bulkQuestion: bulkQuestion('{n}', user.agencyLevel === 'national'),
      pageScripts: ['review.js'],
    });
  });

  router.post(paths.review.bulkApprove(), async (req, res) => {
    const back = backTo(req.body);
    const user = currentRegulator(res);
    let results;
    try {
      // Without the browser's confirm the server asks first, with the items and their count.
      if (!isConfirmed(req.body)) {
        const items = await review.bulkItems(user, req.body);
        return res.render('pages/review/bulkConfirm', {
          title: '确认批量审核通过',
          items,
          backHref: back,
          question: bulkQuestion(items.length, user.agencyLevel === 'national'),
          breadcrumbs: [{ label: '待审核', href: back }, { label: '确认批量审核通过' }],
        });
      }
      results = await review.bulkApprove(user, req.body, req.ip ?? null);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      flash(req, 'error', err.userMessage);
      return res.redirect(back);
    }
    const done = results.filter((r) => r.ok);
    const refused = results.filter((r) => !r.ok);
    const summary = `批量审核通过：成功 ${done.length} 项${refused.length ? `，失败 ${refused.length} 项` : ''}。`;
    flash(req, refused.length ? 'info' : 'success', summary);
    // Successes share a destination (this agency's parent, or 入库): one line each, names listed.
    const byOutcome = new Map<string, typeof done>();
    for (const r of done) byOutcome.set(r.message, [...(byOutcome.get(r.message) ?? []), r]);
    for (const [outcome, items] of byOutcome)
      flash(req, 'success', `成功（${outcome}）：${items.map((r) => `“${r.name}”`).join('、')}`);
    for (const r of refused) flash(req, 'error', `“${r.name}” 失败：${r.message}`);
    res.redirect(back);
  });

  async function renderDetail(
    req: Request,
    res: Response,
    extra: {
      form?: Partial<ReviewFormValues>;
      errors?: Record<string, string>;
      conflict?: string;
      confirming?: { seq: number | undefined };
    } = {},
  ) {
    const user = currentRegulator(res);
    const detail = await review.detail(user, idOf(req));
    const [urges, mayUrge] = await Promise.all([
      services.urges.forSystem(detail.system.id),
      services.urges.mayUrge(user, detail.system.id),
    ]);
    const view = reviewDetailView(detail, {
      changesOnly: req.query.changes === 'only',
      backHref: listOpenedFrom(req),
      ...extra,
    });
    res.render('pages/review/detail', {
      title: `审核详情：${view.name}`,
      view,
      errors: view.errors,
      labels: { reason: '退回理由', comment: '审核意见', fields: '问题字段' },
      breadcrumbs: [{ label: '待审核', href: view.backHref }, { label: view.name }],
      pageScripts: ['review.js'],
      urges,
      urgeHref: mayUrge ? urgeLink(detail.system.id, req.originalUrl) : null,
    });
  }

  router.get(SHOW, (req, res) => renderDetail(req, res));

  router.get(idRoute(paths.review.history), async (req, res) => {
    const h = await review.history(currentRegulator(res), idOf(req));
    res.render('pages/review/historyPanel', { panel: historyPanelView(h, null, listOpenedFrom(req)) });
  });

  /** The hidden `seq` of the page acted on; malformed is a bad request (400). */
  function seqOf(req: Request): number | undefined {
    const seq = seqParam(req.body);
    return seq;
  }

  /** Runs an action; a form error re-renders the detail (422), a lost race shows it as it is now (409). */
  const act =
    (action: 'approve' | 'return') =>
    async (req: Request, res: Response): Promise<void> => {
      const id = idOf(req);
      const user = currentRegulator(res);
      // 总局's approval stores: without the browser's confirm, the page asks before anything moves.
      if (action === 'approve' && user.agencyLevel === 'national' && !isConfirmed(req.body)) {
        const form = parseApproveForm(req.body);
        return renderDetail(req, res, { form: form.values, confirming: { seq: seqOf(req) } });
      }
      let moved: Moved;
      try {
        const seq = seqOf(req);
        moved =
          action === 'approve'
            ? await review.approve(user, id, parseApproveForm(req.body), seq, req.ip ?? null)
            : await review.return(user, id, (codes) => parseReturnForm(req.body, codes), seq, req.ip ?? null);
      } catch (err) {
        if (err instanceof ValidationFailed) {
          res.status(422);
          return renderDetail(req, res, {
            form: err.values as Partial<ReviewFormValues>,
            errors: { ...err.errors },
          });
        }
        if (err instanceof Conflict) {
          res.status(409);
          return renderDetail(req, res, { conflict: err.userMessage });
        }
        throw err;
      }
      flash(req, 'success', movedMessage(action, moved.systemName, moved.to));
      res.redirect(listOpenedFrom(req)); // the same filtered list, to go on with the next item
    };

  router.post(idRoute(paths.review.approve), act('approve'));
  router.post(idRoute(paths.review.return), act('return'));

  return router;
}
