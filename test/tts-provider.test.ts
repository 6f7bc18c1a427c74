/**
 * The offline text-to-speech provider and provider selection: espeak voices resolve from language
 * tags, many languages (Chinese characters, Japanese kana) speak, unknown voices and unconfigured
 * providers (Sync's "elevenlabs") are clear errors, and a hosted voice added by configuration is
 * called with the script and its audio kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { TtsProviders, loadTtsConfig } from '../src/engine/tts/config.js';
import { listEspeakVoices, matchEspeakVoice, resetEspeak, synthesize } from '../src/engine/tts/espeak.js';
import { parseTextProvider, speakToFile } from '../src/engine/tts/speak.js';
import { encodeWav } from '../src/engine/tts/wav.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { ResyncError } from '../src/engine/errors.js';

const isCode = (detail: string) => (e: unknown): boolean => e instanceof ResyncError && e.detail === detail;

test('espeak voices: 100+ voices, language tags and identifiers resolve, unknown names do not', async () => {
  const voices = await listEspeakVoices();
  assert.ok(voices.length >= 100, `${voices.length} voices`);
  assert.equal(matchEspeakVoice(voices, 'en'), 'gmw/en');
  assert.equal(matchEspeakVoice(voices, 'EN-US'), 'gmw/en-US');
  assert.equal(matchEspeakVoice(voices, 'fr'), 'roa/fr');
  assert.equal(matchEspeakVoice(voices, 'de+f3'), 'gmw/de+f3');
  assert.equal(matchEspeakVoice(voices, 'gmw/nl'), 'gmw/nl');
  assert.equal(matchEspeakVoice(voices, 'klingon-ish'), null);
  assert.equal(matchEspeakVoice(voices, ''), null);
});

test('the espeak provider speaks several languages as WAV with phoneme timings', async () => {
  const tts = new TtsProviders();
  const p = tts.get('espeak');
  assert.equal(tts.get('espeak-ng'), p);
  assert.equal(tts.get(), p, 'espeak is the default');
  for (const [voice, script] of [['en', 'Hello there, how are you?'], ['fr', 'Bonjour tout le monde.'], ['cmn', '你好，世界'], ['ja', 'こんにちは']] as const) {
    const a = await p.synthesize({ script, voiceId: voice });
    assert.equal(a.extension, 'wav');
    assert.equal(Buffer.from(a.data).toString('ascii', 0, 4), 'RIFF');
    assert.ok((a.duration ?? 0) > 0.4, `${voice}: ${a.duration} s`);
    const vowels = (a.phonemes ?? []).filter((ph) => ph.ipa && /[aeiouəɛɔɪʊ]/.test(ph.ipa));
    assert.ok(vowels.length >= 2, `${voice}: vowels in ${JSON.stringify(a.phonemes?.map((x) => x.ipa))}`);
    // Phonemes lie inside the audio.
    assert.ok(a.phonemes!.every((ph) => ph.start >= 0 && ph.end <= a.duration! + 1e-6));
  }
  await assert.rejects(p.synthesize({ script: 'hi', voiceId: 'no-such-voice' }), isCode('tts_voice_not_found'));
});

test('text input validation and unconfigured providers give clear errors', () => {
  const tts = new TtsProviders();
  assert.throws(() => tts.get('elevenlabs'), (e: unknown) => isCode('tts_provider_not_configured')(e) && /"elevenlabs" is not configured/.test((e as Error).message));
  assert.throws(() => parseTextProvider({ name: 'espeak' }), /script must be a non-empty string/);
  assert.throws(() => parseTextProvider({ script: '   ' }), /non-empty/);
  assert.throws(() => parseTextProvider({ script: 'x'.repeat(5001) }), /longer than 5000/);
  assert.throws(() => parseTextProvider({ script: 'hi', stability: 2 }), /between 0 and 1/);
  assert.throws(() => parseTextProvider('hi'), /provider: \{ name, voiceId, script \}/);
  assert.deepEqual(parseTextProvider({ name: 'espeak', voiceId: 'fr', script: 'salut' }), { name: 'espeak', voiceId: 'fr', script: 'salut', stability: undefined, similarityBoost: undefined });
  assert.throws(() => new TtsProviders({ providers: [{ name: 'x' } as never] }), /kind "http" or "elevenlabs"/);
});

test('speakToFile writes a playable file the media layer accepts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'resync-tts-'));
  try {
    const f = await speakToFile(parseTextProvider({ name: 'espeak', voiceId: 'en-us', script: 'My mama made a pie.' }), dir, 'gen-1');
    assert.equal(f.path, join(dir, 'gen-1.wav'));
    assert.equal(f.provider, 'espeak');
    const info = await probeMedia(f.path);
    assert.ok(info.audio, 'has an audio stream');
    assert.ok(Math.abs(info.duration - f.duration!) < 0.05, `${info.duration} vs ${f.duration}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a hosted voice added by configuration (http and elevenlabs kinds) is called and its audio kept', async () => {
  const seen: { url: string; headers: Record<string, unknown>; body: Record<string, unknown> }[] = [];
  const wav = encodeWav(new Float32Array(8000).map((_, i) => 0.3 * Math.sin(i / 5)), 16000);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(body || '{}') });
      if (req.url?.includes('down')) {
        res.writeHead(503).end('busy');
        return;
      }
      res.writeHead(200, { 'content-type': req.url?.includes('text-to-speech') ? 'audio/mpeg' : 'audio/wav' }).end(wav);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), 'resync-tts-'));
  try {
    process.env.RESYNC_TEST_XI_KEY = 'xi-secret';
    const cfg = loadTtsConfig({
      RESYNC_TTS_CONFIG: JSON.stringify({
        providers: [
          { name: 'studio', kind: 'http', url: `${base}/speak`, headers: { authorization: 'Bearer t' }, defaultVoiceId: 'anna' },
          { name: 'elevenlabs', kind: 'elevenlabs', url: base, apiKeyEnv: 'RESYNC_TEST_XI_KEY' },
          { name: 'flaky', kind: 'http', url: `${base}/down` },
        ],
      }),
    });
    const tts = new TtsProviders(cfg);
    const a = await speakToFile({ name: 'studio', script: 'Hello' }, dir, 'a', { providers: tts });
    assert.equal(a.extension, 'wav');
    assert.deepEqual(await readFile(a.path), wav);
    assert.equal(seen[0].url, '/speak');
    assert.equal(seen[0].headers.authorization, 'Bearer t');
    assert.deepEqual(seen[0].body, { script: 'Hello', voiceId: 'anna' });

    const b = await speakToFile({ name: 'ElevenLabs', voiceId: 'v123', script: 'Hola', stability: 0.3 }, dir, 'b', { providers: tts });
    assert.equal(b.extension, 'mp3');
    assert.equal(seen[1].url, '/v1/text-to-speech/v123');
    assert.equal(seen[1].headers['xi-api-key'], 'xi-secret');
    assert.equal(seen[1].body.text, 'Hola');
    assert.deepEqual(seen[1].body.voice_settings, { stability: 0.3, similarity_boost: 0.75 });

    await assert.rejects(speakToFile({ name: 'flaky', voiceId: 'x', script: 'hi' }, dir, 'c', { providers: tts }), (e: unknown) => isCode('tts_service_unavailable')(e) && /HTTP 503/.test((e as Error).message));
  } finally {
    delete process.env.RESYNC_TEST_XI_KEY;
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('espeak synthesis is repeatable: a breathy variant gives the same samples whatever the clock says', async () => {
  // espeak-ng seeds its breath noise from the clock; the training corpus must not depend on when it is built
  const real = Date.now;
  const at = async (clock: number): Promise<Float32Array> => {
    await resetEspeak();
    Date.now = () => clock;
    try {
      return (await synthesize('the quick brown fox jumps over the lazy dog', { voice: 'en-us+f3' })).samples;
    } finally {
      Date.now = real;
    }
  };
  const a = await at(1_000_000_000_000);
  const b = await at(1_700_000_000_000);
  assert.ok(a.length > 10000);
  assert.deepEqual(b, a);
});
