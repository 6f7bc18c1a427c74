/**
 * Text input end to end through the CLI: `resync generate --text … --voice en-us` speaks the
 * script with espeak-ng and lip-syncs the clip to it. Re-tracking the output shows a mouth that
 * follows the synthesised phonemes: open on vowels, closed in the pauses around the speech, and
 * correlated with the articulation the phoneme timings predict.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { analyzeVideo } from '../src/engine/face/analyze.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { targetsFromPhonemes, phoneKind } from '../src/engine/audio/phonetics.js';
import { EspeakProvider } from '../src/engine/tts/espeak-provider.js';
import { faceClip } from './generate-fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
const SCRIPT = 'Hello. My mama made a big apple pie, and we ate all of it.';
const run = promisify(execFile);

let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-tts-e2e-'));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('CLI --text: the output speaks the script and the mouth follows the synthesised phonemes', async () => {
  const clip = faceClip(join(dir, 'face.mp4'), 5);
  const out = join(dir, 'out.mp4');
  const { stdout } = await run(process.execPath, [BIN, 'generate', '--video', clip, '--text', SCRIPT, '--voice', 'en-us', '--out', out, '--preset', 'ultrafast', '--json'], { maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as { type: string; frames: { total: number; edited: number } };
  assert.equal(result.type, 'result');

  // The same synthesis the CLI ran (espeak is deterministic): its phonemes are the ground truth.
  const speech = await new EspeakProvider().synthesize({ script: SCRIPT, voiceId: 'en-us' });
  const info = await probeMedia(out);
  assert.ok(info.audio, 'the output carries the synthesised speech');
  assert.ok(Math.abs(info.duration - speech.duration!) < 0.15, `output ${info.duration} s vs speech ${speech.duration} s (cut_off to the speech)`);
  assert.ok(result.frames.edited >= 0.8 * result.frames.total, `edited ${result.frames.edited}/${result.frames.total}`);

  const doc = await analyzeVideo(out);
  const fps = doc.source.fps;
  const gap = doc.frames.map((f) => f.faces.find((x) => x.trackId === doc.selectedTrackId)?.mouth.lipGap ?? NaN);
  const expected = targetsFromPhonemes(speech.phonemes!, speech.duration!).lipGap;
  const at = (t: number): number => expected[Math.min(expected.length - 1, Math.round(t * 100))];

  // Correlation of rendered lip opening with the phoneme-predicted opening, frame by frame.
  const pairs = gap.map((g, i) => [g, at(i / fps)] as const).filter(([g]) => Number.isFinite(g));
  assert.ok(pairs.length >= 0.9 * gap.length, 'the face is tracked in the output');
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
  const mg = mean(pairs.map((p) => p[0]));
  const me = mean(pairs.map((p) => p[1]));
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [g, e] of pairs) {
    sxy += (g - mg) * (e - me);
    sxx += (g - mg) ** 2;
    syy += (e - me) ** 2;
  }
  const r = sxy / Math.sqrt(sxx * syy);
  assert.ok(r > 0.4, `rendered lip gap follows the phonemes (r = ${r.toFixed(2)})`);

  // Open on vowels, nearly closed in pauses (the sentence break and the padding at both ends).
  const during = (kind: string): number[] =>
    gap.filter((g, i) => {
      const t = i / fps;
      const ph = speech.phonemes!.find((p) => t >= p.start && t < p.end);
      return Number.isFinite(g) && ph !== undefined && phoneKind(ph.ipa) === kind && ph.end - ph.start > 0.06;
    });
  const vowels = during('vowel');
  const pauses = [...during('pause'), ...gap.filter((g, i) => Number.isFinite(g) && i / fps < 0.1)];
  assert.ok(vowels.length >= 15 && pauses.length >= 3, `${vowels.length} vowel frames, ${pauses.length} pause frames`);
  assert.ok(mean(vowels) > mean(pauses) + 0.015 && mean(vowels) > 1.5 * mean(pauses), `vowel gap ${mean(vowels).toFixed(3)} vs pause gap ${mean(pauses).toFixed(3)}`);
  console.log(`lip gap vs phonemes: r = ${r.toFixed(2)}; vowels ${mean(vowels).toFixed(3)}, pauses ${mean(pauses).toFixed(3)}`);
});

test('CLI --text: an unconfigured provider and a missing script are clear errors', async () => {
  const clip = faceClip(join(dir, 'short.mp4'), 0.5);
  const fail = async (args: string[]): Promise<{ code: number; stderr: string }> => {
    try {
      await run(process.execPath, [BIN, 'generate', '--video', clip, '--out', join(dir, 'x.mp4'), ...args]);
      return { code: 0, stderr: '' };
    } catch (e) {
      const err = e as { code: number; stderr: string };
      return { code: err.code, stderr: err.stderr };
    }
  };
  const eleven = await fail(['--text', 'Hi there', '--tts-provider', 'elevenlabs', '--voice', 'abc']);
  assert.equal(eleven.code, 1);
  assert.match(eleven.stderr, /text-to-speech provider "elevenlabs" is not configured/);
  const both = await fail(['--text', 'Hi', '--audio', 'a.wav']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /one of --audio or --text/);
  const voice = await fail(['--text', 'Hi', '--voice', 'xx-nothing']);
  assert.match(voice.stderr, /no voice "xx-nothing"/);
});
