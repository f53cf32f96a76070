import { readPagesOf } from '../middleware/readRouting';
import express, { type Response, type Router } from 'express';
import type { Services } from '../services';
import { backToList, paths } from '../paths';
import { currentRegulator } from '../middleware/currentUser';
import { idParam, idRoute } from './params';
import { parseStoredQuery } from './queryParsers';
import { noteFiltersNotUnderstood, refuseNotUnderstood } from './listFilters';
import { sendXlsx } from './xlsx';
import { viewHelpers } from './viewHelpers';
import { storedDetailView, storedListView } from './viewModels/stored';

// 统计与查询 — 已入库信息查询: the list with its filters, the detail, the Excel export.
export function setUpStored(services: Services): Router {
  const router = express.Router();

  router.get(paths.stored.list(), async (req, res) => {
    const query = parseStoredQuery(req.query as Record<string, unknown>);
    const list = await readPagesOf(res, services).stored.list(currentRegulator(res), query);
    noteFiltersNotUnderstood(res, query.notUnderstood);
    res.render('pages/stored/list', storedListView(list));
  });

  router.get(paths.stored.xlsx(), async (req, res: Response) => {
    const query = parseStoredQuery(req.query as Record<string, unknown>);
    refuseNotUnderstood(query.notUnderstood); // refused before anything is recorded
    const user = currentRegulator(res);
    const exported = await readPagesOf(res, services).stored.prepareExport(user, query);
    // Recorded on the primary (the read pages may be on the replica).
    await services.auditLog.exported({ id: user.id, address: req.ip ?? null }, 'stored', exported.audit);
    await sendXlsx(res, { ...exported, fallback: 'stored-systems.xlsx' });
  });

  router.get(idRoute(paths.stored.show), async (req, res) => {
    const detail = await readPagesOf(res, services).stored.detail(
      currentRegulator(res),
      idParam(req.params.id),
    );
    const round = await services.campaign.roundStanding(idParam(req.params.id));
    res.render('pages/stored/show', {
      ...storedDetailView(detail, viewHelpers.dateTime, backToList(paths.stored.list(), req.query.from)),
      round,
    });
  });

  return router;
}
