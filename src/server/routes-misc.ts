/** Models, the error catalogue, health, the OpenAPI document and the webhook secret. */
import { MODELS, MODEL_SETTINGS } from '../engine/generate/models.js';
import type { App } from './context.js';
import type { Router } from './router.js';
import { errorCatalogue } from './errors.js';
import { openApiDocument } from './openapi.js';

export const VERSION = '0.1.0';

export function miscRoutes(r: Router, app: App): void {
  r.add('GET', '/v2/models', () => ({
    status: 200,
    json: MODELS.map((id) => ({ id, name: id, type: 'lipsync', version: VERSION, description: MODEL_SETTINGS[id].description })),
  }));
  r.add('GET', '/v2/errors', () => ({ status: 200, json: errorCatalogue() }), { auth: false });
  const health = (): { status: number; json: unknown } => ({
    status: 200,
    json: { status: 'ok', version: VERSION, workers: app.cfg.workers, running: app.pool.busy, generations: app.queue.counts() },
  });
  for (const p of ['/health', '/healthz', '/v2/health', '/v2/healthcheck']) r.add('GET', p, health, { auth: false });
  r.add('GET', '/api-json', () => ({ status: 200, json: openApiDocument(app.publicUrl(), VERSION) }), { auth: false });
  r.add('GET', '/v2/organizations/webhook/secret', (c) => ({ status: 200, json: { secret: c.key.webhookSecret } }));
}
