import { readPagesOf } from '../middleware/readRouting';
import express, { type Response, type Router } from 'express';
import type { Services } from '../services';
import { backToList, paths } from '../paths';
import { currentRegulator } from '../middleware/currentUser';
import { idParam } from './params';
import { parseStoredQuery } from '../services/stored';
import { refuseNotUnderstood } from '../services/queryParams';
import { noteFiltersNotUnderstood } from './listFilters';
import { logger } from '../logger';
import { viewHelpers } from './viewHelpers';
import { storedDetailView, storedListView } from './viewModels/stored';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** RFC 6266 / 5987: an ASCII fallback for old clients, the Chinese name in filename*. */
export function attachment(filename: string, fallback: string): string {
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Streams a workbook as a download; a failure after the headers can only break the download. */
export async function sendXlsx(
  res: Response,
  file: { filename: string; fallback: string; write: (out: Response) => Promise<void> },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', XLSX_TYPE);
  res.setHeader('Content-Disposition', attachment(file.filename, file.fallback));
  res.setHeader('Cache-Control', 'no-store');
  try {
    await file.write(res);
  } catch (err) {
    // Headers are gone: the only honest signal left is a broken download.
    logger.error({ err, file: file.fallback }, 'export failed');
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

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
    const exported = await readPagesOf(res, services).stored.prepareExport(currentRegulator(res), query);
    refuseNotUnderstood(query.notUnderstood);
    await sendXlsx(res, { ...exported, fallback: 'stored-systems.xlsx' });
  });

  router.get('/stored/:id', async (req, res) => {
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
