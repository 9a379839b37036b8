/**
 * Who may talk to the companion at all. `Host` must name the companion itself (a DNS-rebinding page arrives with its
 * own host name); an `Origin`, when a browser sends one, must be the companion's own or an allowed one (a cross-site
 * page's fetch or form post arrives with its origin). Allowed origins get CORS headers; everything else gets 403.
 */
import type { RequestHandler } from 'express';
import { isApiPath } from './api-path.ts';
import { HttpError } from './errors.ts';

export interface GuardOptions {
  /** The host the server binds, e.g. 127.0.0.1. */
  bindHost: string;
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

const CORS_HEADERS = {
  'Access-Control-Allow-Methods': 'GET, POST',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Exchange-Token, Last-Event-ID',
  'Access-Control-Max-Age': '600',
};

const ABSOLUTE_FORM = /^[a-z][a-z\d+.-]*:\/\//i;

/** Rejects foreign Host and Origin headers; answers CORS preflights for allowed origins. */
export function hostAndOriginGuard(options: GuardOptions): RequestHandler {
  const extraHosts = new Set(options.allowedHosts);
  const allowedOrigins = new Set(options.allowedOrigins);
  return (req, res, next) => {
    // The listening port, not a configured one: tests listen on port 0.
    const port = req.socket.localPort;
    // RFC 9112, 3.2: one Host line only (Node keeps the first of several silently), and a request in absolute form
    // (`GET http://evil.example/api/...`) is addressed to the host its target names, whatever Host says.
    if ((req.headersDistinct.host?.length ?? 0) > 1) {
      return next(new HttpError(400, 'duplicate_host', 'A request may carry one Host header only.'));
    }
    const target = ABSOLUTE_FORM.test(req.url) ? (URL.parse(req.url)?.host ?? '') : undefined;
    const host = (target ?? req.headers.host ?? '').toLowerCase();
    const ownHosts = [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `${options.bindHost.toLowerCase()}:${port}`,
    ];
    if (!ownHosts.includes(host) && !extraHosts.has(host)) {
      return next(
        new HttpError(
          403,
          'forbidden_host',
          'This companion only answers requests addressed to itself (127.0.0.1 or localhost on its port).',
        ),
      );
    }
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (allowedOrigins.has(origin)) {
        res.set({ 'Access-Control-Allow-Origin': origin, ...CORS_HEADERS });
        if (req.method === 'OPTIONS') return void res.status(204).end();
      } else if (origin !== `http://${host}`) {
        return next(
          new HttpError(
            403,
            'forbidden_origin',
            'Requests from other web sites are refused. Open the runbook from the companion itself, or add the site to RUNBOOK_ALLOWED_ORIGINS.',
          ),
        );
      }
    } else if (req.headers['sec-fetch-site'] === 'cross-site' && isApiPath(req.path)) {
      // A cross-site request a browser sent without Origin (e.g. an image or a no-cors GET): never for the API.
      return next(new HttpError(403, 'forbidden_origin', 'Requests from other web sites are refused.'));
    }
    next();
  };
}
