/**
 * Text-to-speech providers: a script and a voice in, speech audio out. The offline espeak-ng
 * provider is built in; hosted voices are added by configuration (see config.ts) behind the same
 * interface, so the API, CLI and MCP server never care which one spoke.
 */
import type { PhonemeEvent } from '../audio/phonetics.js';

/** Sync's `input` item for text: `{ type: "text", provider: { name, voiceId, script, ... } }`. */
export interface TtsRequest {
  script: string;
  /** Provider-specific voice; each provider has a default. */
  voiceId?: string;
  /** Hosted-voice tuning (ElevenLabs' names), passed through; the offline provider ignores them. */
  stability?: number;
  similarityBoost?: number;
  signal?: AbortSignal;
}

export interface TtsAudio {
  /** An encoded audio file (WAV from espeak, whatever a hosted provider returns). */
  data: Uint8Array;
  /** 'wav', 'mp3', ... (for the file name and the Content-Type). */
  extension: string;
  mimeType: string;
  /** The voice that actually spoke (resolved from the request). */
  voice: string;
  /** Seconds, when the provider knows it. */
  duration?: number;
  /** Phoneme timings, when the provider reports them (espeak does). */
  phonemes?: PhonemeEvent[];
}

export interface TtsVoice {
  id: string;
  name: string;
  languages: string[];
}

export interface TtsProvider {
  /** The `provider.name` that selects it. */
  readonly name: string;
  readonly description: string;
  synthesize(req: TtsRequest): Promise<TtsAudio>;
  listVoices(): Promise<TtsVoice[]>;
  /** Checks a request cheaply (the voice exists) so an API can refuse it before queueing a job. */
  validate?(req: TtsRequest): Promise<void>;
}

/** Longest script accepted (characters): keeps one request from tying up the synthesiser. */
export const MAX_SCRIPT_CHARS = 5000;
