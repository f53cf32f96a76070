import express, { type Router } from 'express';
import helmet from 'helmet';
import type { Config } from '../config';
import { AppError, BadRequest } from '../domain/errors';

// Strict CSP: scripts and styles only from our own origin, never inline. Charts are inline SVG
// markup (server-rendered), which needs no script.
export function setUpWebSecurity(config: Pick<Config, 'secureCookies'>): Router {
  const router = express.Router();
  router.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
        },
      },
      // Served over TLS (secure cookies): browsers keep to HTTPS for a year. A plain-HTTP
      // intranet (SECURE_COOKIES=false) sends no HSTS.
      strictTransportSecurity: config.secureCookies
        ? { maxAge: 31_536_000, includeSubDomains: false }
        : false,
    }),
  );
  const parseForm = express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 5000 });
  // A body that cannot be read — too large, a bad charset, a compressed body that does not
  // inflate (body-parser passes zlib's own error on) — is the client's error, said in Chinese.
  router.use((req, res, next) =>
    parseForm(req, res, (err?: unknown) => next(err ? unreadableBody(err) : undefined)),
  );
  return router;
}

function unreadableBody(err: unknown): AppError {
  const status = (err as { status?: unknown }).status;
  return status === 413 ? new AppError(413, '提交的内容过大') : new BadRequest();
}
