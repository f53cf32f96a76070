import type { Knex } from 'knex';
import { regulatorAgency } from './agencyAccess';
import { randomUUID } from 'node:crypto';
import { Conflict, NotFound, ValidationFailed } from '../domain/errors';
import { chinaDay, isOverdue, itemDue, overdueCutoffs, type ReviewLimits } from '../domain/campaign';
import { AGENCY_LEVELS, type AgencyLevel } from '../domain/orgTree';
import {
  isBelow,
  isInSubtree,
  parseUrgeNote,
  urgeMessageBody,
  urgeNoticeBody,
  waitsForEnterprise,
} from '../domain/urges';
import { isSystemId } from '../domain/jurisdiction';
import { urgeNoticeKey } from '../domain/reminders';
import { campaignRepo } from '../data/campaign';
import { messagesRepo } from '../data/messages';
import { noticesRepo } from '../data/notices';
import { orgRepo, type AgencyRow } from '../data/org';
import { systemsRepo, type SystemRow } from '../data/systems';
import { urgesRepo, type OverdueItemRow, type UrgeRow } from '../data/urges';
import { enterprisesRepo } from '../data/enterprises';
import { agencyMayOpen } from './agencyAccess';
import type { RegulatorUser } from './session';
import { paths } from '../paths';

/** A 催办 of one system, as its detail pages list it. */
export interface UrgeRecord {
  createdAt: Date;
  note: string;
  fromAgencyName: string;
  fromUserName: string;
  /** The urged agency's or enterprise's name. */
  toName: string;
  toEnterprise: boolean;
}

const urgeRecord = (u: UrgeRow): UrgeRecord => ({
  createdAt: u.created_at,
  note: u.note,
  fromAgencyName: u.from_agency_name,
  fromUserName: u.from_user_name,
  toName: u.to_name,
  toEnterprise: u.to_enterprise,
});

/** What an urge is about, as the URL or the form names it (already shape-checked by the route). */
export interface UrgeQuery {
  system?: number;
  region?: string;
  direct?: boolean;
  level?: AgencyLevel;
}

export interface UrgeItem {
  id: number;
  name: string;
  enterpriseName: string;
  agencyName: string;
  arrivedAt: Date;
  /** 超期 N 天 at the agency where it waits. */
  lateLabel: string;
}

/** One agency or enterprise to be urged, with its items. */
export interface UrgeTarget {
  kind: 'agency' | 'enterprise';
  id: number;
  name: string;
  items: UrgeItem[];
}

export interface UrgePage {
  /** What the page is about, in words (a region, or one system). */
  subject: string;
  targets: UrgeTarget[];
  /** A fresh one-time token for the form (a double-click records one urge). */
  formToken: string;
}

export interface OpenUrge {
  at: Date;
  fromAgencyName: string;
  note: string;
  open: number;
}

export const isAgencyLevel = (v: unknown): v is AgencyLevel =>
  typeof v === 'string' && (AGENCY_LEVELS as readonly string[]).includes(v);

