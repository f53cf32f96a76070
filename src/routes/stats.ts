import { readPagesOf } from '../middleware/readRouting';
import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { currentRegulator } from '../middleware/currentUser';
import { CENSUS_DEFINITIONS, parseSort } from '../domain/stats';
import { statsPageView } from './viewModels/stats';
import { statsWorkbook, statsWorkbookName } from './viewModels/statsWorkbook';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// 统计与查询 — 统计分析 (SPEC §7): census progress per subordinate region, the safety picture
// of the stored systems, server-rendered charts, and the same tables as .xlsx. `?region=` (an
// agency code, or id) drills down inside the user's jurisdiction; outside it answers 404.
export function setUpStats(services: Services): Router {
  const router = express.Router();

  router.get(paths.stats.show(), async (req, res) => {
    const sort = parseSort(req.query.sort);
    const report = await readPagesOf(res, services).stats.report(currentRegulator(res), req.query.region);
    res.render('pages/stats/show', {
      title: '统计分析',
      definitions: CENSUS_DEFINITIONS,
      ...statsPageView(report, sort),
    });
  });

  router.get(paths.stats.xlsx(), async (req, res) => {
    const sort = parseSort(req.query.sort);
    const report = await readPagesOf(res, services).stats.report(currentRegulator(res), req.query.region);
    const workbook = statsWorkbook(report, sort);
    // The rows of the file (each sheet's, its header row aside) go to the audit with its filters.
    const rows = workbook.worksheets.reduce((n, sheet) => n + Math.max(0, sheet.rowCount - 1), 0);
    // Recorded on the primary (the read pages may be on the replica).
    await services.auditLog.exported({ id: currentRegulator(res).id, address: req.ip ?? null }, 'stats', {
      filters: { region: report.scope.code, sort: `${sort.descending ? '-' : ''}${sort.key}` },
      scope: report.scope.name,
      rows,
    });
    res.attachment(statsWorkbookName(report));
    res.type(XLSX_TYPE);
    res.setHeader('Cache-Control', 'no-store');
    await workbook.xlsx.write(res);
    res.end();
  });

  return router;
}
