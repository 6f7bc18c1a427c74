/**
 * Webhook delivery from the outbox table (queue.ts writes a row in the same transaction that
 * finishes a job). Each row is POSTed until a 2xx answer, with doubling delays, then marked
 * delivered; after webhookMaxAttempts it is marked failed. Signed like Sync/Stripe:
 * `Sync-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>`, with the key's
 * own secret. Receivers should de-duplicate by generation id + status: a crash between the POST
 * and the "delivered" mark re-sends (at-least-once).
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { forbiddenAddressReason, guardedLookup, hostAllowed, type AddressPolicy } from '../engine/media/address-guard.js';
import type { DB } from './db.js';
import type { Logger } from './log.js';
import { keyById } from './keys.js';

export function signature(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** For receivers (and tests): checks a Sync-Signature header against the raw body. */
export function verifySignature(secret: string, body: string, header: string, toleranceS = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || !parts.v1 || Math.abs(Date.now() / 1000 - t) > toleranceS) return false;
  return signature(secret, body, t) === header.replace(/\s/g, '');
}

interface DeliveryRow { id: number; generation_id: string; event: string; url: string; key_id: string; payload: string; attempts: number; next_attempt_at: number }

export class WebhookDispatcher {
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<number>();
  private stopped = false;

  constructor(
    private db: DB,
    private log: Logger,
    private opts: { maxAttempts: number; baseDelayMs: number; timeoutMs: number; policy: AddressPolicy },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 250);
    this.timer.unref();
  }

  async stop(waitMs = 5000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const until = Date.now() + waitMs;
    while (this.inFlight.size && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  }

  tick(): void {
    if (this.stopped) return;
    const now = Date.now();
    const due = this.db.prepare('SELECT * FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT 20').all(now) as DeliveryRow[];
    const claim = this.db.prepare('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND delivered_at IS NULL AND failed_at IS NULL');
    for (const d of due) {
      if (this.inFlight.has(d.id)) continue;
      // claim the row by pushing its next attempt past this one's timeout: another server on the
      // same data directory skips it, and a crash mid-POST leaves it due again later
      if (claim.run(now + 2 * this.opts.timeoutMs + 1000, d.id, d.next_attempt_at).changes !== 1) continue;
      this.inFlight.add(d.id);
      void this.deliver(d).finally(() => this.inFlight.delete(d.id));
    }
  }

  private async deliver(d: DeliveryRow): Promise<void> {
    const key = keyById(this.db, d.key_id);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'resync-webhooks/1' };
    if (key) {
      const sig = signature(key.webhookSecret, d.payload);
      headers['sync-signature'] = sig;
      headers['x-signature-primary'] = sig.split('v1=')[1];
    }
    let error: string | undefined;
    let status = 0;
    try {
      status = await post(d.url, d.payload, headers, this.opts.timeoutMs, this.opts.policy);
      if (status < 200 || status >= 300) error = `receiver answered ${status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempts = d.attempts + 1;
    if (!error) {
      this.db.prepare('UPDATE webhook_deliveries SET delivered_at = ?, attempts = ? WHERE id = ?').run(new Date().toISOString(), attempts, d.id);
      this.log('webhook_delivered', { generationId: d.generation_id, event: d.event, attempts, status });
    } else if (attempts >= this.opts.maxAttempts) {
      this.db.prepare('UPDATE webhook_deliveries SET failed_at = ?, attempts = ?, last_error = ? WHERE id = ?').run(new Date().toISOString(), attempts, error, d.id);
      this.log('webhook_given_up', { generationId: d.generation_id, event: d.event, attempts, error });
    } else {
      const delay = this.opts.baseDelayMs * 2 ** (attempts - 1);
      this.db.prepare('UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?').run(attempts, Date.now() + delay, error, d.id);
      this.log('webhook_retry', { generationId: d.generation_id, event: d.event, attempts, delayMs: delay, error });
    }
  }
}

/** POST behind the same address guard as media fetching (webhook URLs are user input too). */
function post(target: string, body: string, headers: Record<string, string>, timeoutMs: number, policy: AddressPolicy): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(target);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const allowed = hostAllowed(url.hostname, policy);
    if (!allowed && isIP(host)) {
      const why = forbiddenAddressReason(host);
      if (why) return reject(new Error(`webhook address ${host} is ${why}; refused`));
    }
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: timeoutMs,
      ...(allowed ? {} : { lookup: guardedLookup() as never }),
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`webhook timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
