/**
 * Optional checks on the shared real recordings (../shared/data): skipped with a message when
 * the folder is absent, as on a fresh clone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeAudio } from '../src/engine/media/decode-audio.js';
import { mouthFromSamples } from '../src/engine/audio/mouth.js';
import { findSharedData } from '../bench/shared-data.js';

const dataDir = findSharedData();
const skip = dataDir ? false : 'shared data not found (../shared/data or RESYNC_SHARED_DATA): real-recording checks skipped';

test('broadcast music (radio jingle, first 30 s) does not open the mouth', { skip }, async () => {
  const pcm = await decodeAudio(join(dataDir!, 'raw/linto-ai__whisper-timestamped/radio_short.mp3'), { sampleRate: 16000, duration: 30 });
  const tr = mouthFromSamples(pcm.samples, 16000, { fps: 25 });
  const open = tr.frames.filter((f) => f.lipGap > 0.05).length;
  assert.ok(open <= tr.frames.length * 0.02, `${open}/${tr.frames.length} frames open during music`);
});

test('real speech in seven languages (English, French, German, Italian, Japanese, Mandarin, Russian) opens and closes the mouth', { skip }, async () => {
  const files = [
    'OpenTalker__SadTalker/RD_Radio31_000.wav',
    'ali-vilab__dreamtalk/french1.wav',
    'ali-vilab__dreamtalk/German1.wav',
    'ali-vilab__dreamtalk/italian1.wav',
    'ali-vilab__dreamtalk/japan1.wav',
    'ali-vilab__dreamtalk/chinese1_haierlizhi.wav',
    'OpenTalker__SadTalker/eluosi.wav',
    'OpenTalker__SadTalker/japanese.wav',
    'OpenTalker__SadTalker/deyu.wav',
  ];
  for (const f of files) {
    const pcm = await decodeAudio(join(dataDir!, 'raw', f), { sampleRate: 16000 });
    const tr = mouthFromSamples(pcm.samples, 16000, { fps: 25 });
    const gaps = tr.frames.filter((x) => x.voice > 0.9).map((x) => x.lipGap);
    assert.ok(tr.stats.voicedFraction > 0.4, `${f}: voiced ${tr.stats.voicedFraction}`);
    // Moves with the syllables: a wide spread between the more-closed and the open frames.
    const sorted = [...gaps].sort((a, b) => a - b);
    const p10 = sorted[Math.floor(0.1 * (sorted.length - 1))];
    const p90 = sorted[Math.floor(0.9 * (sorted.length - 1))];
    assert.ok(p90 > 0.35 && p90 - p10 > 0.2, `${f}: lip gap p10 ${p10.toFixed(2)}, p90 ${p90.toFixed(2)}`);
  }
});
