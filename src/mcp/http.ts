/**
 * The streamable-HTTP MCP endpoint (mounted at /mcp by the API server). Authenticated like the
 * API: the `x-api-key` header (or `Authorization: Bearer <key>`), checked before any MCP message
 * is read; each key gets a backend scoped to it. Stateless: every POST gets a fresh server and
 * transport, so any server process can answer any request; progress notifications travel on the
 * POST's own SSE response. GET (a standalone notification stream) and DELETE (session end) have
 * nothing to do without sessions and answer 405.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { LipsyncBackend } from './backend.js';
import { createMcpServer } from './server.js';

export interface McpHttpOptions {
  /** The caller's backend for a key, or undefined when the key is unknown or revoked. */
  backendFor(apiKey: string): LipsyncBackend | undefined | Promise<LipsyncBackend | undefined>;
  /** Largest JSON-RPC body (upload-media carries base64 bytes). Default 64 MiB. */
  maxBodyBytes?: number;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(s)), ...headers });
  res.end(s);
}

export function apiKeyOf(req: IncomingMessage): string | undefined {
  const h = req.headers['x-api-key'];
  const key = Array.isArray(h) ? h[0] : h;
  if (key) return key.trim();
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m?.[1];
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > limit) throw Object.assign(new Error(`request body is over the ${limit}-byte limit`), { status: 413 });
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('request body is not valid JSON'), { status: 400 });
  }
}

export async function handleMcpHttp(req: IncomingMessage, res: ServerResponse, opts: McpHttpOptions): Promise<void> {
  const key = apiKeyOf(req);
  if (!key) {
    sendJson(res, 401, { message: 'Either Cookie or x-api-key header must be provided', error: 'Unauthorized', statusCode: 401, errorCode: 'unauthorized' });
    return;
  }
  const backend = await opts.backendFor(key);
  if (!backend) {
    sendJson(res, 401, { message: 'Unauthorized', error: 'Unauthorized', statusCode: 401, errorCode: 'unauthorized' });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP endpoint is stateless; send JSON-RPC messages with POST' }, id: null }, { allow: 'POST' });
    return;
  }
  let body: unknown;
  try {
    body = await readBody(req, opts.maxBodyBytes ?? 64 * 1024 * 1024);
  } catch (e) {
    const status = (e as { status?: number }).status ?? 400;
    sendJson(res, status, { jsonrpc: '2.0', error: { code: -32700, message: (e as Error).message }, id: null });
    return;
  }
  const server = createMcpServer(backend);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
