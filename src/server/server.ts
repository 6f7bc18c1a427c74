/**
 * The Resync API server: node:http + the router, SQLite state, the worker pool and the webhook
 * dispatcher in one process. startServer() binds, recovers jobs left by a previous process, and
 * returns a handle whose close() shuts down gracefully (stop accepting, let running jobs finish
 * within the grace period, re-queue the rest, flush webhooks, close the database).
 */
import http from 'node:http';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { makeConfig, type ServerConfig } from './config.js';
import { openDb, type DB } from './db.js';
import { makeLogger } from './log.js';
import { JobQueue } from './queue.js';
import { WorkerPool } from './worker.js';
import { WebhookDispatcher } from './webhooks.js';
import { RateLimiter } from './ratelimit.js';
import { Router, send, sendError, type Ctx } from './router.js';
import { ApiError } from './errors.js';
import { findKey } from './keys.js';
import type { App } from './context.js';
import { generationRoutes } from './routes-generations.js';
import { assetRoutes } from './routes-assets.js';
import { batchRoutes } from './routes-batch.js';
import { miscRoutes } from './routes-misc.js';
import { mcpRoutes } from './routes-mcp.js';
import { faceRoutes } from './routes-faces.js';
import { serveStudio } from './studio-static.js';

export interface RunningServer {
  url: string;
  port: number;
  app: App;
  db: DB;
  close(graceMs?: number): Promise<void>;
}

/** Routes counted against the stricter create limit. */
const CREATE_ROUTES = new Set(['POST /v2/generate', 'POST /v2/batch']);

export async function startServer(over: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const cfg = makeConfig(over);
  const log = makeLogger(cfg.log);
  const db = openDb(cfg.dataDir);
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let base = cfg.publicUrl?.replace(/\/+$/, '') ?? '';
  const publicUrl = (): string => base;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const queue = new JobQueue(db, owner, { leaseMs: cfg.leaseMs, maxAttempts: cfg.maxAttempts, publicUrl, onChange: (id) => events.emit('change', id) });
  const pool = new WorkerPool(db, queue, cfg, log, publicUrl);
  const webhooks = new WebhookDispatcher(db, log, {
    maxAttempts: cfg.webhookMaxAttempts, baseDelayMs: cfg.webhookBaseDelayMs, timeoutMs: cfg.webhookTimeoutMs,
    policy: { allowPrivate: cfg.allowPrivateUrls, allowHosts: cfg.allowHosts },
  });
  const app: App = { db, cfg, log, queue, pool, limiter: new RateLimiter(), events, publicUrl };

  const router = new Router();
  generationRoutes(router, app);
  assetRoutes(router, app);
  batchRoutes(router, app);
  miscRoutes(router, app);
  mcpRoutes(router, app);
  faceRoutes(router, app);

  const server = http.createServer((req, res) => {
    const t0 = performance.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    let keyId: string | undefined;
    res.on('finish', () => {
      log('request', { requestId, method: req.method, path: (req.url ?? '').split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - t0), keyId });
    });
    // CORS: the API authenticates by header, never by cookie, so any origin may call it (the SDK
    // in a browser works as against Sync); preflights are answered here, before auth
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after, idempotent-replayed, x-sync-wait-mode, x-sync-wait-timeout-seconds, content-range');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'x-api-key, content-type, idempotency-key, range',
        'access-control-max-age': '600',
        'x-request-id': requestId,
      });
      res.end();
      return;
    }
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://local');
        const m = router.match(req.method ?? 'GET', url.pathname);
        if (!m && serveStudio(req, res)) return; // the Studio's files at `/` (studio-static.ts)
        if (!m) throw new ApiError(404, 'not_found', `Cannot ${req.method} ${url.pathname}`);
        const ctx = { req, res, url, params: m.params, requestId } as Ctx;
        if (m.route.auth) {
          const k = req.headers['x-api-key'];
          if (typeof k !== 'string' || k === '') {
            throw new ApiError(401, 'unauthorized', 'Either Cookie or x-api-key header must be provided');
          }
          const key = findKey(db, k);
          if (!key) throw new ApiError(401, 'unauthorized', 'Unauthorized');
          ctx.key = key;
          keyId = key.id;
          const isCreate = CREATE_ROUTES.has(`${req.method} ${url.pathname}`);
          const wait = app.limiter.take(`${key.id}:${isCreate ? 'create' : 'read'}`, isCreate ? cfg.rateLimitPerMinute : cfg.readRateLimitPerMinute);
          if (wait > 0) {
            throw new ApiError(429, 'rate_limit_exceeded', 'Rate limit exceeded. Please try again later.', {}, { 'retry-after': String(wait) });
          }
        }
        const reply = await m.route.handler(ctx);
        if (reply) send(res, reply, requestId);
      } catch (e) {
        if (e instanceof ApiError) {
          sendError(res, e, requestId);
        } else {
          log('request_failed', { requestId, error: e instanceof Error ? e.stack ?? e.message : String(e) });
          sendError(res, new ApiError(500, 'internal_error', 'Internal server error'), requestId);
        }
        // an unread request body would keep the socket busy
        if (!req.complete) req.resume();
      }
    })();
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!base) base = `http://${cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host}:${port}`;

  await sweepTemp(join(cfg.dataDir, 'tmp'), 3600_000);
  const rec = queue.recover(true);
  log('server_started', { port, url: base, dataDir: cfg.dataDir, workers: cfg.workers, owner, requeued: rec.requeued, failedOnRecovery: rec.failed });
  pool.start();
  webhooks.start();

  let closing: Promise<void> | undefined;
  const close = (graceMs = cfg.shutdownGraceMs): Promise<void> => {
    closing ??= (async () => {
      log('server_stopping', { graceMs, running: pool.busy });
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const r = await pool.stop(graceMs);
      await webhooks.stop(Math.min(graceMs, 5000));
      server.closeAllConnections();
      await closed;
      db.close();
      log('server_stopped', r);
    })();
    return closing;
  };
  return { url: base, port, app, db, close };
}

/**
 * Multipart parts of requests that died with the process stay in tmp/; anything older than
 * maxAgeMs is removed at start (younger entries may belong to another server on the same data).
 */
async function sweepTemp(dir: string, maxAgeMs: number): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const e of entries) {
    const p = join(dir, e);
    const st = await stat(p).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > maxAgeMs) await rm(p, { recursive: true, force: true });
  }
}
