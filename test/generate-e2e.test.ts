/**
 * Generation end to end on fixtures the suite makes (a face photo turned into a clip, espeak-ng
 * speech with silence around it): the rendered mouth opens with the speech and rests in silence,
 * pixels outside the edit stay as they were, every sync_mode gives the right size and length, and
 * frames without a face, a shot cut and an occluded mouth do not break generation.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { GRID_H, GRID_W } from '../src/engine/face/appearance.js';
import { generate } from '../src/engine/generate/generate.js';
import { analyzeVideo } from '../src/engine/face/analyze.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { yuvLayout, yuvMatrix, yuvSamples, type YuvFormat } from '../src/engine/media/yuv.js';
import { collect } from './media-fixtures.js';
import { mediaTools } from '../src/engine/media/tools.js';
import { faceClip, speechWav, writeWav } from './generate-fixtures.js';
import type { GenerateReport } from '../src/engine/generate/report.js';
import { pearson } from '../src/engine/audio/stats.js';
import { FacePoolCache } from '../src/engine/face/pool-cache.js';
import { writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

let dir = '';
let clip = '';
let talk: Awaited<ReturnType<typeof speechWav>>;
let out = '';
let report: GenerateReport;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-gen-'));
  clip = faceClip(join(dir, 'face.mp4'), 5);
  talk = await speechWav(join(dir, 'talk.wav'), 'Hello. My mama made a big apple pie, and we ate all of it.', 0.8, 1.0);
  out = join(dir, 'out.mp4');
  ({ report } = await generate({ video: clip, audio: talk.path, output: out, syncMode: 'cut_off', preset: 'veryfast' }));
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('the output has the input size and fps, the new audio, and a full report', async () => {
  const info = await probeMedia(out);
  assert.equal(info.video?.width, 400);
  assert.equal(info.video?.height, 480);
  assert.equal(info.video?.fps, 25);
  assert.ok(info.audio, 'output has sound');
  const n = Math.min(125, Math.round(talk.duration * 25));
  assert.equal(report.frames.total, n);
  assert.equal(info.video?.frameCount, n);
  assert.ok(report.frames.edited >= 0.9 * n, `edited ${report.frames.edited}/${n}`);
  assert.equal(report.perFrame.length, n);
  assert.equal(report.mouth.frames.length >= n, true);
  assert.ok(report.syncConfidence > 0.3, `sync confidence ${report.syncConfidence}`);
  // the input's face meshes and mouth patches went to a temporary file (two 468-point meshes and
  // a packed 12×8 patch a frame, 32-bit) and the crops were counted
  const input = await probeMedia(clip);
  const meshes = ((2 * 468 * 3 + GRID_W * GRID_H * 4 + 1) * 4 * input.video!.frameCount!) / 1e6;
  assert.ok(Math.abs(report.storage.meshFileMB - meshes) <= 0.1, `mesh file ${report.storage.meshFileMB} MB, expected ${meshes.toFixed(2)}`);
  assert.ok(report.storage.cropPeakMB > 0 && report.storage.cropsSpilled === 0, JSON.stringify(report.storage));
});

test('the rendered mouth opens during speech and rests in silence (measured by re-tracking the output)', async () => {
  const doc = await analyzeVideo(out);
  const gap = doc.frames.map((f) => f.faces.find((x) => x.trackId === doc.selectedTrackId)?.mouth.lipGap ?? NaN);
  const fps = 25;
  const inSpeech = gap.filter((g, i) => i / fps > talk.speechStart + 0.1 && i / fps < talk.speechEnd - 0.1 && Number.isFinite(g));
  const inSilence = gap.filter((g, i) => (i / fps < talk.speechStart - 0.25 || i / fps > talk.speechEnd + 0.3) && Number.isFinite(g));
  const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;
  const max = (a: number[]): number => a.reduce((m, x) => Math.max(m, x), -Infinity);
  assert.ok(inSilence.length >= 10 && inSpeech.length >= 20);
  assert.ok(max(inSpeech) > max(inSilence) + 0.02, `speech max gap ${max(inSpeech).toFixed(3)} vs silence max ${max(inSilence).toFixed(3)}`);
  assert.ok(mean(inSpeech) > mean(inSilence) + 0.01, `speech mean gap ${mean(inSpeech).toFixed(3)} vs silence ${mean(inSilence).toFixed(3)}`);
  // The re-tracked opening follows the targets frame by frame, not just on average.
  const target = report.perFrame.map((p) => p.target ?? NaN);
  const pairs = gap.map((g, i) => [g, target[i]]).filter(([g, t]) => Number.isFinite(g) && Number.isFinite(t));
  const r = pearson(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
  assert.ok(r > 0.7, `re-tracked lip gap vs target r = ${r.toFixed(3)}`);
});


test('pixels outside the edited region match the input (within H.264 quantisation)', async () => {
  const inFrames = decodeVideoFrames(clip, { width: 400, height: 480 });
  const outFrames = decodeVideoFrames(out, { width: 400, height: 480 });
  let se = 0;
  let count = 0;
  for (let i = 0; i < 40; i++) {
    const a = (await inFrames.next()).value;
    const b = (await outFrames.next()).value;
    if (!a || !b) break;
    const region = report.perFrame[i].region;
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 400; x++) {
        if (region && x >= region[0] - 2 && x < region[0] + region[2] + 2 && y >= region[1] - 2 && y < region[1] + region[3] + 2) continue;
        const o = (y * 400 + x) * 3;
        for (let c = 0; c < 3; c++) se += (a.data[o + c] - b.data[o + c]) ** 2;
        count += 3;
      }
    }
  }
  await inFrames.return(undefined);
  await outFrames.return(undefined);
  const psnr = 10 * Math.log10((255 * 255) / (se / count));
  assert.ok(psnr > 38, `PSNR outside the edit ${psnr.toFixed(1)} dB`);
});

/**
 * Decodes input and output as their planes and checks that every sample outside each frame's
 * reported edit region (grown to whole chroma blocks) is the input's, and that the edit changed
 * something: pixels on at least half the frames that have speech (the speech starts `speechStart`
 * seconds in; frames before it and in the pause after its first word rest, unchanged).
 */
