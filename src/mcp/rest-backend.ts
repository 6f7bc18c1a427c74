/**
 * A backend that speaks Resync's public v2 API (Sync's wire format) with an API key. It serves
 * the streamable-HTTP endpoint at /mcp inside the API server (calling the server's own API, so
 * MCP clients get exactly the API's validation, queue, key scoping and rate limits) and
 * `resync mcp --api-url` over stdio against a remote server. Error bodies come back as ApiError
 * with the server's errorCode.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { LipsyncBackend, UploadSource } from './backend.js';
import { ApiError, type Asset, type CostEstimate, type CreateGenerationBody, type Generation, type GenerationStatus, type InputItem, type MediaBytes, type ModelInfo } from './types.js';
import type { TtsVoice } from '../engine/tts/types.js';

export interface RestBackendOptions {
  /** e.g. http://127.0.0.1:8080 (no trailing /v2). */
  baseUrl: string;
  apiKey: string;
  /** Whether create-lipsync may take local paths (stdio on the user's machine: uploaded first). */
  allowLocalPaths?: boolean;
  /** Voices without a round trip (the server passes its own providers). */
  listVoices?: (provider?: string) => Promise<TtsVoice[]>;
  /** Maps links the API hands out (outputs, upload URLs) to where this process should fetch them. */
  rewriteUrl?: (url: string) => string;
  timeoutMs?: number;
}

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.mkv': 'video/x-matroska', '.avi': 'video/x-msvideo',
  '.wav': 'audio/wav', '.mp3': 'audio/mpeg', '.m4a': 'audio/mp4', '.ogg': 'audio/ogg', '.flac': 'audio/flac', '.aac': 'audio/aac',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp',
};

export class RestBackend implements LipsyncBackend {
  readonly allowsLocalPaths: boolean;
  private readonly base: string;

  constructor(private readonly opts: RestBackendOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.allowsLocalPaths = opts.allowLocalPaths ?? false;
  }

