/** Bilabials close the lips at the right time; frame-rate changes keep timing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mouthFromSamples } from '../src/engine/audio/mouth.js';
import { SAMPLE_RATE } from '../src/engine/audio/features.js';
import { loadDefaultModel } from '../src/engine/audio/stream.js';
import { STOP_CLOSURE_LEAD } from '../src/engine/audio/phonetics.js';
import { speech, bilabialEvents } from './audio-fixtures.js';
import type { MouthFrame } from '../src/engine/audio/types.js';

const lead = loadDefaultModel().weights.leadMs / 1000;

/** Where the closure should be centred on the video time axis for a bilabial event. */
function expectedClosure(e: { t: number; phone: string }): number {
  const audioTime = e.phone === 'm' ? e.t + 0.04 : e.t - STOP_CLOSURE_LEAD / 2;
  return audioTime - lead;
}

function peakIn(frames: MouthFrame[], from: number, to: number, key: 'closure' | 'lipGap', sign = 1): MouthFrame {
  const w = frames.filter((f) => f.t >= from && f.t <= to);
  return w.reduce((a, b) => (sign * b[key] > sign * a[key] ? b : a));
}

test('bilabials (p, b, m) close the lips at the right time, and the vowels around them open', async () => {
  for (const [text, voice] of [
    ['Papa bought a map, a bomb and a puppy.', 'en-us'],
    ['Ma maman a un beau bébé.', 'fr'],
  ] as const) {
    const sp = await speech(text, voice);
    const tr = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps: 100 });
    const events = bilabialEvents(sp.phonemes);
    assert.ok(events.length >= 4, `${text}: ${events.length} bilabials`);
    let hits = 0;
    const misses: string[] = [];
    for (const e of events) {
      const c = expectedClosure(e);
      const peak = peakIn(tr.frames, c - 0.1, c + 0.1, 'closure');
      const open = peakIn(tr.frames, c - 0.25, c + 0.25, 'lipGap');
      const shut = peakIn(tr.frames, c - 0.06, c + 0.06, 'lipGap', -1);
      // Lips shut (or nearly) around the expected time, well below the surrounding vowels...
      const closed = shut.lipGap <= 0.5 * open.lipGap || open.lipGap < 0.02;
      // ...and where the model is confident of a contact, it peaks at that time.
      const onTime = peak.closure < 0.3 || Math.abs(peak.t - c) <= 0.06;
      if (closed && onTime) hits++;
      else misses.push(`${e.phone}@${e.t.toFixed(2)}: gap ${shut.lipGap.toFixed(2)}/${open.lipGap.toFixed(2)}, closure ${peak.closure.toFixed(2)} at ${peak.t.toFixed(2)} (expected ${c.toFixed(2)})`);
    }
    // Most, not all: adjacent bilabials and reduced syllables can merge.
    assert.ok(hits >= Math.ceil(events.length * 0.7), `${text}: ${hits}/${events.length} bilabials closed on time; ${misses.join('; ')}`);
  }
});

test('a vowel after silence opens before it is heard (the lead), not after', async () => {
  const sp = await speech('Ah.', 'en-us', 1.0, 1.0);
  const onset = sp.phonemes.find((p) => p.ipa)!.start;
  const tr = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps: 100 });
  const firstOpen = tr.frames.find((f) => f.lipGap > 0.1)!;
  assert.ok(firstOpen.t <= onset + 0.03, `opens at ${firstOpen.t.toFixed(2)} s, vowel heard at ${onset.toFixed(2)} s`);
  assert.ok(firstOpen.t >= onset - 0.25, `opens absurdly early: ${firstOpen.t.toFixed(2)} s vs ${onset.toFixed(2)} s`);
});

test('any fps: frame count and times follow the clock, curves agree across rates', async () => {
  const sp = await speech('Bob made a map of five apples.', 'en-us');
  const ref = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps: 100 });
  const at = (t: number, key: 'lipGap' | 'closure'): number => {
    const k = Math.min(ref.frames.length - 1, Math.round(t * 100));
    return ref.frames[k][key];
  };
  const events = bilabialEvents(sp.phonemes);
  for (const fps of [23.976, 24, 25, 29.97, 30, 50, 60]) {
    const tr = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps });
    assert.equal(tr.fps, fps);
    assert.equal(tr.frames.length, Math.ceil(sp.duration * fps - 1e-6), `${fps} fps frame count`);
    tr.frames.forEach((f, k) => assert.ok(Math.abs(f.t - k / fps) < 1e-5, `${fps} fps: frame ${k} at ${f.t}`));
    // Same curve: the lower rate is a box-average of the 100 Hz one, so values stay close.
    let err = 0;
    for (const f of tr.frames) err += Math.abs(f.lipGap - at(f.t, 'lipGap'));
    assert.ok(err / tr.frames.length < 0.06, `${fps} fps: mean |Δ lip gap| ${(err / tr.frames.length).toFixed(3)}`);
    // Closure peaks land on the same time, within one frame of this rate.
    for (const e of events) {
      const c = expectedClosure(e);
      const hi = peakIn(ref.frames, c - 0.1, c + 0.1, 'closure');
      if (hi.closure < 0.3) continue;
      const lo = peakIn(tr.frames, c - 0.1, c + 0.1, 'closure');
      assert.ok(Math.abs(lo.t - hi.t) <= 1 / fps + 0.011, `${fps} fps: closure peak ${lo.t.toFixed(3)} vs ${hi.t.toFixed(3)}`);
    }
  }
});