async function assertOutsideEditKept(input: string, output: string, rep: GenerateReport, format: YuvFormat, speechStart = 0.8): Promise<void> {
  const m = yuvMatrix(undefined);
  const opts = { width: 400, height: 480, yuv420p: m, yuvFormat: format };
  const a = await collect(decodeVideoFrames(input, opts));
  const b = await collect(decodeVideoFrames(output, opts));
  assert.equal(b.length, a.length);
  const { cw, uOffset, vOffset, sx, sy } = yuvLayout(format, 400, 480);
  let edited = 0;
  let insideChanged = 0;
  for (let i = 0; i < a.length; i++) {
    const r = rep.perFrame[i].region ?? [0, 0, 0, 0];
    if (r[2] > 0) edited++;
    const sa = yuvSamples(a[i].data, format), sb = yuvSamples(b[i].data, format);
    // the region grown to whole chroma blocks
    const inside = (x: number, y: number): boolean => x >= (r[0] >> sx) << sx && x < r[0] + r[2] + sx && y >= (r[1] >> sy) << sy && y < r[1] + r[3] + sy;
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 400; x++) {
        const k = y * 400 + x;
        if (inside(x, y)) {
          if (sa[k] !== sb[k]) insideChanged++;
          continue;
        }
        assert.equal(sb[k], sa[k], `frame ${i} luma (${x}, ${y})`);
        if (x % (1 << sx) === 0 && y % (1 << sy) === 0) {
          const c = (y >> sy) * cw + (x >> sx);
          assert.equal(sb[uOffset + c], sa[uOffset + c], `frame ${i} Cb (${x}, ${y})`);
          assert.equal(sb[vOffset + c], sa[vOffset + c], `frame ${i} Cr (${x}, ${y})`);
        }
      }
    }
  }
  const speechFrames = a.length - Math.round(speechStart * 25);
  assert.ok(edited >= speechFrames / 2, `edited ${edited}/${a.length} (${speechFrames} with speech)`);
  assert.ok(insideChanged > 1000, `the edit changed ${insideChanged} pixels`);
}

test('a lossless encode shows that every byte outside the edit is the decoded input (yuv420p input)', async () => {
  const short = faceClip(join(dir, 'lossless-in.mp4'), 1.6);
  const o = join(dir, 'lossless-out.mp4');
  const { report: rep } = await generate({ video: short, audio: talk.path, output: o, preset: 'ultrafast', crf: 0 });
  await assertOutsideEditKept(short, o, rep, 'yuv420p');
});

for (const format of ['yuv420p10le', 'yuv422p10le'] as const) {
  test(`${format} input keeps its format: HEVC out, and every sample outside the edit is the decoded input`, async () => {
    const short8 = faceClip(join(dir, `deep-src-${format}.mp4`), 1.6);
    // a deeper copy with detail below 8 bits (a faint ramp), so a pass through 8 bits would show
    const short = join(dir, `deep-in-${format}.mkv`);
    execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-i', short8, '-vf', `format=${format},geq=lum='lum(X,Y)+mod(X,4)':cb='cb(X,Y)':cr='cr(X,Y)'`, '-c:v', 'ffv1', short]);
    const o = join(dir, `deep-out-${format}.mp4`);
    const { report: rep } = await generate({ video: short, audio: talk.path, output: o, preset: 'ultrafast', crf: 0 });
    const info = await probeMedia(o);
    assert.equal(info.video!.codec, 'hevc');
    assert.equal(info.video!.pixelFormat, format);
    const first = (await collect(decodeVideoFrames(short, { width: 400, height: 480, yuv420p: yuvMatrix(undefined), yuvFormat: format, maxFrames: 1 })))[0];
    const luma = yuvSamples(first.data, format).subarray(0, 400 * 480);
    assert.ok(luma.some((v) => v % 4 !== 0), 'the input has 10-bit detail');
    await assertOutsideEditKept(short, o, rep, format);
  });
}

