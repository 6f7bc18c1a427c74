/**
 * Which text-to-speech providers exist: espeak-ng always (offline), plus hosted voices from
 * configuration. RESYNC_TTS_CONFIG holds JSON or the path of a JSON file:
 *   { "providers": [ { "name": "elevenlabs", "kind": "elevenlabs", "apiKeyEnv": "ELEVENLABS_API_KEY" },
 *                    { "name": "studio-voice", "kind": "http", "url": "https://tts.example/speak",
 *                      "headers": { "authorization": "Bearer ..." }, "defaultVoiceId": "anna" } ] }
 * A name nobody configured (Sync's "elevenlabs" on a default install) is a clear
 * `tts_provider_not_configured` error, never a silent fallback to another voice.
 */
import { readFileSync } from 'node:fs';
import { ResyncError } from '../errors.js';
import { EspeakProvider, ESPEAK_PROVIDER_NAMES } from './espeak-provider.js';
import { HttpTtsProvider, type HttpProviderConfig } from './http-provider.js';
import type { TtsProvider } from './types.js';

export interface TtsConfig {
  providers?: HttpProviderConfig[];
  /** provider.name used when a text input names none. Default 'espeak'. */
  defaultProvider?: string;
}

export const DEFAULT_TTS_PROVIDER = 'espeak';

export class TtsProviders {
  private readonly byName = new Map<string, TtsProvider>();
  readonly defaultName: string;

  constructor(config: TtsConfig = {}) {
    const espeak = new EspeakProvider();
    for (const n of ESPEAK_PROVIDER_NAMES) this.byName.set(n, espeak);
    for (const p of config.providers ?? []) {
      if (!p || typeof p.name !== 'string' || (p.kind !== 'http' && p.kind !== 'elevenlabs')) {
        throw new ResyncError('invalid_argument', `text-to-speech configuration: each provider needs a name and kind "http" or "elevenlabs"`);
      }
      this.byName.set(p.name.toLowerCase(), new HttpTtsProvider(p));
    }
    this.defaultName = (config.defaultProvider ?? DEFAULT_TTS_PROVIDER).toLowerCase();
  }

  /** Names that select a provider (aliases included). */
  names(): string[] {
    return [...this.byName.keys()];
  }

  list(): TtsProvider[] {
    return [...new Set(this.byName.values())];
  }

  get(name?: string): TtsProvider {
    const key = (name ?? this.defaultName).trim().toLowerCase();
    const p = this.byName.get(key);
    if (!p) {
      throw new ResyncError(
        'invalid_argument',
        `text-to-speech provider "${name}" is not configured on this server; available: ${this.names().join(', ')} (hosted voices are added through RESYNC_TTS_CONFIG)`,
        { detail: 'tts_provider_not_configured' },
      );
    }
    return p;
  }
}

/** Reads RESYNC_TTS_CONFIG (inline JSON or a file path); no variable means espeak only. */
export function loadTtsConfig(env: NodeJS.ProcessEnv = process.env): TtsConfig {
  const raw = env.RESYNC_TTS_CONFIG?.trim();
  if (!raw) return {};
  try {
    return JSON.parse(raw.startsWith('{') ? raw : readFileSync(raw, 'utf8')) as TtsConfig;
  } catch (e) {
    throw new ResyncError('invalid_argument', `RESYNC_TTS_CONFIG could not be read: ${(e as Error).message}`, { cause: e });
  }
}

let shared: TtsProviders | null = null;

/** The process's providers, from RESYNC_TTS_CONFIG on first use. */
export function ttsProviders(): TtsProviders {
  shared ??= new TtsProviders(loadTtsConfig());
  return shared;
}
