/**
 * The Studio's only way to the server: the public Sync-v2-compatible REST API, the same one the
 * SDK uses, authenticated with the `x-api-key` header. No private routes.
 */

export type GenerationStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'REJECTED' | 'CANCELED' | 'TIMED_OUT';
export const TERMINAL: GenerationStatus[] = ['COMPLETED', 'FAILED', 'REJECTED', 'CANCELED', 'TIMED_OUT'];

export interface InputItem {
  type: 'video' | 'image' | 'audio' | 'text';
  url?: string;
  assetId?: string;
  refId?: string;
  provider?: { name: string; voiceId?: string; script?: string };
}

export interface GenerationOptions {
  sync_mode?: string;
  temperature?: number;
  active_speaker_detection?: { auto_detect?: boolean; frame_number?: number; coordinates?: [number, number] };
  occlusion_detection_enabled?: boolean;
  [k: string]: unknown;
}

export interface Generation {
  id: string;
  createdAt: string;
  updatedAt?: string;
  status: GenerationStatus;
  model: string;
  input: InputItem[];
  options?: GenerationOptions;
  outputUrl?: string | null;
  outputMediaUrl?: string | null;
  outputDuration?: number | null;
  outputFileName?: string | null;
  error?: string | null;
  errorCode?: string | null;
  progress_percent?: number | null;
  /** Optional extras a server may add; the Studio shows them when present. */
  progress?: { percent?: number; stage?: string; stages?: string[] } | null;
  stage?: string | null;
  reportUrl?: string | null;
  report?: unknown;
  thumbnailUrl?: string | null;
  [k: string]: unknown;
}

export interface ApiErrorBody {
  message?: string | string[];
  statusCode?: number;
  errorCode?: string;
  error?: string;
}

export class ApiError extends Error {
  constructor(public status: number, public body: ApiErrorBody) {
    super(Array.isArray(body.message) ? body.message.join('; ') : body.message || body.error || `HTTP ${status}`);
  }
  get code(): string | undefined {
    return this.body.errorCode;
  }
}

export interface Model {
  id?: string;
  name?: string;
  description?: string;
  [k: string]: unknown;
}

export interface CostEstimate {
  estimatedFrameCount?: number;
  estimatedGenerationCost?: number;
  estimatedCredits?: number | null;
  estimatedSeconds?: number;
  [k: string]: unknown;
}

export interface Batch {
  id: string;
  created_at?: string;
  createdAt?: string;
  status: string;
  metrics?: { total_generations?: number; success_count?: number; failed_count?: number; pending_count?: number };
  outputUrl?: string | null;
  [k: string]: unknown;
}

export interface Voice {
  id: string;
  name: string;
  provider?: string;
}

export interface ErrorCatalogueEntry {
  code: string;
  message?: string;
  suggestion?: string;
}

const KEY_STORAGE = 'resync.studio.apiKey';

export function storedKey(): string {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? '';
  } catch {
    return '';
  }
}
export function storeKey(key: string): void {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    /* private mode: the key lives for this page only */
  }
}

export class Api {
  constructor(public key: string, public base = '') {}

  private async call<T>(method: string, path: string, body?: unknown, opts: { raw?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const headers: Record<string, string> = { 'x-api-key': this.key };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(this.base + path, { method, headers, body: payload, signal: opts.signal });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiError(0, { message: 'The server could not be reached.', errorCode: 'network_error' });
    }
    const text = await res.text();
    if (!res.ok) {
      let parsed: ApiErrorBody;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { message: text || res.statusText };
      }
      if (parsed.statusCode === undefined) parsed.statusCode = res.status;
      throw new ApiError(res.status, parsed);
    }
    if (opts.raw) return text as T;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Faces in a still of the first frame (`POST /v2/analyze/faces`), boxes in its pixels. */
  async detectFaces(png: Blob): Promise<Array<{ x: number; y: number; width: number; height: number }>> {
    const form = new FormData();
    form.append('image', png, 'first-frame.png');
    const r = await this.call<{ faces?: Array<{ x: number; y: number; width: number; height: number }> }>('POST', '/v2/analyze/faces', form);
    return r.faces ?? [];
  }

