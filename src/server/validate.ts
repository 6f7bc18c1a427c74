/**
 * Validation of a create body (JSON, a multipart form turned into the same shape, or a batch
 * line) before anything is queued. Every answer names the field at fault. The result is the
 * normalised request that is stored and echoed back by GET.
 */
import { ApiError } from './errors.js';
import { MODELS, isModelName, type ModelName } from '../engine/generate/models.js';
import { SYNC_MODES } from '../engine/generate/timeline.js';
import type { TextProviderSpec } from '../engine/tts/speak.js';
import { validateTextInput } from './tts-input.js';

/** Sync's model names this server does not run (the SDK knows them, so they get a clear answer). */
const SYNC_ONLY_MODELS = ['lipsync-1.9.0-beta', 'react-1', 'lipsync-2-mini', 'appearence-1'];

export interface WireMedia {
  type: 'video' | 'image' | 'audio' | 'text';
  url?: string;
  assetId?: string;
  refId?: string;
  /** type "text": what to say and with which voice (tts-input.ts). */
  provider?: TextProviderSpec;
}

export interface WireSegment {
  startTime: number;
  endTime: number;
  audioInput: { refId: string; startTime?: number; endTime?: number };
}

export interface WireOptions {
  sync_mode?: (typeof SYNC_MODES)[number];
  temperature?: number;
  active_speaker_detection?: { auto_detect?: boolean; frame_number?: number; coordinates?: number[]; bounding_boxes?: (number[] | null)[] };
  occlusion_detection_enabled?: boolean;
  model_mode?: string;
  prompt?: string;
}

export interface CreateRequest {
  model: ModelName;
  input: WireMedia[];
  options: WireOptions;
  segments?: WireSegment[];
  webhookUrl?: string;
  outputFileName?: string;
}

