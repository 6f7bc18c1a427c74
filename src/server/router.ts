/**
 * A small router on node:http: method + path pattern (`:param` segments) → handler. Handlers
 * return a Reply (JSON or text) or write the response themselves (file streaming) and return
 * nothing. Thrown ApiErrors become Sync-shaped error bodies; anything else is a 500 with the
 * request id, logged with its stack.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.js';
import type { ApiKey } from './keys.js';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  /** Set by the auth step for routes that need a key. */
  key: ApiKey;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Promise<Reply | void> | Reply | void;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
  auth: boolean;
}

export class Router {
  private routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, opts: { auth?: boolean } = {}): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler, auth: opts.auth ?? true });
    return this;
  }

  /** The route for a request, or why there is none (404 vs 405 is not worth telling apart here). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const segs = path.split('/').filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== method || r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const p = r.parts[i];
        if (p.startsWith(':')) {
          try {
            params[p.slice(1)] = decodeURIComponent(segs[i]);
          } catch {
            ok = false;
          }
        } else if (p !== segs[i]) ok = false;
      }
      if (ok) return { route: r, params };
    }
    return undefined;
  }
}

export function send(res: ServerResponse, reply: Reply, requestId: string): void {
  if (res.headersSent) return;
  const headers: Record<string, string> = { 'x-request-id': requestId, ...reply.headers };
  if (reply.json !== undefined) {
    const body = JSON.stringify(reply.json);
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  } else if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(reply.text)), ...headers });
    res.end(reply.text);
  } else {
    res.writeHead(reply.status, headers);
    res.end();
  }
}

export function sendError(res: ServerResponse, e: ApiError, requestId: string): void {
  send(res, { status: e.statusCode, json: e.body(requestId), headers: e.headers }, requestId);
}

/** Reads the whole body up to `limit` bytes (413 beyond it). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new ApiError(413, 'generation_input_validation_failed', `request body is ${declared} bytes, over the ${limit}-byte limit`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new ApiError(413, 'generation_input_validation_failed', `request body is over the ${limit}-byte limit`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const buf = await readBody(req, limit);
  if (buf.length === 0) throw new ApiError(400, 'generation_input_validation_failed', 'request body is empty; send JSON');
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new ApiError(400, 'generation_input_validation_failed', 'request body is not valid JSON');
  }
}

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}
