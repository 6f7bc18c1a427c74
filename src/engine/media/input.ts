/**
 * Turns an input given as a local path or an http(s) URL into a local file that ffmpeg may read.
 *
 * URLs are fetched here, by Node, never by ffmpeg: ffmpeg only ever gets plain local files
 * (guard.ts whitelists the file protocol), so every network rule lives in one place:
 *  - only http: and https: (file:, data:, ftp:, gopher:... are refused as *_inaccessible);
 *  - the SSRF guard (address-guard.ts) checks every address a name resolves to and connects to
 *    exactly the validated address; redirects are followed by hand (at most maxRedirects) and
 *    each hop is checked again;
 *  - a byte limit (Content-Length up front, then counted while streaming), an overall time limit
 *    and an idle limit;
 *  - the body is sniffed by content, not by extension or Content-Type: HTML error pages,
 *    playlists and file lists are refused before ffprobe sees them.
 * The fetched file lives in its own temp directory; cleanup() removes it (it is also removed when
 * the fetch fails).
 */
import { stat, open, rm, symlink, type FileHandle } from 'node:fs/promises';
import { makeTempDir } from '../temp-dirs.js';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { isIP } from 'node:net';
import http from 'node:http';
import https from 'node:https';
import { ResyncError, type ErrorCode } from '../errors.js';
import { forbiddenAddressReason, guardedLookup, hostAllowed, ForbiddenAddressError, type AddressPolicy, type HostResolver } from './address-guard.js';
import { sniffContent, SNIFF_BYTES, type SniffKind } from './sniff.js';

export type InputRole = 'video' | 'audio';

export const DEFAULT_MAX_INPUT_BYTES = 2 * 1024 ** 3;

export interface ResolveInputOptions extends AddressPolicy {
  /** Largest accepted input (fetched or local), bytes. Default 2 GiB. */
  maxBytes?: number;
  /** Whole fetch, redirects included. Default 10 minutes. */
  timeoutMs?: number;
  /** No bytes received for this long fails the fetch. Default 30 s. */
  idleTimeoutMs?: number;
  /** Default 3. */
  maxRedirects?: number;
  /** Where the fetched file's temp directory is made. Default os.tmpdir(). */
  tempDir?: string;
  /** Name resolution for the SSRF guard (default: the system resolver). */
  resolver?: HostResolver;
}

export interface ResolvedInput {
  /** Absolute local path ffmpeg may read. */
  path: string;
  /** What the caller passed. */
  source: string;
  fetched: boolean;
  sizeBytes: number;
  /** Content-Type the server claimed (informational only). */
  contentType?: string;
  /** What the first bytes look like (fetched inputs). */
  sniffed?: SniffKind;
  /** Removes the fetched temp file; a no-op for local paths. Safe to call twice. */
  cleanup(): Promise<void>;
}

export function errorCodes(role: InputRole): { invalid: ErrorCode; inaccessible: ErrorCode } {
  return role === 'video'
    ? { invalid: 'generation_input_video_invalid', inaccessible: 'generation_input_video_inaccessible' }
    : { invalid: 'generation_input_audio_invalid', inaccessible: 'generation_input_audio_inaccessible' };
}

/** "scheme:" at the start (two or more letters, so a Windows drive letter is not a scheme). */
const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;

export async function resolveInput(pathOrUrl: string, role: InputRole, opts: ResolveInputOptions = {}): Promise<ResolvedInput> {
  const { inaccessible } = errorCodes(role);
  if (typeof pathOrUrl !== 'string' || pathOrUrl.trim() === '') {
    throw new ResyncError(inaccessible, `no ${role} input was given`);
  }
  const scheme = SCHEME.exec(pathOrUrl)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return fetchInput(pathOrUrl, role, opts);
  if (scheme !== undefined) {
    throw new ResyncError(inaccessible, `${role} input scheme "${scheme}:" is not supported: give a local path or an http(s) URL`);
  }
  return localInput(pathOrUrl, role, opts);
}