test('h264Only: 10-bit 4:2:2 input comes out as 8-bit 4:2:0 H.264', async () => {
  const short8 = faceClip(join(dir, 'h264only-src.mp4'), 1.2);
  const short = join(dir, 'h264only-in.mkv');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-i', short8, '-vf', 'format=yuv422p10le', '-c:v', 'ffv1', short]);
  const o = join(dir, 'h264only-out.mp4');
  const { report: rep } = await generate({ video: short, audio: talk.path, output: o, preset: 'ultrafast', h264Only: true });
  const info = await probeMedia(o);
  assert.equal(info.video!.codec, 'h264');
  assert.equal(info.video!.pixelFormat, 'yuv420p');
  assert.ok(rep.frames.edited > 0);
});

test('each sync_mode gives the documented length', async () => {
  const shortClip = faceClip(join(dir, 'short.mp4'), 1.2);
  const longAudio = talk.path; // ~3.8 s
  const expect: Record<string, number> = {
    cut_off: 30,
    loop: Math.round(talk.duration * 25),
    bounce: Math.round(talk.duration * 25),
    silence: Math.round(talk.duration * 25),
    remap: Math.round(talk.duration * 25),
  };
  for (const mode of ['cut_off', 'loop', 'bounce', 'silence', 'remap'] as const) {
    const o = join(dir, `mode-${mode}.mp4`);
    const { report: r } = await generate({ video: shortClip, audio: longAudio, output: o, syncMode: mode, preset: 'ultrafast', model: 'lipsync-2' });
    const info = await probeMedia(o);
    assert.equal(r.frames.total, expect[mode], mode);
    assert.equal(info.video?.frameCount, expect[mode], `${mode}: frames in the file`);
    assert.ok(Math.abs(info.duration - expect[mode] / 25) < 0.1, `${mode}: duration ${info.duration}`);
  }
});

test('a frame without a face, a shot cut and an occluded mouth do not break generation', async () => {
  const a = faceClip(join(dir, 'a.mp4'), 1.2);
  // second shot: the face photo flipped and zoomed differently, with a skin-coloured box over the mouth for 0.5 s
  const b = faceClip(join(dir, 'b.mp4'), 1.2, ",hflip,drawbox=x=186:y=238:w=120:h=78:color=0xC08870@1:t=fill:enable='between(t,0.3,0.8)'");
  const mixed = join(dir, 'mixed.mp4');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-i', a, '-f', 'lavfi', '-i', 'color=c=black:s=400x480:r=25:d=0.4', '-i', b,
    '-filter_complex', '[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]', '-map', '[v]', '-c:v', 'libx264', '-crf', '14', '-pix_fmt', 'yuv420p', mixed]);
  const o = join(dir, 'mixed-out.mp4');
  const { report: r } = await generate({ video: mixed, audio: talk.path, output: o, syncMode: 'cut_off', preset: 'ultrafast' });
  assert.equal(r.frames.total, 70);
  assert.ok(r.frames.noFace >= 8, `frames without a face passed through: ${r.frames.noFace}`);
  assert.ok(r.frames.occluded >= 5, `occluded frames passed through: ${r.frames.occluded}`);
  assert.ok(r.frames.edited >= 30, `edited ${r.frames.edited}`);
  assert.ok(r.shots >= 2, `shots ${r.shots}`);
});

test('the face workers started before the inputs are checked are handed back when an input is bad', async () => {
  const bad = join(dir, 'not-audio.wav');
  await writeFile(bad, 'this is text, not sound\n'.repeat(40));
  // with a cache of warm pools: the pool goes back to the cache, ready for the next job
  const pools = new FacePoolCache({ maxIdle: 1 });
  try {
    await assert.rejects(generate({ video: clip, audio: bad, output: join(dir, 'bad.mp4'), facePools: pools }), (e: { code?: string }) => e.code === 'generation_input_audio_invalid');
    assert.equal(pools.idleCount, 1, 'the pool is back in the cache');
  } finally {
    await pools.close();
  }
  // without one (the CLI): the workers are closed, so the process ends instead of hanging on them
  const cli = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
  const run = spawnSync(process.execPath, [cli, 'generate', '--video', clip, '--audio', bad, '--out', join(dir, 'bad2.mp4')], { encoding: 'utf8', timeout: 60_000 });
  assert.notEqual(run.signal, 'SIGTERM', 'the CLI hung after the input error');
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /generation_input_audio_invalid/);
});

test('speech shorter than 50 ms is refused with a clear error', async () => {
  const blip = join(dir, 'blip.wav');
  await writeWav(blip, Float32Array.from({ length: 320 }, (_, i) => 0.3 * Math.sin(i / 3)), 16000); // 20 ms
  await assert.rejects(generate({ video: clip, audio: blip, output: join(dir, 'blip.mp4') }), (e: { code?: string; message?: string }) => e.code === 'generation_input_audio_invalid' && /shorter than 50 ms/.test(e.message ?? ''));
});

test('no face anywhere is a clear error, not a crash', async () => {
  const black = join(dir, 'black.mp4');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:r=25:d=1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', black]);
  await assert.rejects(generate({ video: black, audio: talk.path, output: join(dir, 'x.mp4') }), (e: { code?: string }) => e.code === 'generation_no_face_detected');
});