  async createGeneration(body: CreateGenerationBody): Promise<Generation> {
    // Local paths (stdio only) become assets first: the server never reads the caller's disk.
    // One upload at a time: fewer simultaneous large bodies, and registration stays in order.
    const input: InputItem[] = [];
    for (const item of body.input) {
      if (item.url === undefined || /^https?:\/\//i.test(item.url) || item.type === 'text') {
        input.push(item);
        continue;
      }
      if (!this.allowsLocalPaths) throw new ApiError(400, 'generation_input_validation_failed', `the ${item.type} url must be http(s)`);
      const asset = await this.uploadAsset({ path: item.url.replace(/^file:\/\//, '') });
      input.push({ type: item.type, assetId: asset.id, ...(item.refId ? { refId: item.refId } : {}) });
    }
    const model = body.model ?? (input.some((i) => i.type === 'image') ? 'sync-3' : 'lipsync-2');
    return this.json<Generation>('POST', '/v2/generate', { ...body, model, input });
  }

  async getGeneration(id: string): Promise<Generation> {
    return this.json<Generation>('GET', `/v2/generate/${encodeURIComponent(id)}?include=progress`);
  }

  async listGenerations(query: { status?: GenerationStatus[]; limit?: number }): Promise<Generation[]> {
    const q = new URLSearchParams({ limit: String(query.limit ?? 20) });
    if (query.status?.length) q.set('status', query.status.join(','));
    const r = await this.json<Generation[] | { generations?: Generation[]; data?: Generation[] }>('GET', `/v2/generations?${q}`);
    return Array.isArray(r) ? r : r.generations ?? r.data ?? [];
  }

  async deleteGeneration(id: string): Promise<void> {
    await this.json('DELETE', `/v2/generations/${encodeURIComponent(id)}`);
  }

  async estimateCost(query: { model: string; duration?: number; body?: CreateGenerationBody }): Promise<CostEstimate> {
    if (query.duration !== undefined || !query.body) {
      if (query.duration === undefined) throw new ApiError(422, 'cost_estimate_unavailable', 'give a duration (seconds) or an audio input to estimate from');
      const r = await this.json<CostEstimate>('POST', '/v2/generations/estimate', { model: query.model, duration: query.duration });
      return { estimatedFrameCount: r.estimatedFrameCount, estimatedGenerationCost: r.estimatedGenerationCost };
    }
    const r = await this.json<CostEstimate[] | CostEstimate>('POST', '/v2/analyze/cost', { ...query.body, model: query.model });
    const e = Array.isArray(r) ? r[0] : r;
    return { estimatedFrameCount: e.estimatedFrameCount, estimatedGenerationCost: e.estimatedGenerationCost };
  }

  async listModels(): Promise<ModelInfo[]> {
    const r = await this.json<Array<Record<string, unknown>> | { models?: Array<Record<string, unknown>>; data?: Array<Record<string, unknown>> }>('GET', '/v2/models');
    const list = Array.isArray(r) ? r : r.models ?? r.data ?? [];
    return list.map((m) => ({
      name: String(m.name ?? m.id),
      description: String(m.description ?? ''),
      imageInput: Boolean(m.imageInput ?? (Array.isArray(m.inputTypes) ? (m.inputTypes as string[]).includes('image') : m.name === 'sync-3')),
      ...(m.default ? { default: true } : {}),
    }));
  }

  async uploadAsset(src: UploadSource): Promise<Asset> {
    const given = [src.path, src.url, src.data].filter((x) => x !== undefined).length;
    if (given !== 1) throw new ApiError(400, 'generation_input_validation_failed', 'upload exactly one of path, url or data');
    if (src.url !== undefined) {
      return asset(await this.json<Record<string, unknown>>('POST', '/v2/assets', { url: src.url, type: src.type ?? guessType(src.name ?? new URL(src.url).pathname), ...(src.name ? { name: src.name } : {}) }));
    }
    if (src.path !== undefined && !this.allowsLocalPaths) throw new ApiError(400, 'generation_input_validation_failed', 'local paths are not accepted here; send the bytes');
    const name = src.name ?? (src.path ? basename(src.path) : 'upload');
    const data = src.data ?? (await readFile(src.path!).catch((e) => {
      throw new ApiError(400, 'generation_input_validation_failed', `cannot read ${src.path}: ${(e as Error).message}`);
    }));
    if (src.path) await stat(src.path);
    const contentType = CONTENT_TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream';
    const presign = await this.json<{ uploadUrl: string; url: string }>('POST', '/v2/assets/upload', { fileName: name, contentType, size: data.length });
    const put = await this.fetch(this.rewrite(presign.uploadUrl), { method: 'PUT', headers: { 'content-type': contentType }, body: new Uint8Array(data) });
    if (!put.ok) throw await apiErrorFrom(put);
    return asset(await this.json<Record<string, unknown>>('POST', '/v2/assets', { url: presign.url, type: src.type ?? guessType(name), name }));
  }

  async listAssets(limit = 100): Promise<Asset[]> {
    const r = await this.json<Array<Record<string, unknown>> | { assets?: Array<Record<string, unknown>>; data?: Array<Record<string, unknown>> }>('GET', `/v2/assets?limit=${limit}`);
    return (Array.isArray(r) ? r : r.assets ?? r.data ?? []).map(asset);
  }

  async listVoices(provider?: string): Promise<TtsVoice[]> {
    if (this.opts.listVoices) return this.opts.listVoices(provider);
    const r = await this.json<TtsVoice[] | { voices: TtsVoice[] }>('GET', `/v2/voices${provider ? `?provider=${encodeURIComponent(provider)}` : ''}`);
    return Array.isArray(r) ? r : r.voices;
  }

  async readMedia(id: string, kind: 'output' | 'synthesized-audio'): Promise<MediaBytes> {
    const g = await this.getGeneration(id);
    const url = kind === 'output' ? g.outputUrl : g.synthesizedAudioUrl;
    if (!url) throw new ApiError(404, kind === 'output' ? 'generation_not_completed' : 'generation_not_found', kind === 'output' ? `generation ${id} has no output yet (status ${g.status})` : `generation ${id} has no synthesised audio`);
    const res = await this.fetch(this.rewrite(url), {});
    if (!res.ok) throw await apiErrorFrom(res);
    return { data: new Uint8Array(await res.arrayBuffer()), mimeType: (res.headers.get('content-type') ?? (kind === 'output' ? 'video/mp4' : 'audio/wav')).split(';')[0] };
  }

  private rewrite(url: string): string {
    return this.opts.rewriteUrl ? this.opts.rewriteUrl(url) : url;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(this.base + path, {
      method,
      headers: { 'x-api-key': this.opts.apiKey, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw await apiErrorFrom(res);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000) });
    } catch (e) {
      throw new ApiError(503, 'service_unavailable', `the Resync API at ${this.base} could not be reached: ${(e as Error).message}`);
    }
  }
}

async function apiErrorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const b = JSON.parse(text) as { message?: string | string[]; errorCode?: string; statusCode?: number };
    const message = Array.isArray(b.message) ? b.message.join('; ') : b.message ?? text;
    return new ApiError(b.statusCode ?? res.status, b.errorCode ?? (res.status === 401 ? 'unauthorized' : `http_${res.status}`), message);
  } catch {
    return new ApiError(res.status, res.status === 401 ? 'unauthorized' : `http_${res.status}`, text.slice(0, 300) || res.statusText);
  }
}

/** The API's asset (more fields, some absent) in the tools' shape. */
function asset(a: Record<string, unknown>): Asset {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  return {
    id: String(a.id),
    createdAt: String(a.createdAt ?? ''),
    name: String(a.name ?? ''),
    type: (a.type as Asset['type']) ?? 'VIDEO',
    url: String(a.url ?? ''),
    size: num(a.size) ?? 0,
    format: typeof a.format === 'string' ? a.format : null,
    durationSeconds: num(a.durationSeconds),
    width: num(a.width),
    height: num(a.height),
  };
}

function guessType(name: string): 'VIDEO' | 'AUDIO' | 'IMAGE' {
  const t = CONTENT_TYPES[extname(name).toLowerCase()] ?? '';
  return t.startsWith('audio/') ? 'AUDIO' : t.startsWith('image/') ? 'IMAGE' : 'VIDEO';
}
