import express, { type Router } from 'express';
import helmet from 'helmet';

// Strict CSP: scripts and styles only from our own origin, never inline. Charts are inline SVG
// markup (server-rendered), which needs no script.
export function setUpWebSecurity(): Router {
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
      // The app may run on plain HTTP on an intranet; HSTS belongs to the TLS terminator.
      strictTransportSecurity: false,
    }),
  );
  router.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 5000 }));
  return router;
}
