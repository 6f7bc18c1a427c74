/** Speaker adaptation recovers a speaker's lead, rest and range from their own speech and mouth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSpeakerProfile, type MouthSeries } from '../src/engine/audio/adapt.js';
import { mouthFromSamples } from '../src/engine/audio/mouth.js';
import { pearson } from '../src/engine/audio/stats.js';
import { SAMPLE_RATE } from '../src/engine/audio/features.js';
import { speech } from './audio-fixtures.js';

test('a speaker who leads by 120 ms, rests at 0.05 and opens twice as wide is learned and reproduced', async () => {
  const sp = await speech('Every morning my brother opens the windows and waves at the sea.', 'en-us', 0.8, 0.8);
  const fps = 25;
  // The "video": this speaker's tracked mouth, in eye-distance units, on the video grid.
  const general = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps, leadMs: 120 });
  const rest = 0.05;
  const series: MouthSeries = {
    fps,
    lipGap: general.frames.map((f) => rest + 0.4 * f.lipGap),
    jaw: general.frames.map((f) => 1.2 + 0.1 * f.jaw),
    width: general.frames.map((f) => 0.9 + 0.05 * f.width),
    visibility: general.frames.map(() => 1),
  };
  const profile = fitSpeakerProfile(sp.samples, series);
  assert.equal(profile.leadMs, 120);
  assert.ok(profile.fitR > 0.95, `fit r ${profile.fitR}`);
  assert.ok(Math.abs(profile.face.lipGap.rest - rest) < 0.01, `rest ${profile.face.lipGap.rest}`);
  // Applied to the same audio, the adapted track mapped onto the face reproduces the speaker.
  const adapted = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps, speaker: profile });
  assert.equal(adapted.settings.leadMs, 120);
  const onFace = adapted.frames.map((f) => profile.face.lipGap.rest + f.lipGap * profile.face.lipGap.scale);
  assert.ok(pearson(onFace, series.lipGap) > 0.97);
  const err = onFace.reduce((a, v, i) => a + Math.abs(v - series.lipGap[i]), 0) / onFace.length;
  const range = Math.max(...series.lipGap) - rest;
  assert.ok(err < 0.1 * range, `mean error ${err.toFixed(4)} vs range ${range.toFixed(3)}`);
});

test('a clip whose mouth trails its sound (an audio/video offset) still gets a plausible lead for new audio', async () => {
  const sp = await speech('Every morning my brother opens the windows and waves at the sea.', 'en-us', 0.8, 0.8);
  const fps = 25;
  // the mouth shows the sound 150 ms late: no speaker does that, the clip's tracks are offset
  const shifted = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps, leadMs: -150 });
  const series: MouthSeries = {
    fps,
    lipGap: shifted.frames.map((f) => 0.05 + 0.4 * f.lipGap),
    jaw: shifted.frames.map((f) => 1.2 + 0.1 * f.jaw),
    width: shifted.frames.map((f) => 0.9 + 0.05 * f.width),
    visibility: shifted.frames.map(() => 1),
  };
  const profile = fitSpeakerProfile(sp.samples, series);
  // the range is still learned at the clip's own alignment...
  assert.ok(profile.fitR > 0.95, `fit r ${profile.fitR}`);
  assert.ok(Math.abs(profile.face.lipGap.rest - 0.05) < 0.01, `rest ${profile.face.lipGap.rest}`);
  // ...but the offset is not carried over to new audio
  assert.ok(profile.leadMs !== null && profile.leadMs >= 0 && profile.leadMs <= 200, `lead ${profile.leadMs}`);
});
