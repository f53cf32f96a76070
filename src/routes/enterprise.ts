import express, { type Router } from 'express';
import type { Services } from '../services';

export function setUpEnterprise(_services: Services): Router {
  void _services;
  const router = express.Router();
  return router;
}