// 催办 (issue 15 part 3): downward only, inside the urging agency's subtree; one transaction per
// urge with its items and the urged party's 站内通知 or 站内消息.
export function urgeService(knex: Knex, now: () => Date) {
  const org = orgRepo(knex);

  async function limitsOrRefuse(db: Knex | Knex.Transaction): Promise<ReviewLimits> {
    const round = await campaignRepo(db).current();
    if (!round) throw new Conflict('总局尚未设定普查任务时间安排，暂无超期信息可催办');
    return round.limits;
  }

  function groupByAgency(rows: readonly OverdueItemRow[], limits: ReviewLimits): UrgeTarget[] {
    const byAgency = new Map<number, UrgeTarget>();
    for (const r of rows) {
      const t = byAgency.get(r.agency_id) ?? {
        kind: 'agency' as const,
        id: r.agency_id,
        name: r.agency_name,
        items: [],
      };
      t.items.push({
        id: r.id,
        name: r.name,
        enterpriseName: r.enterprise_name,
        agencyName: r.agency_name,
        arrivedAt: r.state_changed_at,
        lateLabel: itemDue(r.state_changed_at, r.agency_level, limits, now()).label,
      });
      byAgency.set(r.agency_id, t);
    }
    return [...byAgency.values()];
  }

  /**
   * Whom to urge about what: one system (its waiting lower agency, or its enterprise), or every
   * overdue item below the urger in a region. Anything outside the urger's subtree is a 404.
   */
  async function targetsOf(
    db: Knex | Knex.Transaction,
    me: AgencyRow,
    query: UrgeQuery,
  ): Promise<{ subject: string; targets: UrgeTarget[]; system?: SystemRow }> {
    if (query.system !== undefined) {
      if (!isSystemId(query.system)) throw new NotFound();
      const system = await systemsRepo(db).byId(query.system);
      if (!system) throw new NotFound();
      const supervising = await org.agencyById(system.supervising_agency_id);
      if (!supervising || !isInSubtree(me.path, supervising.path)) throw new NotFound();
      if (waitsForEnterprise(system.state)) {
        const enterprise = await enterprisesRepo(db).byId(system.enterprise_id);
        if (!enterprise) throw new NotFound();
        const item: UrgeItem = {
          id: system.id,
          name: system.name,
          enterpriseName: enterprise.name,
          agencyName: enterprise.name,
          arrivedAt: system.state_changed_at,
          lateLabel: system.state === 'returned' ? '已退回，待企业修改后重新提交' : '尚未提交',
        };
        return {
          subject: `生产系统“${system.name}”`,
          targets: [{ kind: 'enterprise', id: enterprise.id, name: enterprise.name, items: [item] }],
          system,
        };
      }
      // Pending: only what this agency may open (domain/jurisdiction.ts), waiting below it.
      if (!(await agencyMayOpen(db, me.id, system))) throw new NotFound();
      const at =
        system.current_agency_id === null ? undefined : await org.agencyById(system.current_agency_id);
      if (system.state !== 'pending' || !at) throw new Conflict('该信息目前不在下级单位待审核，无需催办');
      if (at.id === me.id) throw new Conflict('该信息正在本单位待审核，无需催办');
      // Upward (or sideways) there is no one to urge: as if it did not exist.
      if (!isBelow(me.path, at.path)) throw new NotFound();
      const limits = await limitsOrRefuse(db);
      if (!isOverdue(system.state_changed_at, at.level, limits, now()))
        throw new Conflict('该信息在下级单位尚未超过审核期限，无需催办');
      const enterprise = await enterprisesRepo(db).byId(system.enterprise_id);
      const targets = groupByAgency(
        [
          {
            id: system.id,
            name: system.name,
            enterprise_name: enterprise?.name ?? '—',
            agency_id: at.id,
            agency_name: at.name,
            agency_level: at.level,
            state_changed_at: system.state_changed_at,
          },
        ],
        limits,
      );
      return { subject: `生产系统“${system.name}”`, targets, system };
    }
    const region = query.region ? await org.agencyByCode(query.region) : me;
    if (!region || !isInSubtree(me.path, region.path)) throw new NotFound();
    const limits = await limitsOrRefuse(db);
    const rows = await urgesRepo(db).overdueBelow(
      me,
      { region, direct: query.direct === true, level: query.level },
      overdueCutoffs(limits, chinaDay(now())),
    );
    const regionLabel = region.id === me.id ? '本辖区' : region.name;
    return {
      subject: `${regionLabel}${query.direct ? '（直接监管）' : ''}的超期待审核信息`,
      targets: groupByAgency(rows, limits),
    };
  }

  return {
    async page(user: RegulatorUser, query: UrgeQuery): Promise<UrgePage> {
      const me = await regulatorAgency(knex, user);
      const { subject, targets } = await targetsOf(knex, me, query);
      return { subject, targets, formToken: randomUUID() };
    },

    /**
     * Records the urge(s) — one per urged agency or enterprise, with its items — and each urged
     * party's 站内通知 / 站内消息, in one transaction. A form token already used records nothing
     * again (a double-click). Returns how many agencies/enterprises and items were urged.
     */
    async urge(
      user: RegulatorUser,
      query: UrgeQuery,
      body: Record<string, unknown>,
    ): Promise<{ targets: number; items: number; repeated: boolean }> {
      const note = parseUrgeNote(body.note);
      if (!note.ok) throw new ValidationFailed({ note: note.message }, { note: String(body.note ?? '') });
      const token =
        typeof body.form_token === 'string' && /^[\w-]{1,64}$/.test(body.form_token) ? body.form_token : null;
      const me = await regulatorAgency(knex, user);
      return knex.transaction(async (trx) => {
        const { targets } = await targetsOf(trx, me, query);
        if (!targets.length) throw new Conflict('没有需要催办的超期信息（可能已被处理）');
        const repo = urgesRepo(trx);
        let repeated = false;
        let items = 0;
        for (const [i, t] of targets.entries()) {
          const id = await repo.insert({
            from_agency_id: me.id,
            from_user_id: user.id,
            ...(t.kind === 'agency' ? { to_agency_id: t.id } : { to_enterprise_id: t.id }),
            note: note.note,
            form_token: token && `${token}:${i}`,
          });
          if (id === null) {
            repeated = true;
            continue;
          }
          await repo.addItems(
            id,
            t.items.map((x) => x.id),
          );
          items += t.items.length;
          if (t.kind === 'agency')
            await noticesRepo(trx).addOnce([
              {
                agency_id: t.id,
                kind: 'urge',
                key: urgeNoticeKey(id),
                body: urgeNoticeBody(me.name, t.items.length, note.note),
                link: paths.review.list(),
              },
            ]);
          else {
            const system = await systemsRepo(trx).byId(t.items[0]!.id);
            await messagesRepo(trx).add({
              enterprise_id: t.id,
              system_id: t.items[0]!.id,
              kind: 'urge',
              body: urgeMessageBody(me.name, t.items[0]!.name, system!.state, note.note),
            });
          }
        }
        return { targets: targets.length, items, repeated: repeated && items === 0 };
      });
    },

    /** Whether this regulator may urge someone about this system now (the detail pages' 催办 link). */
    async mayUrge(user: RegulatorUser, systemId: number): Promise<boolean> {
      try {
        const { targets } = await targetsOf(knex, await regulatorAgency(knex, user), { system: systemId });
        return targets.length > 0;
      } catch (err) {
        if (err instanceof Conflict || err instanceof NotFound) return false;
        throw err;
      }
    },

    /** The urges to this agency not yet handled (shown on its 待审核 page). */
    async openFor(user: RegulatorUser): Promise<OpenUrge[]> {
      const rows = await urgesRepo(knex).openFor(user.agencyId);
      return rows.map((r) => ({
        at: r.created_at,
        fromAgencyName: r.from_agency_name,
        note: r.note,
        open: r.open,
      }));
    },

    /** The urges of a system the caller has already been allowed to open. */
    /** The 催办 of one system, newest first. */
    forSystem: async (systemId: number): Promise<UrgeRecord[]> =>
      (await urgesRepo(knex).forSystem(systemId)).map(urgeRecord),
  };
}

export type UrgeService = ReturnType<typeof urgeService>;