  /** A cheap authenticated call: resolves when the key works. */
  async checkKey(): Promise<void> {
    await this.call('GET', '/v2/generations?limit=1');
  }

  models(): Promise<Model[] | { models?: Model[] }> {
    return this.call('GET', '/v2/models');
  }

  /** The server's text-to-speech voices (`GET /v2/voices`); undefined when it offers none. */
  async voices(): Promise<Voice[] | undefined> {
    try {
      const r = await this.call<unknown>('GET', '/v2/voices');
      const list = Array.isArray(r) ? r : ((r as { voices?: unknown[]; data?: unknown[] })?.voices ?? (r as { data?: unknown[] })?.data);
      if (!Array.isArray(list) || !list.length) return undefined;
      return list.map((v) => {
        const o = v as Record<string, unknown>;
        return { id: String(o.voiceId ?? o.id ?? o.name), name: String(o.name ?? o.id ?? o.voiceId), provider: typeof o.provider === 'string' ? o.provider : undefined };
      });
    } catch {
      return undefined;
    }
  }

  async errorCatalogue(): Promise<ErrorCatalogueEntry[]> {
    const r = await fetch(this.base + '/v2/errors');
    if (!r.ok) return [];
    const j = await r.json();
    return Array.isArray(j) ? j : Array.isArray(j?.errors) ? j.errors : [];
  }

  async list(status?: string[]): Promise<Generation[]> {
    const q = new URLSearchParams({ limit: '100' });
    if (status?.length) q.set('status', status.join(','));
    const r = await this.call<Generation[] | { data?: Generation[]; items?: Generation[]; generations?: Generation[] }>('GET', `/v2/generations?${q}`);
    return Array.isArray(r) ? r : r.data ?? r.items ?? r.generations ?? [];
  }

  get(id: string, opts: { wait?: boolean; signal?: AbortSignal } = {}): Promise<Generation> {
    const q = new URLSearchParams({ include: 'progress' });
    if (opts.wait) {
      q.set('wait', 'true');
      q.set('timeout', '5');
    }
    return this.call('GET', `/v2/generate/${encodeURIComponent(id)}?${q}`, undefined, { signal: opts.signal });
  }

  /** Create with files (multipart): `video`/`image`/`audio` file parts; nested fields as JSON strings. */
  createWithFiles(f: {
    model: string;
    visual?: { kind: 'video' | 'image'; file?: Blob; name?: string; url?: string };
    audio?: { file?: Blob; name?: string; url?: string };
    text?: InputItem;
    options: GenerationOptions;
    outputFileName?: string;
  }): Promise<Generation> {
    const fd = new FormData();
    fd.set('model', f.model);
    const input: InputItem[] = [];
    if (f.visual?.url) input.push({ type: f.visual.kind, url: f.visual.url });
    if (f.audio?.url) input.push({ type: 'audio', url: f.audio.url });
    if (f.text) input.push(f.text);
    if (input.length) fd.set('input', JSON.stringify(input));
    fd.set('options', JSON.stringify(f.options));
    if (f.outputFileName) fd.set('outputFileName', f.outputFileName);
    if (f.visual?.file) fd.set(f.visual.kind, f.visual.file, f.visual.name ?? f.visual.kind);
    if (f.audio?.file) fd.set('audio', f.audio.file, f.audio.name ?? 'audio');
    return this.call('POST', '/v2/generate', fd);
  }

  /** Create from URLs (JSON), used to re-run a generation with other settings. */
  create(body: { model: string; input: InputItem[]; options?: GenerationOptions; outputFileName?: string }): Promise<Generation> {
    return this.call('POST', '/v2/generate', body);
  }

