import express, { type Response, type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';
import { ValidationFailed } from '../domain/errors';
import { LIMIT_LABELS, LIMIT_LEVELS, timetableValues } from '../domain/campaign';
import { AGENCY_LEVEL_LABELS } from '../domain/orgTree';
import { currentUser } from '../middleware/currentUser';
import { flash } from '../middleware/flash';

const LABELS: Record<string, string> = {
  name: '普查任务名称',
  startsOn: '开始日期',
  filingDeadline: '企业填报截止日期',
  round_name: '复查任务名称',
  round_startsOn: '复查开始日期',
  round_filingDeadline: '复查截止日期',
  ...Object.fromEntries(LIMIT_LEVELS.map((l) => [`limit_${l}`, LIMIT_LABELS[l]])),
};

// 普查任务: the timetable page; 总局 edits it, every other regulator reads it.
export function setUpCampaign(services: Services): Router {
  const router = express.Router();
  const { campaign } = services;

  async function render(
    res: Response,
    form?: { values: Record<string, unknown>; errors: Record<string, string> },
  ): Promise<void> {
    const page = await campaign.page(currentUser(res));
    res.render('pages/campaign/show', {
      title: '普查任务',
      page,
      values: form?.values ?? (page.round ? timetableValues(page.round) : {}),
      errors: form?.errors ?? {},
      labels: LABELS,
      levels: LIMIT_LEVELS.map((l) => ({ level: l, label: LIMIT_LABELS[l], short: AGENCY_LEVEL_LABELS[l] })),
    });
  }

  router.get(paths.campaign.show(), (_req, res) => render(res));

  router.post(paths.campaign.show(), async (req, res) => {
    try {
      await campaign.save(currentUser(res), (req.body ?? {}) as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      return render(res, { values: { ...err.values }, errors: { ...err.errors } });
    }
    flash(req, 'success', '普查任务时间安排已保存。');
    res.redirect(paths.campaign.show());
  });

  router.post(paths.campaign.newRound(), async (req, res) => {
    try {
      await campaign.openRound(currentUser(res), (req.body ?? {}) as Record<string, unknown>);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      res.status(422);
      return render(res, { values: { ...err.values }, errors: { ...err.errors } });
    }
    flash(req, 'success', '新一轮年度复查已开启。各企业须在截止日期前确认已入库信息无变化或发起变更。');
    res.redirect(paths.campaign.show());
  });

  return router;
}
