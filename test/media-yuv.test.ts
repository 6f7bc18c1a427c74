/**
 * 4:2:0 frames, 8- and 10-bit (media/yuv.ts): region conversion to RGB agrees with ffmpeg's exact conversion,
 * blending writes only where alpha > 0 (untouched 2×2 blocks keep their bytes), known colours land
 * on their BT.601/709 codes, odd sizes pad correctly, and planes written to the encoder come back
 * bit-exact from a lossless encode (nothing converts them on the way).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { VideoEncoder } from '../src/engine/media/encode.js';
import { blendRgbIntoYuv, frameBytes, padYuvToEven, yuv420Layout, yuvLayout, yuvMatrix, yuvRegionToRgb, yuvSamples, type YuvFormat, type YuvFrame } from '../src/engine/media/yuv.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { makeTempDir, makeClip, collect } from './media-fixtures.js';

let dir = '';
let remove: () => Promise<void> = async () => {};
before(async () => {
  ({ dir, remove } = await makeTempDir('resync-yuv-test-'));
});
after(() => remove());

/** A flat frame (samples, not bytes, given; 8-bit 4:2:0 unless another format is asked for). */
function flatFrame(width: number, height: number, y: number, u: number, v: number, matrix = yuvMatrix(undefined), format: YuvFormat = 'yuv420p'): YuvFrame {
  const l = yuvLayout(format, width, height);
  const data = new Uint8Array(frameBytes(format, width, height));
  const s = yuvSamples(data, format);
  s.fill(y, 0, l.uOffset);
  s.fill(u, l.uOffset, l.vOffset);
  s.fill(v, l.vOffset);
  return { format, index: 0, time: 0, width, height, data, matrix };
}

/** Pure red blended fully into a flat black frame: its Y, Cb and Cr samples. */
function redCodes(m: ReturnType<typeof yuvMatrix>, format: YuvFormat, black: number, mid: number): number[] {
  const f = flatFrame(4, 4, black, mid, mid, m, format);
  const rgb = new Float32Array(16 * 3);
  for (let i = 0; i < 16; i++) rgb[i * 3] = 255;
  blendRgbIntoYuv(f, [0, 0, 4, 4], rgb, new Float32Array(16).fill(1));
  const l = yuvLayout(format, 4, 4);
  const t = yuvSamples(f.data, format);
  return [t[0], t[l.uOffset], t[l.vOffset]];
}

test('layout of odd sizes rounds chroma up', () => {
  const l = yuv420Layout(5, 3);
  assert.deepEqual(l, { cw: 3, ch: 2, uOffset: 15, vOffset: 21, bytes: 27 });
});

/**
 * Decodes a clip as RGB (ffmpeg's exact conversion) and as planes of `format`, and returns the mean
 * absolute difference of our region conversion from ffmpeg's over a 100×80 region of frame 2.
 */
async function regionDiffFromFfmpeg(clip: string, format: YuvFormat): Promise<{ frames: YuvFrame[]; rgbFrames: number; meanDiff: number }> {
  const opts = { width: 160, height: 120, exact: true };
  const rgb = await collect(decodeVideoFrames(clip, opts));
  const yuv = await collect(decodeVideoFrames(clip, { ...opts, yuv420p: yuvMatrix(undefined), yuvFormat: format }));
  const region = [20, 10, 100, 80] as const;
  const ours = yuvRegionToRgb(yuv[2], region);
  let sum = 0;
  let n = 0;
  for (let y = 0; y < region[3]; y++) {
    for (let x = 0; x < region[2]; x++) {
      for (let c = 0; c < 3; c++) {
        const theirs = rgb[2].data[((region[1] + y) * 160 + region[0] + x) * 3 + c];
        sum += Math.abs(Math.min(255, Math.max(0, ours[(y * region[2] + x) * 3 + c])) - theirs);
        n++;
      }
    }
  }
  return { frames: yuv, rgbFrames: rgb.length, meanDiff: sum / n };
}

test('region RGB matches ffmpeg exact decode of the same frames', async () => {
  // blurred: at the pattern's hard colour edges any two chroma interpolations disagree
  const clip = await makeClip(join(dir, 'pattern.mp4'), { width: 160, height: 120, seconds: 0.2, extra: ['-vf', 'boxblur=4'] });
  const { frames, rgbFrames, meanDiff } = await regionDiffFromFfmpeg(clip, 'yuv420p');
  assert.equal(frames.length, rgbFrames);
  assert.equal(frames[0].format, 'yuv420p');
  assert.equal(frames[0].data.length, yuv420Layout(160, 120).bytes);
  // same matrix, range and chroma siting (measured 0.73; H.264's left siting gives 1.9)
  assert.ok(meanDiff < 1.2, `mean |ours - ffmpeg| = ${meanDiff.toFixed(2)}`);
});

