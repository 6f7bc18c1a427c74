/**
 * Text inputs in the API: `{ "type": "text", "provider": { "name", "voiceId", "script" } }`.
 * Validated with the rest of the create body (an unconfigured provider such as Sync's default
 * "elevenlabs" is a 422 `tts_provider_not_configured` before anything is queued); spoken by the
 * worker just before the engine runs, into the generation's output folder; kept and served like
 * outputs (a files row with its own token) and linked from the generation as
 * `synthesizedAudioUrl`. The worker then sees an ordinary audio input pointing at that file.
 */
import { join } from 'node:path';
import { ResyncError } from '../engine/errors.js';
import { listEspeakVoices, matchEspeakVoice, type EspeakVoice } from '../engine/tts/espeak.js';
import { ESPEAK_PROVIDER_NAMES, DEFAULT_ESPEAK_VOICE } from '../engine/tts/espeak-provider.js';
import { ttsProviders } from '../engine/tts/config.js';
import { parseTextProvider, speakToFile } from '../engine/tts/speak.js';
import { ApiError } from './errors.js';
import type { DB } from './db.js';
import { fileUrl } from './files.js';
import type { GenerationRow } from './store.js';
import type { CreateRequest, WireMedia } from './validate.js';

/** Spoken text runs ~14 characters a second at espeak's default rate (estimates only). */
const CHARS_PER_SECOND = 14;
const SPEECH_NAME = 'synthesized-audio';

let espeakVoices: EspeakVoice[] | null = null;

/** Loads the espeak voice list in the background so create-time voice checks need no await. */
export function warmTts(): void {
  listEspeakVoices().then(
    (v) => (espeakVoices = v),
    () => undefined,
  );
}

function toApi(e: unknown, field: string): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof ResyncError) {
    const code = e.detail?.startsWith('tts_') ? e.detail : 'generation_input_validation_failed';
    return new ApiError(code === 'generation_input_validation_failed' ? 400 : 422, code, `${field}: ${e.message}`);
  }
  throw e;
}

/** A text item of a create body, checked: script, provider configured, voice known (espeak). */
export function validateTextInput(item: Record<string, unknown>, field: string): WireMedia {
  let spec;
  try {
    spec = parseTextProvider(item.provider);
    const provider = ttsProviders().get(spec.name);
    if (ESPEAK_PROVIDER_NAMES.includes(provider.name) && espeakVoices) {
      const wanted = spec.voiceId?.trim() || DEFAULT_ESPEAK_VOICE;
      if (!matchEspeakVoice(espeakVoices, wanted)) {
        throw new ResyncError('invalid_argument', `espeak has no voice "${wanted}"; use a language tag such as en, en-us, fr, de, es, cmn or ja (GET /v2/voices lists them)`, { detail: 'tts_voice_not_found' });
      }
    }
  } catch (e) {
    throw toApi(e, `${field}.provider`);
  }
  const m: WireMedia = { type: 'text', provider: spec };
  if (item.refId !== undefined) {
    if (typeof item.refId !== 'string' || item.refId === '') throw new ApiError(400, 'generation_input_validation_failed', `${field}.refId must be a non-empty string`);
    m.refId = item.refId;
  }
  return m;
}

const speechToken = (g: GenerationRow): string => `${g.output_token}-speech`;

/**
 * Speaks every text input of a job into `dir` and returns the job with those inputs replaced by
 * audio inputs at this server's own URL for the file (which the worker resolves to the local path).
 */
export async function speakTextInputs(db: DB, job: GenerationRow, dir: string, base: string): Promise<GenerationRow> {
  const req = JSON.parse(job.request) as CreateRequest;
  if (!req.input.some((m) => m.type === 'text')) return job;
  const texts = req.input.filter((m) => m.type === 'text');
  const input: WireMedia[] = [];
  for (const m of req.input) {
    if (m.type !== 'text') {
      input.push(m);
      continue;
    }
    const k = texts.indexOf(m);
    const spoken = await speakToFile(m.provider!, dir, texts.length > 1 ? `${SPEECH_NAME}-${k + 1}` : SPEECH_NAME);
    const token = k === 0 ? speechToken(job) : `${speechToken(job)}-${k + 1}`;
    const name = spoken.path.slice(dir.length + 1);
    db.prepare('INSERT OR REPLACE INTO files (token, key_id, name, path, content_type, size, uploaded, created_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)')
      .run(token, job.key_id, name, join(dir, name), spoken.mimeType, spoken.data.length, new Date().toISOString());
    input.push({ type: 'audio', url: fileUrl(base, { token, name }), ...(m.refId ? { refId: m.refId } : {}) });
  }
  return { ...job, request: JSON.stringify({ ...req, input }) };
}

/** The link to the first text input's speech, once the generation has finished with it. */
export function synthesizedAudioUrl(g: GenerationRow, base: string): string | null {
  if (g.status !== 'COMPLETED') return null;
  const req = JSON.parse(g.request) as CreateRequest;
  const text = req.input.find((m) => m.type === 'text');
  if (!text) return null;
  // The file is found by its token; the name is for people and players. espeak writes WAV,
  // hosted voices usually MP3 (ElevenLabs' default).
  const name = text.provider?.name?.toLowerCase();
  const ext = !name || ESPEAK_PROVIDER_NAMES.includes(name) ? 'wav' : 'mp3';
  return fileUrl(base, { token: speechToken(g), name: `${SPEECH_NAME}.${ext}` });
}

/** Seconds of speech a script will make, for cost estimates before anything is synthesised. */
export function estimatedSpeechSeconds(m: WireMedia): number {
  return Math.max(0.5, (m.provider?.script.length ?? 0) / CHARS_PER_SECOND);
}
