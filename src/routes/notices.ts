import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Services } from '../services';
import { paths, withQuery } from '../paths';
import { currentUser } from '../middleware/currentUser';
import { flash } from '../middleware/flash';
import { pageParam, paginationView, PAGE_SIZE } from './viewModels/pagination';
import type { NoticeKind } from '../services/notices';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** The header's 站内通知 count (regulators only). */
      unreadNotices?: number;
    }
  }
}

const KIND_TAGS: Record<NoticeKind, { label: string; tone: string }> = {
  arrived: { label: '新到达', tone: 'blue' },
  overdue: { label: '超期', tone: 'red' },
  urge: { label: '催办', tone: 'amber' },
};

/** The header's 站内通知 count on every page of a signed-in regulator. */
export function countUnreadNotices(services: Services) {
  return async (_req: Request, res: Response, next: NextFunction) => {
    const user = res.locals.currentUser;
    if (user?.role === 'regulator' && !user.mustChangePassword)
      res.locals.unreadNotices = await services.notices.unread(user);
    next();
  };
}

// 站内通知 of agencies (issue 15 part 4): the list page.
export function setUpNotices(services: Services): Router {
  const router = express.Router();
  const { notices } = services;

  router.get(paths.notices.list(), async (req, res) => {
    const page = pageParam(req.query.page);
    const result = await notices.page(currentUser(res), page, PAGE_SIZE);
    // The header counted before this page marked its notices read.
    res.locals.unreadNotices = await notices.unread(currentUser(res));
    res.render('pages/notices/list', {
      title: '站内通知',
      notices: result.notices.map((n) => ({
        tag: KIND_TAGS[n.kind],
        body: n.body,
        at: n.createdAt,
        unread: n.readAt === null,
        href: n.link,
      })),
      total: result.total,
      pagination: paginationView(result.total, page, (p) => withQuery(paths.notices.list(), { page: p })),
    });
  });

  router.post(paths.notices.readAll(), async (req, res) => {
    await notices.markAllRead(currentUser(res));
    flash(req, 'success', '全部通知已标为已读。');
    res.redirect(paths.notices.list());
  });

  return router;
}