test('blending: alpha 0 leaves every byte; alpha 1 with the frame own colour keeps luma exactly', () => {
  const f = flatFrame(16, 12, 0, 0, 0);
  for (let i = 0; i < f.data.length; i++) f.data[i] = 16 + ((i * 37) % 200);
  const before = f.data.slice();
  const region = [3, 3, 9, 7] as const;
  const base = yuvRegionToRgb(f, region);
  const zero = new Float32Array(9 * 7);
  assert.equal(blendRgbIntoYuv(f, region, base.map((v) => v + 50), zero), 0);
  assert.deepEqual(f.data, before);
  const ones = new Float32Array(9 * 7).fill(1);
  assert.equal(blendRgbIntoYuv(f, region, base, ones), 63);
  for (let y = 0; y < 12; y++) for (let x = 0; x < 16; x++) assert.equal(f.data[y * 16 + x], before[y * 16 + x], `luma ${x},${y}`);
});

test('blending touches only the 2×2 chroma blocks that hold a pixel with alpha > 0', () => {
  const f = flatFrame(16, 16, 100, 120, 130);
  const before = f.data.slice();
  const region = [4, 4, 8, 8] as const;
  const rgb = new Float32Array(64 * 3).fill(200);
  const alpha = new Float32Array(64);
  alpha[3 * 8 + 3] = 1; // frame pixel (7, 7): chroma block (3, 3)
  assert.equal(blendRgbIntoYuv(f, region, rgb, alpha), 1);
  const l = yuv420Layout(16, 16);
  let lumaChanged = 0;
  for (let i = 0; i < l.uOffset; i++) if (f.data[i] !== before[i]) lumaChanged++;
  assert.equal(lumaChanged, 1);
  assert.notEqual(f.data[7 * 16 + 7], before[7 * 16 + 7]);
  for (let i = l.uOffset; i < l.bytes; i++) {
    const k = i < l.vOffset ? i - l.uOffset : i - l.vOffset;
    if (k === 3 * 8 + 3) continue;
    assert.equal(f.data[i], before[i], `chroma sample ${k}`);
  }
  // grey 200 has no chroma: the block moves a quarter of the way to 128
  assert.equal(f.data[l.uOffset + 27], Math.round(120 + (128 - 120) / 4));
  assert.equal(f.data[l.vOffset + 27], Math.round(130 + (128 - 130) / 4));
});

test('pure red lands on its BT.601 and BT.709 codes (tv range) and its pc-range code', () => {
  const red = (m: ReturnType<typeof yuvMatrix>): number[] => redCodes(m, 'yuv420p', 16, 128);
  assert.deepEqual(red(yuvMatrix(undefined)), [81, 90, 240]); // BT.601: Y 81.48, Cb 90.2, Cr 240
  assert.deepEqual(red(yuvMatrix({ colorSpace: 'bt709' })), [63, 102, 240]); // BT.709: Y 62.56, Cb 102.3
  assert.deepEqual(red(yuvMatrix({ colorRange: 'pc' })), [76, 85, 255]); // full range BT.601
});

test('odd sizes pad by repeating the last column and row', () => {
  const f = flatFrame(3, 3, 0, 7, 9);
  f.data.set([1, 2, 3, 4, 5, 6, 7, 8, 9], 0);
  const p = padYuvToEven(f.data, 3, 3);
  const l = yuv420Layout(4, 4);
  assert.equal(p.length, l.bytes);
  assert.deepEqual([...p.subarray(0, 16)], [1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 7, 8, 9, 9]);
  assert.deepEqual([...p.subarray(16)], [7, 7, 7, 7, 9, 9, 9, 9]);
});

test('planes written to the encoder come back bit-exact from a lossless encode', async () => {
  const clip = await makeClip(join(dir, 'src.mp4'), { width: 96, height: 64, seconds: 0.4, source: 'testsrc' });
  const m = yuvMatrix(undefined);
  const frames = await collect(decodeVideoFrames(clip, { width: 96, height: 64, yuv420p: m }));
  const out = join(dir, 'lossless.mp4');
  const enc = await VideoEncoder.open({ output: out, width: 96, height: 64, frameRate: 25, preset: 'ultrafast', crf: 0, inputFormat: 'yuv420p' });
  for (const f of frames) await enc.write(f);
  await enc.finish();
  const back = await collect(decodeVideoFrames(out, { width: 96, height: 64, yuv420p: m }));
  assert.equal(back.length, frames.length);
  for (let i = 0; i < frames.length; i++) assert.ok(Buffer.from(back[i].data).equals(Buffer.from(frames[i].data)), `frame ${i} differs`);
});