async function localInput(p: string, role: InputRole, opts: ResolveInputOptions): Promise<ResolvedInput> {
  const { inaccessible } = errorCodes(role);
  const path = resolve(p);
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new ResyncError(inaccessible, `${role} input is not a regular file: ${p}`);
    size = st.size;
  } catch (e) {
    if (e instanceof ResyncError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not readable (permission denied)' : `not accessible (${code ?? String(e)})`;
    throw new ResyncError(inaccessible, `${role} input ${why}: ${p}`, { cause: e });
  }
  const max = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (size > max) throw new ResyncError('generation_input_too_large', `${role} input is ${size} bytes, over the ${max}-byte limit`);
  if (basename(path).includes('%')) {
    // ffmpeg reads "img%d.png" as an image-sequence pattern (and guard.ts refuses that demuxer),
    // so such a file is handed over under a plain alias.
    const dir = await makeTempDir('input', opts.tempDir ?? tmpdir());
    const alias = join(dir, `input${extname(path).replace(/[^A-Za-z0-9.]/g, '')}`);
    await symlink(path, alias);
    return { path: alias, source: p, fetched: false, sizeBytes: size, cleanup: () => rm(dir, { recursive: true, force: true }) };
  }
  return { path, source: p, fetched: false, sizeBytes: size, cleanup: async () => {} };
}

interface FetchState {
  role: InputRole;
  opts: ResolveInputOptions;
  deadline: number;
}

async function fetchInput(source: string, role: InputRole, opts: ResolveInputOptions): Promise<ResolvedInput> {
  const { inaccessible } = errorCodes(role);
  let url: URL;
  try {
    url = new URL(source);
  } catch (e) {
    throw new ResyncError(inaccessible, `${role} input URL is malformed: ${source}`, { cause: e });
  }
  const dir = await makeTempDir('input', opts.tempDir ?? tmpdir());
  const cleanup = async (): Promise<void> => {
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const state: FetchState = { role, opts, deadline: Date.now() + (opts.timeoutMs ?? 10 * 60_000) };
    const maxRedirects = opts.maxRedirects ?? 3;
    for (let hop = 0; ; hop++) {
      const res = await request(url, state);
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.destroy();
        if (hop >= maxRedirects) throw new ResyncError(inaccessible, `${role} URL redirected more than ${maxRedirects} times`);
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch (e) {
          throw new ResyncError(inaccessible, `${role} URL redirected to a malformed location`, { cause: e });
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          throw new ResyncError(inaccessible, `${role} URL redirected to an unsupported scheme "${next.protocol}"`);
        }
        url = next;
        continue;
      }
      if (status !== 200) {
        res.destroy();
        throw new ResyncError(inaccessible, `${role} URL answered HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`);
      }
      const saved = await saveBody(res, dir, state);
      return { ...saved, source, fetched: true, contentType: res.headers['content-type'], cleanup };
    }
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** One HTTP exchange up to the response headers, with the SSRF guard on the connection. */
function request(url: URL, state: FetchState): Promise<http.IncomingMessage> {
  const { role, opts } = state;
  const { inaccessible } = errorCodes(role);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new ResyncError(inaccessible, `${role} URL scheme "${url.protocol}" is not supported`));
  }
  if (url.username || url.password) {
    return Promise.reject(new ResyncError(inaccessible, `${role} URL must not carry credentials`));
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const allowed = hostAllowed(hostname, opts);
  // IP literals never go through `lookup`, so they are judged here.
  if (!allowed && isIP(hostname)) {
    const why = forbiddenAddressReason(hostname);
    if (why) return Promise.reject(new ResyncError(inaccessible, `${role} URL host ${hostname} is ${why}; refused`));
  }
  const remaining = state.deadline - Date.now();
  if (remaining <= 0) return Promise.reject(timeoutError(role));
  const mod = url.protocol === 'https:' ? https : http;
  return new Promise((resolvePromise, reject) => {
    const req = mod.request(url, {
      method: 'GET',
      headers: { 'user-agent': 'resync-media-fetch', 'accept-encoding': 'identity', accept: '*/*' },
      // An allowed host skips the guard; every other name is resolved and validated by us.
      ...(allowed ? {} : { lookup: guardedLookup(opts.resolver) as unknown as typeof import('node:dns').lookup }),
      agent: false,
    });
    let done = false;
    const fail = (e: unknown): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      reject(mapNetError(e, role));
    };
    const timer = setTimeout(() => fail(timeoutError(role)), remaining);
    req.setTimeout(opts.idleTimeoutMs ?? 30_000, () => fail(timeoutError(role, 'the server stopped responding')));
    req.on('error', fail);
    req.on('response', (res) => {
      if (done) {
        res.destroy();
        return;
      }
      done = true;
      clearTimeout(timer);
      resolvePromise(res);
    });
    req.end();
  });
}

