/**
 * Serves the built Studio (studio/ → dist/studio by `npm run build:studio`) at `/`: static files
 * with their MIME types, and index.html for any other page path (the Studio routes with #hash, but
 * a reload on a deep path still lands in the app). API paths never reach here: the server calls
 * this only for GET/HEAD requests no API route matched. The Studio talks to the server only
 * through the public /v2 API with the user's key; nothing here needs or checks one.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data: http: https:",
  "media-src 'self' blob: http: https:",
  "connect-src 'self' http: https:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** dist/studio beside the compiled server (dist/src/server → dist/studio), or RESYNC_STUDIO_DIR. */
export function studioDir(): string {
  return resolve(process.env.RESYNC_STUDIO_DIR || fileURLToPath(new URL('../../studio', import.meta.url)));
}

/** Paths that belong to the API: never answered with the Studio's index.html. */
const API_PREFIXES = ['/v2/', '/v2', '/api-json'];

/**
 * Answers a GET/HEAD for a Studio file. Returns false when the request is not the Studio's
 * (other methods, API paths, missing files with an extension), so the caller can 404 it.
 */
export function serveStudio(req: IncomingMessage, res: ServerResponse, dir = studioDir()): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return false;
  }
  if (API_PREFIXES.some((p) => path === p || (p.endsWith('/') && path.startsWith(p)))) return false;
  if (path.includes('\0')) return false;
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    if (path !== '/') return false;
    const body = 'The Studio is not built. Run `npm run build:studio` (npm ci does it), then reload.\n';
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
  let file = resolve(dir, '.' + path);
  if (file !== dir && !file.startsWith(dir + sep)) return false; // no way out of the build folder
  let st = statOf(file);
  if (st?.isDirectory()) {
    file = join(file, 'index.html');
    st = statOf(file);
  }
  if (!st?.isFile()) {
    if (extname(path)) return false; // a missing asset is a 404, not the app
    file = index;
    st = statOf(file);
    if (!st) return false;
  }
  const ext = extname(file).toLowerCase();
  const immutable = file.startsWith(join(dir, 'assets') + sep);
  res.writeHead(200, {
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'content-length': String(st.size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(ext === '.html' ? { 'content-security-policy': CSP, 'referrer-policy': 'no-referrer' } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
  return true;
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
