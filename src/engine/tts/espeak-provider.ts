/**
 * The offline provider: espeak-ng, 100+ languages, no network, phoneme timings included. The
 * voice is an espeak voice or language tag ('en', 'en-us', 'fr', 'de+f3', 'cmn'); Japanese needs
 * kana (kanji make espeak switch to English).
 */
import { ResyncError } from '../errors.js';
import { listEspeakVoices, matchEspeakVoice, synthesize } from './espeak.js';
import { encodeWav } from './wav.js';
import type { TtsAudio, TtsProvider, TtsRequest, TtsVoice } from './types.js';

export const ESPEAK_PROVIDER_NAMES = ['espeak', 'espeak-ng'];
export const DEFAULT_ESPEAK_VOICE = 'en';

// A short pause on both ends: the mouth starts and ends closed, and the first word is not clipped.
const PAD_SECONDS = 0.15;

export class EspeakProvider implements TtsProvider {
  readonly name = 'espeak';
  readonly description = 'offline espeak-ng (GPL-3.0), 100+ languages';

  async listVoices(): Promise<TtsVoice[]> {
    return (await listEspeakVoices()).map((v) => ({ id: v.languages[0] ?? v.identifier, name: v.name, languages: v.languages }));
  }

  async validate(req: TtsRequest): Promise<void> {
    await this.voice(req.voiceId);
  }

  private async voice(voiceId: string | undefined): Promise<string> {
    const wanted = voiceId?.trim() || DEFAULT_ESPEAK_VOICE;
    const voice = matchEspeakVoice(await listEspeakVoices(), wanted);
    if (!voice) {
      throw new ResyncError('invalid_argument', `espeak has no voice "${wanted}"; use a language tag such as en, en-us, fr, de, es, cmn or ja (the voices_get-all tool lists them)`, {
        detail: 'tts_voice_not_found',
      });
    }
    return voice;
  }

  async synthesize(req: TtsRequest): Promise<TtsAudio> {
    const voice = await this.voice(req.voiceId);
    const sp = await synthesize(req.script, { voice });
    if (sp.samples.length === 0) throw new ResyncError('invalid_argument', 'the script produced no speech', { detail: 'tts_empty_speech' });
    const pad = Math.round(PAD_SECONDS * sp.sampleRate);
    const padded = new Float32Array(sp.samples.length + 2 * pad);
    padded.set(sp.samples, pad);
    return {
      data: encodeWav(padded, sp.sampleRate),
      extension: 'wav',
      mimeType: 'audio/wav',
      voice,
      duration: padded.length / sp.sampleRate,
      phonemes: sp.phonemes.map((p) => ({ ipa: p.ipa, start: p.start + PAD_SECONDS, end: p.end + PAD_SECONDS })),
    };
  }
}
