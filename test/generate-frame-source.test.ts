import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { mediaTools } from '../src/engine/media/tools.js';
import { timelineFrames } from '../src/engine/generate/frame-source.js';
import { planTimeline } from '../src/engine/generate/timeline.js';

// Frame k of the fixture is a flat grey of luma 16+18k, so every frame says which one it is.
let dir = '';
let clip = '';
const N = 12;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-frames-'));
  clip = join(dir, 'ramp.mkv');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=black:s=32x16:r=25:d=${N / 25}`, '-vf', "geq=lum='16+18*N':cb=128:cr=128", '-c:v', 'ffv1', '-pix_fmt', 'yuv444p', clip]);
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function shown(sourceFrames: number[], blockBytes?: number): Promise<number[]> {
  const out: number[] = [];
  for await (const f of timelineFrames(clip, sourceFrames, 25, { decode: { width: 32, height: 16 }, blockBytes })) {
    assert.equal(f.index, out.length);
    out.push(Math.round(f.data[3 * (8 * 32 + 16)] / ((18 * 255) / 219)));
    // the consumer owns every frame (the render draws into it): a later frame must not see this
    f.data.fill(255);
  }
  return out;
}

test('forward, held and restarted (loop) orders are served exactly', async () => {
  assert.deepEqual(await shown([0, 1, 2, 3]), [0, 1, 2, 3]);
  assert.deepEqual(await shown([5, 5, 6, 11, 11]), [5, 5, 6, 11, 11]);
  const loop = planTimeline({ mode: 'loop', videoFrames: N, fps: 25, audioDuration: 30 / 25 });
  assert.deepEqual(await shown([...loop.sourceFrames]), [...loop.sourceFrames]);
});

test('bounce plays backward runs from blocks, also when a block holds only a few frames', async () => {
  const bounce = planTimeline({ mode: 'bounce', videoFrames: N, fps: 25, audioDuration: 40 / 25 });
  assert.deepEqual(await shown([...bounce.sourceFrames]), [...bounce.sourceFrames]);
  assert.deepEqual(await shown([...bounce.sourceFrames], 32 * 16 * 3 * 3), [...bounce.sourceFrames]);
});

test('remap (stretch) repeats frames in order', async () => {
  const remap = planTimeline({ mode: 'remap', videoFrames: N, fps: 25, audioDuration: 20 / 25 });
  assert.deepEqual(await shown([...remap.sourceFrames]), [...remap.sourceFrames]);
});
