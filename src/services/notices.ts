import type { Knex } from 'knex';
import { NotFound } from '../domain/errors';
import { noticesRepo, type NoticeRow } from '../data/notices';
import type { CurrentUser } from './session';

export interface NoticesPage {
  notices: NoticeRow[];
  total: number;
}

/** A regulator's agency, or 404: notices are agencies' (enterprises have their 站内消息). */
function agencyOf(user: CurrentUser): number {
  if (user.role !== 'regulator' || user.agencyId === null) throw new NotFound();
  return user.agencyId;
}

// 站内通知 of agencies: the list (reading a page marks its notices read) and the unread count.
export function noticesService(knex: Knex) {
  return {
    async page(user: CurrentUser, page: number, size: number): Promise<NoticesPage> {
      const agencyId = agencyOf(user);
      const repo = noticesRepo(knex);
      const [notices, total] = await Promise.all([
        repo.page(agencyId, size, (page - 1) * size),
        repo.count(agencyId),
      ]);
      const unread = notices.filter((n) => n.read_at === null).map((n) => n.id);
      if (unread.length) await repo.markRead(agencyId, unread);
      return { notices, total };
    },
    /** The header's count; 0 for users without an agency. */
    unread: (user: CurrentUser): Promise<number> =>
      user.role === 'regulator' && user.agencyId !== null
        ? noticesRepo(knex).unread(user.agencyId)
        : Promise.resolve(0),
    async markAllRead(user: CurrentUser): Promise<void> {
      await noticesRepo(knex).markAllRead(agencyOf(user));
    },
  };
}

export type NoticesService = ReturnType<typeof noticesService>;
