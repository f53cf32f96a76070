import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../services';
import { backToList, paths } from '../paths';
import { currentUser } from '../middleware/currentUser';
import type { AuditViewer } from '../services/auditLog';
import { parseAuditQuery } from './queryParsers';
import { idOf, idRoute } from './params';
import { noteFiltersNotUnderstood, refuseNotUnderstood } from './listFilters';
import { sendXlsx } from './xlsx';
import { viewHelpers } from './viewHelpers';
import { auditDetailView, auditListView } from './viewModels/audit';

const viewerOf = (req: Request, res: Response): AuditViewer => ({
  id: currentUser(res).id,
  address: req.ip ?? null,
});

// 安全审计 (the 审计管理员's, read only): the log, one row, the export of the filtered set.
export function setUpAudit(services: Services): Router {
  const router = express.Router();
  const { auditLog } = services;

  router.get(paths.audit.list(), async (req, res) => {
    const query = parseAuditQuery(req.query as Record<string, unknown>);
    const list = await auditLog.list(viewerOf(req, res), query);
    noteFiltersNotUnderstood(res, query.notUnderstood);
    res.render('pages/audit/list', auditListView(list));
  });

  router.get(paths.audit.xlsx(), async (req, res) => {
    const query = parseAuditQuery(req.query as Record<string, unknown>);
    refuseNotUnderstood(query.notUnderstood);
    const exported = await auditLog.prepareExport(viewerOf(req, res), query);
    await sendXlsx(res, { ...exported, fallback: 'audit-log.xlsx' });
  });

  router.get(idRoute(paths.audit.show), async (req, res) => {
    const row = await auditLog.detail(viewerOf(req, res), idOf(req));
    res.render(
      'pages/audit/show',
      auditDetailView(row, backToList(paths.audit.list(), req.query.from), viewHelpers.dateTime),
    );
  });

  return router;
}
