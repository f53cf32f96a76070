import express, { type Router } from 'express';
import type { Services } from '../services';
import { paths } from '../paths';

// 审核与报送 — 待审核. (Filled by the review chain; until then an honest empty state.)
export function setUpReview(_services: Services): Router {
  void _services;
  const router = express.Router();
  router.get(paths.review.list(), (_req, res) => {
    res.render('pages/review/list', { title: '待审核' });
  });
  return router;
}