/** Streams the body to a temp file, enforcing size and time limits and sniffing the first bytes. */
async function saveBody(res: http.IncomingMessage, dir: string, state: FetchState): Promise<{ path: string; sizeBytes: number; sniffed: SniffKind }> {
  const { role, opts } = state;
  const { invalid } = errorCodes(role);
  const max = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const declared = Number(res.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    res.destroy();
    throw new ResyncError('generation_input_too_large', `${role} URL body is ${declared} bytes, over the ${max}-byte limit`);
  }
  const remaining = state.deadline - Date.now();
  const timer = setTimeout(() => res.destroy(timeoutError(role)), Math.max(0, remaining));
  const idleMs = opts.idleTimeoutMs ?? 30_000;
  let idle = setTimeout(() => res.destroy(timeoutError(role, 'the server stopped sending')), idleMs);
  const head: Buffer[] = [];
  let headLen = 0;
  let sniffed: SniffKind | undefined;
  let fh: FileHandle | undefined;
  let path = '';
  let total = 0;
  const sniffAndOpen = async (): Promise<void> => {
    sniffed = sniffContent(Buffer.concat(head, headLen));
    if (sniffed.kind === 'playlist') throw new ResyncError(invalid, `${role} URL returned ${sniffed.what}, which is refused (playlists and file lists are not accepted)`);
    if (sniffed.kind === 'text') throw new ResyncError(invalid, `${role} URL returned ${sniffed.what}, not media`);
    path = join(dir, `input${sniffed.kind === 'media' ? sniffed.ext : '.bin'}`);
    fh = await open(path, 'wx', 0o600);
    for (const h of head) await fh.write(h);
  };
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      clearTimeout(idle);
      idle = setTimeout(() => res.destroy(timeoutError(role, 'the server stopped sending')), idleMs);
      total += chunk.length;
      if (total > max) throw new ResyncError('generation_input_too_large', `${role} URL body is over the ${max}-byte limit`);
      if (!fh) {
        head.push(chunk);
        headLen += chunk.length;
        if (headLen >= SNIFF_BYTES) await sniffAndOpen();
      } else {
        await fh.write(chunk);
      }
    }
    if (!res.complete) throw new ResyncError(errorCodes(role).inaccessible, `${role} URL body ended early (connection closed after ${total} bytes)`);
    if (total === 0) throw new ResyncError(invalid, `${role} URL returned an empty body`);
    if (!fh) await sniffAndOpen();
    return { path, sizeBytes: total, sniffed: sniffed! };
  } catch (e) {
    res.destroy();
    throw mapNetError(e, role);
  } finally {
    clearTimeout(timer);
    clearTimeout(idle);
    await (fh as FileHandle | undefined)?.close();
  }
}

function timeoutError(role: InputRole, why = 'the time limit was reached'): ResyncError {
  return new ResyncError('generation_input_timeout', `fetching the ${role} URL took too long: ${why}`);
}

function mapNetError(e: unknown, role: InputRole): ResyncError {
  if (e instanceof ResyncError) return e;
  const { inaccessible } = errorCodes(role);
  if (e instanceof ForbiddenAddressError) return new ResyncError(inaccessible, `${role} URL refused: ${e.message}`, { cause: e });
  const err = e as NodeJS.ErrnoException;
  return new ResyncError(inaccessible, `${role} URL could not be fetched: ${err?.code ?? ''} ${err?.message ?? String(e)}`.trim(), { cause: e });
}
