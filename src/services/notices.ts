import type { Knex } from 'knex';
import { regulatorAgencyId } from './agencyAccess';
import { noticesRepo, type NoticeKind, type NoticeRow } from '../data/notices';
import type { CurrentUser } from './session';

export type { NoticeKind };

/** A 站内通知 of the user's agency. */
export interface Notice {
  kind: NoticeKind;
  body: string;
  link: string | null;
  createdAt: Date;
  /** As it was before this page marked it read. */
  readAt: Date | null;
}

const notice = (n: NoticeRow): Notice => ({
  kind: n.kind,
  body: n.body,
  link: n.link,
  createdAt: n.created_at,
  readAt: n.read_at,
});

export interface NoticesPage {
  notices: Notice[];
  total: number;
}

// 站内通知 of agencies (a regulator's alone: anyone else 404; enterprises have their 站内消息): the list (reading a page marks its notices read) and the unread count.
export function noticesService(knex: Knex) {
  return {
    async page(user: CurrentUser, page: number, size: number): Promise<NoticesPage> {
      const agencyId = regulatorAgencyId(user);
      const repo = noticesRepo(knex);
      const [notices, total] = await Promise.all([
        repo.page(agencyId, size, (page - 1) * size),
        repo.count(agencyId),
      ]);
      const unread = notices.filter((n) => n.read_at === null).map((n) => n.id);
      if (unread.length) await repo.markRead(agencyId, unread);
      return { notices: notices.map(notice), total };
    },
    /** The header's count; 0 for users without an agency. */
    unread: (user: CurrentUser): Promise<number> =>
      user.role === 'regulator' && user.agencyId !== null
        ? noticesRepo(knex).unread(user.agencyId)
        : Promise.resolve(0),
    async markAllRead(user: CurrentUser): Promise<void> {
      await noticesRepo(knex).markAllRead(regulatorAgencyId(user));
    },
  };
}

export type NoticesService = ReturnType<typeof noticesService>;
