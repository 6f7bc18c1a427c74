/**
 * Shared pieces for the server tests: a short face clip and speech (real engine runs on them),
 * a static file server for URL inputs, a webhook receiver that records raw bodies and headers,
 * and small HTTP helpers.
 */
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { faceClip, speechWav } from './generate-fixtures.js';

export interface Media {
  clip: string;
  wav: string;
}

/** A 1.2 s face clip and ~1 s of speech: the shortest inputs that still make a real lip sync. */
export async function makeMedia(dir: string, seconds = 1.2): Promise<Media> {
  const clip = faceClip(join(dir, 'face.mp4'), seconds);
  const { path } = await speechWav(join(dir, 'talk.wav'), 'Hello there', 0.1, 0.1);
  return { clip, wav: path };
}

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<Listening> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () => new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
      });
    });
  });
}

/** Serves the given files by base name; any other path answers with `text`. */
export function staticServer(files: string[], text = 'this is not a video\n'): Promise<Listening> {
  return listen(http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]);
    const f = files.find((p) => basename(p) === name);
    if (!f) {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      res.end(text);
      return;
    }
    res.writeHead(200, { 'content-length': String(statSync(f).size) });
    createReadStream(f).pipe(res);
  }));
}

export interface Delivery {
  body: string;
  headers: http.IncomingHttpHeaders;
  json: Record<string, unknown>;
}

export interface Receiver extends Listening {
  deliveries: Delivery[];
  /** Answer the next n deliveries to `path` with 500 (to exercise retries). */
  failNext(n: number, path: string): void;
  waitFor(pred: (d: Delivery) => boolean, timeoutMs?: number): Promise<Delivery>;
}

export async function webhookReceiver(): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  const failing = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const left = failing.get(req.url ?? '') ?? 0;
      if (left > 0) {
        failing.set(req.url ?? '', left - 1);
        res.writeHead(500);
        res.end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      deliveries.push({ body, headers: req.headers, json: JSON.parse(body) as Record<string, unknown> });
      res.writeHead(200);
      res.end('ok');
    });
  });
  const l = await listen(server);
  return {
    ...l,
    deliveries,
    failNext: (n, path) => void failing.set(path, n),
    waitFor: async (pred, timeoutMs = 60_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const d = deliveries.find(pred);
        if (d) return d;
        if (Date.now() > until) throw new Error('webhook not delivered in time');
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export async function api(base: string, key: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(base + path, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // text answers (download) stay strings
  }
  return { status: res.status, json, headers: res.headers };
}

/** Polls GET /v2/generate/{id} (long poll) until a terminal status. */
export async function waitDone(base: string, key: string, id: string, timeoutMs = 120_000): Promise<any> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await api(base, key, 'GET', `/v2/generate/${id}?wait=true&timeout=5`);
    if (r.status !== 200) throw new Error(`GET ${id}: ${r.status} ${JSON.stringify(r.json)}`);
    if (['COMPLETED', 'FAILED', 'REJECTED'].includes(r.json.status)) return r.json;
    if (Date.now() > until) throw new Error(`generation ${id} still ${r.json.status}`);
  }
}
