import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import { loadConfig } from './config';

/** The id of the request being handled (middleware/requestContext.ts runs each request in it). */
export const requestIds = new AsyncLocalStorage<string>();

// Every line written while a request is handled carries its id (reqId), wherever it is logged.
export const logger = pino({
  level: loadConfig().logLevel,
  mixin: () => {
    const reqId = requestIds.getStore();
    return reqId ? { reqId } : {};
  },
});
