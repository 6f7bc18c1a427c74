/**
 * The MCP endpoint at /mcp (streamable HTTP) and the text-to-speech voice list at /v2/voices.
 * /mcp checks the caller's x-api-key itself (the MCP handler answers Sync's 401 bodies) and
 * gives each key a backend that calls this server's own v2 API over loopback with that key, so
 * MCP tools get exactly the API's validation, job queue, key scoping and rate limits.
 */
import type { IncomingMessage } from 'node:http';
import { handleMcpHttp } from '../mcp/http.js';
import { RestBackend } from '../mcp/rest-backend.js';
import { ttsProviders } from '../engine/tts/config.js';
import type { TtsVoice } from '../engine/tts/types.js';
import { toApiError } from '../mcp/job-spec.js';
import { ApiError } from './errors.js';
import type { App } from './context.js';
import type { Ctx, Router } from './router.js';
import { findKey } from './keys.js';
import { warmTts } from './tts-input.js';

async function voices(provider?: string): Promise<TtsVoice[]> {
  try {
    return await ttsProviders().get(provider).listVoices();
  } catch (e) {
    const err = toApiError(e);
    throw new ApiError(err.statusCode, err.errorCode, err.message);
  }
}

/** The address this request arrived on: loopback calls stay inside the machine even behind a proxy. */
function localBase(req: IncomingMessage): string {
  const a = req.socket.localAddress ?? '127.0.0.1';
  return `http://${a.includes(':') ? `[${a}]` : a}:${req.socket.localPort}`;
}

export function mcpRoutes(r: Router, app: App): void {
  warmTts();
  const mcp = async (c: Ctx): Promise<void> => {
    const local = localBase(c.req);
    await handleMcpHttp(c.req, c.res, {
      backendFor: (key) =>
        findKey(app.db, key)
          ? new RestBackend({
              baseUrl: local,
              apiKey: key,
              allowLocalPaths: false,
              listVoices: voices,
              // Links the API hands out use the public URL; fetch them over loopback instead.
              rewriteUrl: (u) => (u.startsWith(app.publicUrl() + '/') ? local + u.slice(app.publicUrl().length) : u),
            })
          : undefined,
    });
  };
  for (const method of ['POST', 'GET', 'DELETE']) r.add(method, '/mcp', mcp, { auth: false });
  r.add('GET', '/v2/voices', async (c) => ({ status: 200, json: await voices(c.url.searchParams.get('provider') ?? undefined) }));
}
