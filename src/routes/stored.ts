import express, { type Router } from 'express';
import type { Services } from '../services';

export function setUpStored(_services: Services): Router {
  void _services;
  const router = express.Router();
  return router;
}
