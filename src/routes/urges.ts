import express, { type Request, type Response, type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { Conflict, NotFound, ValidationFailed } from '../domain/errors';
import { currentRegulator } from '../middleware/currentUser';
import { flash } from '../middleware/flash';
import { isAgencyLevel, type UrgeQuery } from '../services/urges';
import { URGE_NOTE_MAX } from '../domain/urges';

/** What the urge is about, from the URL (GET) or the form (POST); a malformed value is a 404. */
function urgeQuery(raw: Record<string, unknown>): UrgeQuery {
  const one = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string') throw new NotFound();
    return v;
  };
  const system = one('system');
  const region = one('region');
  const level = one('level');
  if (system !== undefined && !/^\d{1,9}$/.test(system)) throw new NotFound();
  if (region !== undefined && !/^[A-Za-z0-9-]{1,30}$/.test(region)) throw new NotFound();
  if (level !== undefined && !isAgencyLevel(level)) throw new NotFound();
  if (system !== undefined && (region !== undefined || level !== undefined)) throw new NotFound();
  return {
    system: system === undefined ? undefined : Number(system),
    region,
    direct: one('direct') === '1' || undefined,
    level: level as UrgeQuery['level'],
  };
}

/** Where to go back to: a page of the regulator's own (never an open redirect). */
function backOf(raw: unknown): string | undefined {
  return typeof raw === 'string' &&
    /^\/(review|tracking|stats)(\/\d+)?(\?[^#\s]*)?$/.test(raw) &&
    raw.length < 2000
    ? raw
    : undefined;
}

// 催办 (issue 15 part 3): the page naming whom and what, and the POST that records it.
export function setUpUrges(services: Services): Router {
  const router = express.Router();
  const { urges } = services;

  async function render(
    req: Request,
    res: Response,
    query: UrgeQuery,
    form: { note?: string; errors?: Record<string, string>; conflict?: string } = {},
  ): Promise<void> {
    const page = await urges.page(currentRegulator(res), query);
    const raw =
      req.method === 'POST' ? (req.body as Record<string, unknown>) : (req.query as Record<string, unknown>);
    res.render('pages/urges/new', {
      title: '催办',
      page,
      query,
      back: backOf(raw.back) ?? paths.stats.show(),
      note: form.note ?? '',
      noteMax: URGE_NOTE_MAX,
      errors: form.errors ?? {},
      labels: { note: '催办说明' },
      conflict: form.conflict ?? null,
    });
  }

  router.get(paths.urges.new({}), async (req, res) => {
    try {
      await render(req, res, urgeQuery(req.query as Record<string, unknown>));
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      flash(req, 'error', err.userMessage);
      res.redirect(backOf(req.query.back) ?? paths.stats.show());
    }
  });

  router.post(paths.urges.create(), async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const query = urgeQuery(body);
    const back = backOf(body.back) ?? paths.stats.show();
    try {
      const done = await urges.urge(currentRegulator(res), query, body);
      flash(
        req,
        'success',
        done.repeated
          ? '该催办已发送，未重复发送。'
          : `已催办 ${done.targets} 个单位或企业，共 ${done.items} 条信息。`,
      );
      return res.redirect(back);
    } catch (err) {
      if (err instanceof ValidationFailed) {
        res.status(422);
        return render(req, res, query, { note: String(body.note ?? ''), errors: { ...err.errors } });
      }
      if (err instanceof Conflict) {
        flash(req, 'error', err.userMessage);
        return res.redirect(back);
      }
      throw err;
    }
  });

  return router;
}
