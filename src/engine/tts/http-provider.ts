/**
 * Hosted voices, added by configuration (config.ts): either ElevenLabs' own API (`kind:
 * "elevenlabs"`) or any service that takes `POST {script, voiceId, stability, similarityBoost}` as
 * JSON and answers with an audio file (`kind: "http"`). Network failures and 5xx answers become
 * `tts_service_unavailable`; 4xx answers are the caller's mistake and keep the service's message.
 */
import { ResyncError } from '../errors.js';
import type { TtsAudio, TtsProvider, TtsRequest, TtsVoice } from './types.js';

export interface HttpProviderConfig {
  name: string;
  kind: 'http' | 'elevenlabs';
  /** kind "http": the endpoint. kind "elevenlabs": base URL, default https://api.elevenlabs.io. */
  url?: string;
  /** Sent with every request (kind "http"). */
  headers?: Record<string, string>;
  /** ElevenLabs key, or the name of the environment variable holding it. */
  apiKey?: string;
  apiKeyEnv?: string;
  /** ElevenLabs model_id, default eleven_multilingual_v2. */
  model?: string;
  defaultVoiceId?: string;
  /** Listed by listVoices for kind "http" (the endpoint has no voice list). */
  voices?: TtsVoice[];
  timeoutMs?: number;
  description?: string;
}

const EXT: Record<string, string> = { 'audio/mpeg': 'mp3', 'audio/mp3': 'mp3', 'audio/wav': 'wav', 'audio/x-wav': 'wav', 'audio/wave': 'wav', 'audio/ogg': 'ogg', 'audio/flac': 'flac', 'audio/mp4': 'm4a', 'audio/aac': 'aac' };

export class HttpTtsProvider implements TtsProvider {
  readonly name: string;
  readonly description: string;
  constructor(private readonly cfg: HttpProviderConfig) {
    this.name = cfg.name;
    this.description = cfg.description ?? (cfg.kind === 'elevenlabs' ? 'ElevenLabs (hosted)' : `hosted voice at ${new URL(cfg.url ?? 'http://invalid').host}`);
  }

  private apiKey(): string {
    const key = this.cfg.apiKey ?? (this.cfg.apiKeyEnv ? process.env[this.cfg.apiKeyEnv] : undefined);
    if (!key) throw new ResyncError('invalid_argument', `text-to-speech provider "${this.name}" has no API key configured`, { detail: 'tts_provider_not_configured' });
    return key;
  }

  async listVoices(): Promise<TtsVoice[]> {
    if (this.cfg.kind === 'http') return this.cfg.voices ?? [];
    const res = await this.fetch(`${this.base()}/v1/voices`, { headers: { 'xi-api-key': this.apiKey() } });
    const body = (await res.json()) as { voices?: { voice_id: string; name: string; labels?: Record<string, string> }[] };
    return (body.voices ?? []).map((v) => ({ id: v.voice_id, name: v.name, languages: v.labels?.language ? [v.labels.language] : [] }));
  }

  async synthesize(req: TtsRequest): Promise<TtsAudio> {
    const voice = req.voiceId?.trim() || this.cfg.defaultVoiceId;
    if (!voice) throw new ResyncError('invalid_argument', `text-to-speech provider "${this.name}" needs provider.voiceId`, { detail: 'tts_voice_not_found' });
    let url: string;
    let init: RequestInit;
    if (this.cfg.kind === 'elevenlabs') {
      url = `${this.base()}/v1/text-to-speech/${encodeURIComponent(voice)}`;
      const settings = req.stability !== undefined || req.similarityBoost !== undefined ? { voice_settings: { stability: req.stability ?? 0.5, similarity_boost: req.similarityBoost ?? 0.75 } } : {};
      init = {
        method: 'POST',
        headers: { 'xi-api-key': this.apiKey(), 'content-type': 'application/json', accept: 'audio/mpeg' },
        body: JSON.stringify({ text: req.script, model_id: this.cfg.model ?? 'eleven_multilingual_v2', ...settings }),
      };
    } else {
      if (!this.cfg.url) throw new ResyncError('invalid_argument', `text-to-speech provider "${this.name}" has no url configured`, { detail: 'tts_provider_not_configured' });
      url = this.cfg.url;
      init = {
        method: 'POST',
        headers: { ...this.cfg.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ script: req.script, voiceId: voice, stability: req.stability, similarityBoost: req.similarityBoost }),
      };
    }
    const res = await this.fetch(url, { ...init, signal: req.signal });
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const data = new Uint8Array(await res.arrayBuffer());
    if (!type.startsWith('audio/') && !type.startsWith('application/octet-stream')) {
      throw new ResyncError('generation_internal_error', `text-to-speech provider "${this.name}" answered ${type || 'without a type'} instead of audio`, { detail: 'tts_service_unavailable' });
    }
    if (data.length === 0) throw new ResyncError('generation_internal_error', `text-to-speech provider "${this.name}" returned no audio`, { detail: 'tts_service_unavailable' });
    const extension = EXT[type] ?? 'mp3';
    return { data, extension, mimeType: type.startsWith('audio/') ? type : 'audio/mpeg', voice };
  }

  private base(): string {
    return (this.cfg.url ?? 'https://api.elevenlabs.io').replace(/\/+$/, '');
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    const timeout = AbortSignal.timeout(this.cfg.timeoutMs ?? 60_000);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal });
    } catch (e) {
      throw new ResyncError('generation_internal_error', `text-to-speech provider "${this.name}" could not be reached: ${(e as Error).message}`, { cause: e, detail: 'tts_service_unavailable' });
    }
    if (res.ok) return res;
    const text = (await res.text().catch(() => '')).slice(0, 300);
    if (res.status >= 500 || res.status === 429) {
      throw new ResyncError('generation_internal_error', `text-to-speech provider "${this.name}" is unavailable (HTTP ${res.status})${text ? `: ${text}` : ''}`, { detail: 'tts_service_unavailable' });
    }
    throw new ResyncError('invalid_argument', `text-to-speech provider "${this.name}" refused the request (HTTP ${res.status})${text ? `: ${text}` : ''}`, { detail: 'tts_request_rejected' });
  }
}
