import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AppServices } from '../app/utils/services.server.js';
import { databaseHealthy } from './services.js';

export const MAX_BODY_BYTES = 1_000_000;
const CSRF_COOKIE = 'candor_csrf';

/** Paths whose last segment is a secret; logged with it masked. */
const SECRET_PATHS = /^\/(verify-email|reset-password|invite|unsubscribe)\/[^/?]+/;

/** A notification mail's unsubscribe link, whose last segment is the token. */
const UNSUBSCRIBE_PATH = /^\/unsubscribe\/[^/]+$/;

/** Where the payment provider posts its signed callbacks (app/routes/payouts.callback.tsx). */
const PAYOUT_CALLBACK_PATH = '/payouts/callback';

export function maskUrl(url: string): string {
  return url.replace(SECRET_PATHS, '/$1/[redacted]').replace(/([?&](token|invite|redirectTo)=)[^&]*/g, '$1[redacted]');
}

/**
 * The HTTP side of one web process: security headers with a per-request CSP
 * nonce, the CSRF origin check, request logging, /healthz, static assets and
 * the Remix handler.
 */
export function createWebApp(services: AppServices, build: ServerBuild | (() => Promise<ServerBuild>), clientDir: string) {
  const { env, logger } = services;
  const publicOrigin = new URL(env.PUBLIC_URL).origin;
  const secure = publicOrigin.startsWith('https:');
  const app = express();
  app.disable('x-powered-by');
  if (env.TRUST_PROXY) app.set('trust proxy', true);

  app.use(
    pinoHttp({
      logger,
      quietReqLogger: true,
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: maskUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );

  app.use((_req, res, next) => {
    res.locals.nonce = randomBytes(16).toString('base64');
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.nonce as string}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
          ...(secure ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((_req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    next();
  });

  const database = watchDatabase(services);
  app.get('/healthz', async (_req, res) => {
    const [databaseUp, queue] = await Promise.all([database.check(), services.queueHealthy()]);
    res.status(databaseUp && queue ? 200 : 503).json({
      status: databaseUp && queue ? 'ok' : 'unavailable',
      database: databaseUp ? 'ok' : 'down',
      queue: queue ? 'ok' : 'down',
    });
  });

  // Browsers ask for /favicon.ico whatever the page links; the icon is SVG.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'));
  app.use(compression());
  app.use('/assets', express.static(`${clientDir}/assets`, { immutable: true, maxAge: '1y' }));
  app.use(express.static(clientDir, { maxAge: '1h' }));

  app.use(rejectOversizedBodies);
  app.use(csrfGuard(publicOrigin, secure));
  app.use(serviceUnavailableWhileDatabaseDown(database));

  app.all(
    '*',
    createRequestHandler({
      build,
      mode: env.NODE_ENV === 'production' ? 'production' : 'development',
      getLoadContext: (req, res) => ({
        services,
        nonce: res.locals.nonce as string,
        clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      }),
    }),
  );
  return app;
}

function rejectOversizedBodies(req: Request, res: Response, next: NextFunction) {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) {
    res.status(413).type('text/plain').send('The form is too large (at most 1 MB).');
    return;
  }
  next();
}

/**
 * No state changes from another site: every non-GET request must carry an
 * Origin equal to ours. A client that sends no Origin (not a modern browser)
 * must send the X-CSRF-Token header matching the candor_csrf cookie instead.
 * See docs/decisions/0007-csrf-and-headers.md.
 */
export function csrfGuard(publicOrigin: string, secure: boolean) {
  return (req: Request, res: Response, next: NextFunction) => {
    const cookieToken = readCookie(req.headers.cookie, CSRF_COOKIE);
    if (!cookieToken && (req.method === 'GET' || req.method === 'HEAD')) {
      res.cookie(CSRF_COOKIE, randomBytes(18).toString('base64url'), { httpOnly: false, sameSite: 'lax', secure, path: '/' });
    }
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.headers.origin;
    if (origin) {
      if (origin === publicOrigin) return next();
      res.status(403).type('text/plain').send('Cross-site request refused: this form must be sent from the portal itself.');
      return;
    }
    const headerToken = req.headers['x-csrf-token'];
    if (typeof headerToken === 'string' && cookieToken && safeEqual(headerToken, cookieToken)) return next();
    // RFC 8058 one-click unsubscribe: mail programs POST "List-Unsubscribe=One-Click"
    // to the link from their own servers, with no Origin, cookie or token. Safe to
    // let through: the route reads no session (the unguessable token in the path is
    // the only authority), a browser always sends Origin so cross-site forms are
    // still refused above, and the route accepts nothing but that body from such a
    // request, which can only turn mail off.
    if (req.method === 'POST' && UNSUBSCRIBE_PATH.test(req.path)) return next();
    // The payment provider's callback comes server to server, with no Origin,
    // cookie or token. Safe to let through: the route reads no session, and it
    // acts only on a body whose HMAC signature (PAYOUT_WEBHOOK_SECRET, checked
    // in constant time, at most five minutes old) proves the provider sent
    // it; a browser always sends Origin, so cross-site forms are still refused above.
    if (req.method === 'POST' && req.path === PAYOUT_CALLBACK_PATH) return next();
    res.status(403).type('text/plain').send('Request refused: no Origin header and no valid CSRF token.');
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Keeps a recent answer to "is the database reachable?", refreshed every
 * second in the background and by every /healthz call, so that pages can
 * answer 503 at once while it is down and the process recovers by itself.
 */
function watchDatabase(services: AppServices) {
  let healthy = true;
  let checking: Promise<boolean> | undefined;
  const check = () => {
    checking ??= databaseHealthy(services).then((ok) => {
      if (ok !== healthy) services.logger.warn({ database: ok ? 'up' : 'down' }, 'database availability changed');
      healthy = ok;
      checking = undefined;
      return ok;
    });
    return checking;
  };
  setInterval(check, 1_000).unref();
  return { check, isHealthy: () => healthy };
}

function serviceUnavailableWhileDatabaseDown(database: ReturnType<typeof watchDatabase>) {
  return async (_req: Request, res: Response, next: NextFunction) => {
    if (database.isHealthy() || (await database.check())) return next();
    res
      .status(503)
      .set('Retry-After', '10')
      .type('html')
      .send(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Unavailable</title>' +
          '<body><main><h1>Temporarily unavailable · 暂时无法访问</h1>' +
          '<p>The portal cannot reach its database. Please try again in a minute.</p>' +
          '<p>门户暂时无法连接数据库，请稍后再试。</p></main></body></html>',
      );
  };
}