test('odd-sized yuv420p frames are padded by the encoder and come back exact inside the original size', async () => {
  // ffv1 stores odd-sized 4:2:0 (x264 cannot), as some editing tools' exports do
  const clip = await makeClip(join(dir, 'odd.mkv'), { width: 97, height: 65, seconds: 0.2, source: 'testsrc', extra: ['-c:v', 'ffv1'] });
  const m = yuvMatrix(undefined);
  const frames = await collect(decodeVideoFrames(clip, { width: 97, height: 65, yuv420p: m }));
  assert.ok(frames.length >= 4);
  assert.equal(frames[0].data.length, yuv420Layout(97, 65).bytes);
  const out = join(dir, 'odd-lossless.mp4');
  const enc = await VideoEncoder.open({ output: out, width: 97, height: 65, frameRate: 25, preset: 'ultrafast', crf: 0, inputFormat: 'yuv420p' });
  for (const f of frames) await enc.write(f);
  const res = await enc.finish();
  assert.deepEqual([res.width, res.height, res.padded], [98, 66, true]);
  const back = await collect(decodeVideoFrames(out, { width: 98, height: 66, yuv420p: m }));
  const a = yuv420Layout(97, 65), b = yuv420Layout(98, 66);
  for (let i = 0; i < frames.length; i++) {
    for (let y = 0; y < 65; y++) for (let x = 0; x < 97; x++) assert.equal(back[i].data[y * 98 + x], frames[i].data[y * 97 + x], `frame ${i} luma ${x},${y}`);
    for (let k = 0; k < a.cw * a.ch; k++) {
      assert.equal(back[i].data[b.uOffset + k], frames[i].data[a.uOffset + k], `frame ${i} Cb ${k}`);
      assert.equal(back[i].data[b.vOffset + k], frames[i].data[a.vOffset + k], `frame ${i} Cr ${k}`);
    }
  }
});

test('the encoder refuses frames of the other layout', async () => {
  const out = join(dir, 'refuse.mp4');
  const enc = await VideoEncoder.open({ output: out, width: 16, height: 16, frameRate: 25, inputFormat: 'yuv420p' });
  await assert.rejects(enc.write({ index: 0, time: 0, width: 16, height: 16, data: new Uint8Array(16 * 16 * 3) }), /expects yuv420p/);
  await enc.abort();
});

// Deeper planes (10-bit HDR phone footage, 10-bit 4:2:2 cameras, ProRes/DNxHR masters): the same
// region functions on 16-bit samples, and x265 keeps the planes.

for (const format of ['yuv420p10le', 'yuv422p10le', 'yuv444p10le', 'yuv422p12le'] as const) {
  test(`${format}: region RGB matches ffmpeg exact decode of the same frames, on the 0–255 scale`, async () => {
    const clip = await makeClip(join(dir, `pattern-${format}.mkv`), { width: 160, height: 120, seconds: 0.2, pixFmt: format, extra: ['-vf', 'boxblur=4', '-c:v', 'ffv1'] });
    const { frames, meanDiff } = await regionDiffFromFfmpeg(clip, format);
    assert.equal(frames[0].format, format);
    assert.equal(frames[0].data.length, frameBytes(format, 160, 120));
    assert.equal(frameBytes(format, 160, 120), 2 * yuvLayout(format, 160, 120).samples);
    assert.ok(meanDiff < 1.2, `mean |ours - ffmpeg| = ${meanDiff.toFixed(2)}`);
  });
}


test('4:2:2 and 4:4:4: blending touches only the chroma samples of pixels with alpha > 0, each by its share', () => {
  for (const [format, share] of [['yuv422p10le', 1 / 2], ['yuv444p10le', 1]] as const) {
    const f = flatFrame(16, 16, 400, 480, 520, yuvMatrix(undefined), format);
    const s = yuvSamples(f.data, format);
    const before = s.slice();
    const rgb = new Float32Array(64 * 3).fill(200);
    const alpha = new Float32Array(64);
    alpha[3 * 8 + 3] = 1; // frame pixel (7, 7)
    assert.equal(blendRgbIntoYuv(f, [4, 4, 8, 8], rgb, alpha), 1);
    const l = yuvLayout(format, 16, 16);
    const ci = 7 * l.cw + (format === 'yuv422p10le' ? 3 : 7);
    for (let i = l.uOffset; i < s.length; i++) {
      const k = i < l.vOffset ? i - l.uOffset : i - l.vOffset;
      if (k !== ci) assert.equal(s[i], before[i], `${format} chroma sample ${k}`);
    }
    // grey has no chroma: the sample moves towards 512 by the pixel's share of its block
    assert.equal(s[l.uOffset + ci], Math.round(480 + (512 - 480) * share), format);
    assert.equal(s[l.vOffset + ci], Math.round(520 + (512 - 520) * share), format);
  }
});