const bad = (message: string, code = 'generation_input_validation_failed', status = 400): never => {
  throw new ApiError(status, code, message);
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function httpUrl(v: unknown, field: string): string {
  if (typeof v !== 'string' || v.length > 8192) return bad(`${field} must be a URL string`);
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return bad(`${field} is not a valid URL: ${v.slice(0, 200)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') bad(`${field} must be an http(s) URL`);
  return v;
}

export function validateCreate(body: unknown): CreateRequest {
  if (!isObj(body)) return bad('request body must be a JSON object');
  const model = body.model;
  if (model === undefined || model === null || model === '') bad('model is required');
  if (typeof model !== 'string' || !isModelName(model)) {
    const known = SYNC_ONLY_MODELS.includes(String(model)) ? ` is a Sync model this server does not run` : ' is not a known model';
    return bad(`model "${String(model)}"${known}; use one of ${MODELS.join(', ')}`, 'generation_unsupported_model');
  }

  if (!Array.isArray(body.input) || body.input.length === 0) bad('input must be a non-empty array with one video (or image) and one audio');
  const inputs: WireMedia[] = [];
  (body.input as unknown[]).forEach((raw, i) => {
    const f = `input[${i}]`;
    if (!isObj(raw)) bad(`${f} must be an object`);
    const item = raw as Record<string, unknown>;
    const type = item.type;
    if (type === 'text') {
      inputs.push(validateTextInput(item, f));
      return;
    }
    if (type !== 'video' && type !== 'image' && type !== 'audio') bad(`${f}.type must be "video", "image" or "audio"`);
    const hasUrl = item.url !== undefined && item.url !== null;
    const hasAsset = item.assetId !== undefined && item.assetId !== null;
    if (hasUrl && hasAsset) bad(`${f} has both url and assetId; give exactly one`);
    if (!hasUrl && !hasAsset) bad(`${f} needs a url or an assetId`);
    const m: WireMedia = { type: type as WireMedia['type'] };
    if (hasUrl) m.url = httpUrl(item.url, `${f}.url`);
    if (hasAsset) {
      if (typeof item.assetId !== 'string' || item.assetId === '') bad(`${f}.assetId must be a string`);
      m.assetId = item.assetId as string;
    }
    if (item.refId !== undefined) {
      if (typeof item.refId !== 'string' || item.refId === '') bad(`${f}.refId must be a non-empty string`);
      m.refId = item.refId as string;
    }
    if (item.segments_secs !== undefined || item.segments_frames !== undefined) {
      bad(`${f}: segments_secs / segments_frames (deprecated trimming) are not supported; trim the video before upload`, 'generation_input_trim_invalid', 422);
    }
    inputs.push(m);
  });
  const visual = inputs.filter((m) => m.type === 'video' || m.type === 'image');
  const audio = inputs.filter((m) => m.type === 'audio' || m.type === 'text');
  if (visual.length === 0) bad('input has no video (or image); give one {"type":"video"} item');
  if (visual.length > 1) bad('input has more than one video or image; give exactly one', 'generation_input_too_many_visual');
  if (visual[0].type === 'image' && model !== 'sync-3') bad(`image inputs need model sync-3 (got ${model})`);
  if (audio.length === 0) bad('input has no audio; give one {"type":"audio"} item');

  const options = validateOptions(body.options);

  let segments: WireSegment[] | undefined;
  if (body.segments !== undefined && body.segments !== null) {
    segments = validateSegmentsShape(body.segments, audio);
  } else if (audio.length > 1) {
    bad('input has more than one audio; several audio inputs need segments');
  }

  const out: CreateRequest = { model, input: inputs, options };
  if (segments) out.segments = segments;
  if (body.webhookUrl !== undefined && body.webhookUrl !== null && body.webhookUrl !== '') out.webhookUrl = httpUrl(body.webhookUrl, 'webhookUrl');
  if (body.outputFileName !== undefined && body.outputFileName !== null) {
    const n = body.outputFileName;
    if (typeof n !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(n)) {
      bad('outputFileName may only contain letters, digits, "_" and "-" (1–255 characters, no extension)');
    }
    out.outputFileName = n as string;
  }
  return out;
}

function validateOptions(raw: unknown): WireOptions {
  if (raw === undefined || raw === null) return {};
  if (!isObj(raw)) return bad('options must be an object');
  const o: WireOptions = {};
  if (raw.sync_mode !== undefined) {
    if (typeof raw.sync_mode !== 'string' || !(SYNC_MODES as readonly string[]).includes(raw.sync_mode)) {
      bad(`options.sync_mode must be one of ${SYNC_MODES.join(', ')} (got ${JSON.stringify(raw.sync_mode)})`);
    }
    o.sync_mode = raw.sync_mode as WireOptions['sync_mode'];
  }
  if (raw.temperature !== undefined) {
    if (!isNum(raw.temperature) || raw.temperature < 0 || raw.temperature > 1) bad(`options.temperature must be a number from 0 to 1 (got ${JSON.stringify(raw.temperature)})`);
    o.temperature = raw.temperature as number;
  }
  if (raw.occlusion_detection_enabled !== undefined) {
    if (typeof raw.occlusion_detection_enabled !== 'boolean') bad('options.occlusion_detection_enabled must be true or false');
    o.occlusion_detection_enabled = raw.occlusion_detection_enabled as boolean;
  }
  if (raw.active_speaker_detection !== undefined && raw.active_speaker_detection !== null) {
    const a = raw.active_speaker_detection;
    if (!isObj(a)) return bad('options.active_speaker_detection must be an object');
    const asd: NonNullable<WireOptions['active_speaker_detection']> = {};
    if (a.auto_detect !== undefined) {
      if (typeof a.auto_detect !== 'boolean') bad('options.active_speaker_detection.auto_detect must be true or false');
      asd.auto_detect = a.auto_detect as boolean;
    }
    if (a.frame_number !== undefined) {
      if (!Number.isInteger(a.frame_number) || (a.frame_number as number) < 0) bad('options.active_speaker_detection.frame_number must be an integer ≥ 0');
      asd.frame_number = a.frame_number as number;
    }
    if (a.coordinates !== undefined) {
      const c = a.coordinates;
      if (!Array.isArray(c) || c.length !== 2 || !c.every((x) => isNum(x) && x >= 0)) bad('options.active_speaker_detection.coordinates must be [x, y] in pixels');
      asd.coordinates = c as number[];
    }
    if (a.bounding_boxes !== undefined) {
      const b = a.bounding_boxes;
      if (!Array.isArray(b) || !b.every((x) => x === null || (Array.isArray(x) && x.length === 4 && x.every(isNum) && x[2] > x[0] && x[3] > x[1]))) {
        bad('options.active_speaker_detection.bounding_boxes must be a list of [x1, y1, x2, y2] (or null) per frame', 'generation_input_face_selection_invalid');
      }
      asd.bounding_boxes = b as (number[] | null)[];
    }
    o.active_speaker_detection = asd;
  }
  // react-1 options: accepted and ignored, as Sync ignores options a model does not use
  if (typeof raw.model_mode === 'string') o.model_mode = raw.model_mode;
  if (typeof raw.prompt === 'string') o.prompt = raw.prompt;
  return o;
}

function validateSegmentsShape(raw: unknown, audio: WireMedia[]): WireSegment[] {
  const segBad = (m: string): never => bad(`segments: ${m}`, 'generation_input_segments_invalid');
  if (!Array.isArray(raw) || raw.length === 0) segBad('must be a non-empty array');
  const refIds = new Set<string>();
  for (const a of audio) {
    if (!a.refId) segBad('every audio input needs a refId when segments are used');
    if (refIds.has(a.refId!)) segBad(`audio refId "${a.refId}" is used twice`);
    refIds.add(a.refId!);
  }
  const out: WireSegment[] = [];
  (raw as unknown[]).forEach((s, i) => {
    if (!isObj(s)) segBad(`[${i}] must be an object`);
    const seg = s as Record<string, unknown>;
    if (!isNum(seg.startTime) || !isNum(seg.endTime) || seg.startTime < 0 || seg.endTime <= seg.startTime) segBad(`[${i}] needs startTime ≥ 0 and endTime > startTime`);
    const ai = seg.audioInput;
    if (!isObj(ai) || typeof ai.refId !== 'string') return segBad(`[${i}].audioInput.refId is required`);
    if (!refIds.has(ai.refId)) segBad(`[${i}].audioInput.refId "${ai.refId}" names no audio input`);
    const hasS = ai.startTime !== undefined, hasE = ai.endTime !== undefined;
    if (hasS !== hasE) segBad(`[${i}].audioInput startTime and endTime come together or not at all`);
    if (hasS && (!isNum(ai.startTime) || !isNum(ai.endTime) || ai.startTime < 0 || ai.endTime <= ai.startTime)) segBad(`[${i}].audioInput crop needs endTime > startTime ≥ 0`);
    const w: WireSegment = { startTime: seg.startTime as number, endTime: seg.endTime as number, audioInput: { refId: ai.refId } };
    if (hasS) Object.assign(w.audioInput, { startTime: ai.startTime, endTime: ai.endTime });
    out.push(w);
  });
  const sorted = [...out].sort((a, b) => a.startTime - b.startTime);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].startTime < sorted[i - 1].endTime - 1e-6) segBad(`segments overlap at ${sorted[i].startTime}s`);
  return out;
}