  remove(id: string): Promise<unknown> {
    return this.call('DELETE', `/v2/generations/${encodeURIComponent(id)}`);
  }

  async downloadUrl(id: string): Promise<string> {
    const t = await this.call<string>('GET', `/v2/generations/${encodeURIComponent(id)}/download`, undefined, { raw: true });
    const s = t.trim();
    if (s.startsWith('{')) {
      try {
        const j = JSON.parse(s);
        return j.url ?? j.outputUrl ?? s;
      } catch {
        /* plain text */
      }
    }
    return s.replace(/^"|"$/g, '');
  }

  /** The duration-based estimate (`POST /v2/generations/estimate`). */
  estimate(body: { model: string; duration: number; fps?: number }): Promise<CostEstimate> {
    return this.call('POST', '/v2/generations/estimate', body);
  }

  createBatch(file: Blob, name: string, dryRun = false): Promise<Batch | { status: string }> {
    const fd = new FormData();
    fd.set('input', file, name);
    if (dryRun) fd.set('dry_run', 'true');
    return this.call('POST', '/v2/batch', fd);
  }

  async batches(): Promise<Batch[]> {
    const r = await this.call<Batch[] | { data?: Batch[]; items?: Batch[]; batches?: Batch[] }>('GET', '/v2/batch');
    return Array.isArray(r) ? r : r.data ?? r.items ?? r.batches ?? [];
  }

  batch(id: string): Promise<Batch> {
    return this.call('GET', `/v2/batch/${encodeURIComponent(id)}`);
  }

  /**
   * Fetch a media/report URL. Same-origin URLs get the key header (the server may protect its files);
   * others are fetched plainly.
   */
  async fetchBlob(url: string): Promise<Blob> {
    const u = new URL(localize(url), location.href);
    const headers: Record<string, string> = u.origin === location.origin ? { 'x-api-key': this.key } : {};
    const r = await fetch(u, { headers });
    if (!r.ok) throw new ApiError(r.status, { message: `Could not load ${u.pathname} (HTTP ${r.status}).` });
    return r.blob();
  }

  async fetchJson<T>(url: string): Promise<T> {
    const b = await this.fetchBlob(url);
    return JSON.parse(await b.text()) as T;
  }
}

const LOOPBACK = /^(0\.0\.0\.0|localhost|127\.\d+\.\d+\.\d+|\[::1?\])$/i;

/**
 * A URL the server handed out, made reachable from this page: a server that names itself by a
 * loopback or wildcard address (0.0.0.0, localhost, 127.0.0.1) is the one serving this page when
 * the port matches, so its files are fetched from this page's origin instead.
 */
export function localize(url: string): string {
  try {
    const u = new URL(url, location.href);
    const here = new URL(location.href);
    if (u.origin !== here.origin && LOOPBACK.test(u.hostname) && LOOPBACK.test(here.hostname) && u.port === here.port) return here.origin + u.pathname + u.search;
    return u.href;
  } catch {
    return url;
  }
}

/** Files the server publishes under unguessable token URLs (no key needed, range requests work). */
export function isPublicFile(url: string): boolean {
  try {
    return /^\/(files|batch-results)\//.test(new URL(url, location.href).pathname);
  } catch {
    return false;
  }
}

export function outputOf(g: Generation): string | undefined {
  return (g.outputMediaUrl || g.outputUrl) ?? undefined;
}

export function progressOf(g: Generation): number | undefined {
  if (g.status === 'COMPLETED') return 100;
  const p = g.progress_percent ?? g.progress?.percent;
  return typeof p === 'number' && Number.isFinite(p) ? Math.max(0, Math.min(100, p)) : undefined;
}

export function stageOf(g: Generation): string | undefined {
  const s = g.stage ?? g.progress?.stage;
  return typeof s === 'string' && s ? s : undefined;
}
