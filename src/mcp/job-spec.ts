/**
 * A create-generation body (Sync's wire shape) → what one engine run needs, checked up front so a
 * bad request fails at create time with Sync's errorCode instead of as a FAILED job later.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isModelName, MODELS, type ModelName } from '../engine/generate/models.js';
import { isSyncMode, SYNC_MODES, type SyncMode } from '../engine/generate/timeline.js';
import type { SpeakerSelection } from '../engine/face/types.js';
import { parseTextProvider, type TextProviderSpec } from '../engine/tts/speak.js';
import { ResyncError } from '../engine/errors.js';
import { ApiError, type Asset, type CreateGenerationBody } from './types.js';

export interface JobSpec {
  model: ModelName;
  /** Path or URL of the video or still image. */
  visual: string;
  visualKind: 'video' | 'image';
  /** Path or URL of the speech, or a script to synthesise. */
  audio: { source: string } | { text: TextProviderSpec };
  syncMode: SyncMode;
  temperature: number;
  speaker: SpeakerSelection;
  outputFileName?: string;
}

const invalid = (message: string, errorCode = 'generation_input_validation_failed'): ApiError => new ApiError(400, errorCode, message);

/** Maps engine errors to API errors: the engine's codes are Sync's where one fits; TTS codes ride in `detail`. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ResyncError) {
    const code = e.detail && /^tts_/.test(e.detail) ? e.detail : e.code === 'invalid_argument' ? 'generation_input_validation_failed' : e.code;
    const status = code === 'tts_service_unavailable' ? 503 : code === 'generation_internal_error' ? 500 : code.startsWith('tts_') ? 422 : 400;
    return new ApiError(status, code, e.message);
  }
  return new ApiError(500, 'internal_error', e instanceof Error ? e.message : String(e));
}

export function jobSpecFrom(body: CreateGenerationBody, lookup: { asset(id: string): Asset | undefined; allowLocalPaths: boolean }): JobSpec {
  if (!body || typeof body !== 'object') throw invalid('the request body must be an object');
  if (!Array.isArray(body.input) || body.input.length === 0) throw invalid('input must list one video or image and one audio or text item');
  if ((body as { webhookUrl?: unknown }).webhookUrl !== undefined) throw new ApiError(422, 'plan_feature_unavailable', 'webhooks need the API server (resync serve, or resync mcp --api-url)');
  if ((body as { segments?: unknown }).segments !== undefined) throw new ApiError(422, 'plan_feature_unavailable', 'segments need the API server (resync serve, or resync mcp --api-url); the local MCP server runs one speech track');
  const visuals = body.input.filter((i) => i?.type === 'video' || i?.type === 'image');
  const speech = body.input.filter((i) => i?.type === 'audio' || i?.type === 'text');
  const other = body.input.filter((i) => !['video', 'image', 'audio', 'text'].includes(i?.type));
  if (other.length) throw invalid(`unknown input type "${String(other[0]?.type)}" (video, image, audio or text)`);
  if (visuals.length !== 1) throw invalid(visuals.length ? 'only one video or image input is allowed' : 'a video or image input is required', visuals.length ? 'generation_input_too_many_visual' : 'generation_input_validation_failed');
  if (speech.length !== 1) throw invalid(speech.length ? 'only one audio or text input is allowed' : 'an audio or text input is required');
  const v = visuals[0];
  const a = speech[0];
  const visualKind = v.type as 'video' | 'image';
  const visual = source(v.url, v.assetId, visualKind, lookup);

  const model = body.model ?? (visualKind === 'image' ? 'sync-3' : 'lipsync-2');
  if (!isModelName(model)) throw new ApiError(400, 'generation_unsupported_model', `model must be one of ${MODELS.join(', ')}`);
  if (visualKind === 'image' && model !== 'sync-3') throw new ApiError(400, 'generation_unsupported_model', 'image inputs are sync-3 only');

  const o = body.options ?? {};
  const syncMode = o.sync_mode ?? 'cut_off';
  if (!isSyncMode(syncMode)) throw invalid(`options.sync_mode must be one of ${SYNC_MODES.join(', ')}`);
  const temperature = o.temperature ?? 0.5;
  if (typeof temperature !== 'number' || !(temperature >= 0 && temperature <= 1)) throw invalid('options.temperature must be a number between 0 and 1');
  let speaker: SpeakerSelection = { mode: 'auto' };
  const asd = o.active_speaker_detection;
  if (asd?.coordinates) {
    const [x, y] = asd.coordinates;
    if (![x, y].every((n) => typeof n === 'number' && n >= 0)) throw invalid('active_speaker_detection.coordinates must be [x, y] in pixels', 'generation_input_face_selection_invalid');
    speaker = { mode: 'point', x, y, frame: asd.frame_number ?? 0 };
  }
  if (body.outputFileName !== undefined && !/^[A-Za-z0-9_-]{1,255}$/.test(body.outputFileName)) throw invalid('outputFileName may use A-Z, a-z, 0-9, _ and - (at most 255 characters, no extension)');

  let audio: JobSpec['audio'];
  if (a.type === 'text') {
    try {
      audio = { text: parseTextProvider(a.provider) };
    } catch (e) {
      throw toApiError(e);
    }
  } else {
    audio = { source: source(a.url, a.assetId, 'audio', lookup) };
  }
  return { model, visual, visualKind, audio, syncMode, temperature, speaker, outputFileName: body.outputFileName };
}

function source(url: string | undefined, assetId: string | undefined, role: 'video' | 'image' | 'audio', lookup: { asset(id: string): Asset | undefined; allowLocalPaths: boolean }): string {
  if ((url === undefined) === (assetId === undefined)) throw invalid(`the ${role} input needs exactly one of url or assetId`);
  if (assetId !== undefined) {
    const asset = lookup.asset(assetId);
    if (!asset) throw new ApiError(404, 'asset_not_found', `no asset "${assetId}"`);
    if (asset.type.toLowerCase() !== role) throw new ApiError(400, 'generation_input_asset_type_mismatch', `asset "${assetId}" is ${asset.type}, not ${role.toUpperCase()}`);
    return asset.url.startsWith('file://') ? fileURLToPath(asset.url) : asset.url;
  }
  if (typeof url !== 'string' || !url) throw invalid(`the ${role} url must be a non-empty string`);
  if (/^https?:\/\//i.test(url)) return url;
  if (!lookup.allowLocalPaths) throw invalid(`the ${role} url must be http(s); upload local files with upload-media first`);
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (!isAbsolute(path)) throw invalid(`the ${role} path must be absolute (got "${url}")`);
  return path;
}