test('10-bit: alpha 0 leaves every sample; alpha 1 with the frame own colour keeps luma exactly; red lands on its 10-bit codes', () => {
  const f = flatFrame(16, 12, 0, 0, 0, yuvMatrix(undefined), 'yuv420p10le');
  const s = yuvSamples(f.data, f.format);
  for (let i = 0; i < s.length; i++) s[i] = 64 + ((i * 137) % 870);
  const before = s.slice();
  const region = [3, 3, 9, 7] as const;
  const base = yuvRegionToRgb(f, region);
  assert.equal(blendRgbIntoYuv(f, region, base.map((v) => v + 50), new Float32Array(63)), 0);
  assert.deepEqual(s, before);
  assert.equal(blendRgbIntoYuv(f, region, base, new Float32Array(63).fill(1)), 63);
  for (let i = 0; i < 16 * 12; i++) assert.equal(s[i], before[i], `luma ${i}`);
  // values past 8 bits are kept, not clipped to 255
  assert.ok(before.some((v) => v > 255));

  const red = (m: ReturnType<typeof yuvMatrix>): number[] => redCodes(m, 'yuv420p10le', 64, 512);
  // BT.709 tv range at 10 bits: the 8-bit codes × 4 (Y 62.56 → 250.2, Cb 102.3 → 409.2, Cr 240 → 960)
  assert.deepEqual(red(yuvMatrix({ colorSpace: 'bt709' })), [250, 409, 960]);
  // full range: 0..1023 (Y 0.299 · 1023 = 305.9, Cr at the top)
  assert.deepEqual(red(yuvMatrix({ colorRange: 'pc' })), [306, 339, 1023]);
});

for (const format of ['yuv420p10le', 'yuv422p10le', 'yuv444p10le', 'yuv422p12le'] as const) {
  test(`${format} planes written to the encoder come back bit-exact from a lossless HEVC encode, odd sizes padded`, async () => {
    const clip = await makeClip(join(dir, `src-${format}.mkv`), { width: 97, height: 65, seconds: 0.4, source: 'testsrc', pixFmt: format, extra: ['-c:v', 'ffv1'] });
    const m = yuvMatrix(undefined);
    const frames = await collect(decodeVideoFrames(clip, { width: 97, height: 65, yuv420p: m, yuvFormat: format }));
    assert.ok(frames.length >= 8);
    const out = join(dir, `lossless-${format}.mp4`);
    const enc = await VideoEncoder.open({ output: out, width: 97, height: 65, frameRate: 25, preset: 'ultrafast', crf: 0, inputFormat: format });
    for (const f of frames) await enc.write(f);
    const res = await enc.finish();
    assert.deepEqual([res.width, res.height, res.padded], [98, 66, true]);
    const info = await probeMedia(out);
    assert.equal(info.video!.codec, 'hevc');
    assert.equal(info.video!.pixelFormat, format);
    const back = await collect(decodeVideoFrames(out, { width: 98, height: 66, yuv420p: m, yuvFormat: format }));
    assert.equal(back.length, frames.length);
    const a = yuvLayout(format, 97, 65), b = yuvLayout(format, 98, 66);
    for (let i = 0; i < frames.length; i++) {
      const src = yuvSamples(frames[i].data, format), got = yuvSamples(back[i].data, format);
      for (let y = 0; y < 66; y++) for (let x = 0; x < 98; x++) assert.equal(got[y * 98 + x], src[Math.min(y, 64) * 97 + Math.min(x, 96)], `frame ${i} luma ${x},${y}`);
      // chroma planes: subsampled ones keep their size, full ones grow by their edge
      for (let y = 0; y < b.ch; y++) {
        for (let x = 0; x < b.cw; x++) {
          const k = Math.min(y, a.ch - 1) * a.cw + Math.min(x, a.cw - 1);
          assert.equal(got[b.uOffset + y * b.cw + x], src[a.uOffset + k], `frame ${i} Cb ${x},${y}`);
          assert.equal(got[b.vOffset + y * b.cw + x], src[a.vOffset + k], `frame ${i} Cr ${x},${y}`);
        }
      }
    }
  });
}
