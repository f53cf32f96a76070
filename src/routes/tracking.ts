import { readPagesOf } from '../middleware/readRouting';
import express, { type Router } from 'express';
import type { Services } from '../services';
import { backToList, paths } from '../paths';
import { currentRegulator } from '../middleware/currentUser';
import { parseTrackingQuery } from './queryParsers';
import { viewHelpers } from './viewHelpers';
import { idParam, idRoute } from './params';
import { noteFiltersNotUnderstood } from './listFilters';
import { urgeLink } from './backLinks';
import { trackingDetailView, trackingListView } from './viewModels/tracking';

// 统计与查询 — 信息追踪: what this agency approved or returned, and where it is now.
export function setUpTracking(services: Services): Router {
  const router = express.Router();

  router.get(paths.tracking.list(), async (req, res) => {
    const query = parseTrackingQuery(req.query as Record<string, unknown>);
    const list = await readPagesOf(res, services).tracking.list(currentRegulator(res), query);
    noteFiltersNotUnderstood(res, query.notUnderstood);
    res.render('pages/tracking/list', trackingListView(list));
  });

  router.get(idRoute(paths.tracking.show), async (req, res) => {
    const user = currentRegulator(res);
    const detail = await readPagesOf(res, services).tracking.detail(user, idParam(req.params.id));
    const [urges, mayUrge] = await Promise.all([
      services.urges.forSystem(detail.item.id),
      services.urges.mayUrge(user, detail.item.id),
    ]);
    res.render('pages/tracking/show', {
      ...trackingDetailView(detail, viewHelpers.dateTime, backToList(paths.tracking.list(), req.query.from)),
      urges,
      urgeHref: mayUrge ? urgeLink(detail.item.id, req.originalUrl) : null,
    });
  });

  return router;
}
