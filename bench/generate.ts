/**
 * `npm run bench generate`: lip-sync quality and speed on the shared clips, two protocols.
 *   split: the first half of a clip (its own video) driven by the second half of its own audio;
 *          truth is the real mouth tracked in the second half.
 *   cross: the video of clip A driven by the audio of clip B; truth is B's real mouth.
 * Per case: r between the output's re-tracked lip opening and the truth (lag 0 and best lag within
 * ±5 frames), identity kept (face-description similarity input vs output), PSNR outside the edited
 * region, mouth sharpness vs the input, seconds, × real time, and a plain ffmpeg transcode of the
 * same clip timed in the same run. Also writes a before/after contact sheet of mouth crops.
 * Every case is driven by a mouth model that never saw the driving audio's speakers
 * (held-out-mouth.ts): the shipped model learned from all the shared clips, these included.
 */
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { listSharedVideos, type SharedClip } from './shared-data.js';
import { transcode } from '../src/engine/media/transcode.js';
import { mediaTools } from '../src/engine/media/tools.js';
import { runProcess } from '../src/engine/media/run.js';
import { ff, tenBitCopy, uhdCopy } from './baseline.js';
import { DEFAULT_PRESET } from '../src/engine/media/encode-args.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { isPlanarYuv } from '../src/engine/media/yuv.js';
import { analyzeVideo } from '../src/engine/face/analyze.js';
import { readTrack, writeTrack } from '../src/engine/face/track-io.js';
import type { TrackDocument } from '../src/engine/face/types.js';
import { faceEmbeddings, embeddingSimilarity } from '../src/engine/face/identity.js';
import { generate } from '../src/engine/generate/generate.js';
import type { GenerateReport } from '../src/engine/generate/report.js';
import { timelineFrames } from '../src/engine/generate/frame-source.js';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { createImage, blit, drawText, type Image } from '../src/engine/output/raster.js';
import { writePng } from '../src/engine/output/png.js';
import type { BenchResult } from './registry.js';
import { pearson } from '../src/engine/audio/stats.js';
import type { MouthModel } from '../src/engine/audio/model.js';
import { HeldOutMouthModels } from './held-out-mouth.js';

export interface GenerateRow {
  protocol: 'split' | 'cross' | 'long';
  video: string;
  audio: string;
  /** The held-out mouth model that drove the case (trained without the audio's speakers). */
  mouthModel: string;
  size: string;
  frames: number;
  r0: number;
  rBest: number;
  bestLag: number;
  identity: number;
  psnrOutside: number;
  /** PSNR of a plain transcode (same encoder settings) of the same clip: the codec's own loss. */
  psnrTranscode: number;
  /** r at lag 0 of the audio model's target lip opening with the truth: what the mouth model alone achieves on this case. */
  targetR: number;
  /** r at lag 0 of the lip opening of the mouths the plan chose with the truth: what planning keeps of it. */
  planR: number;
  /** r between the mouth the plan chose (its lip gap) and the one re-tracked in the output: how faithfully the render shows the plan. */
  fidelity: number;
  sharpness: number;
  /** The same mouths after a plain transcode, ÷ the input's: what encoding alone keeps. */
  sharpnessTranscode: number;
  /** Video bit rate of the output and of the plain transcode (same settings), kbit/s. */
  kbps: number;
  kbpsTranscode: number;
  sharpnessVsFrame: number;
  edited: number;
  seconds: number;
  xRealTime: number;
  /** Seconds of the same-settings transcode (the quality reference) and our time ÷ it. */
  transcodeSeconds: number;
  ratioToTranscode: number;
  /** Seconds of a plain `ffmpeg -i in out.mp4` (ffmpeg's defaults), the speed reference, and our time ÷ it. */
  defaultTranscodeSeconds: number;
  ratioToDefaultTranscode: number;
}

// The default run: ten split cases spanning sizes (224 px to 1080p), framings and speakers.
// `--all` runs every clip with its own speech; `--quick` the first three below.
export const STANDARD_SPLIT = [
  'OpenTalker__SadTalker/WDA_KatieHill_000',
  'OpenTalker__SadTalker/WDA_AlexandriaOcasioCortez_000',
  'OpenTalker__video-retalking/1',
  'OpenTalker__video-retalking/2',
  'filby89__spectre/M003_level_1_disgusted_015',
  'filby89__spectre/M026_level_3_disgusted_018',
  'Hangz-nju-cuhk__Talking-Face_PC-AVS/741400104',
  'Hangz-nju-cuhk__Talking-Face_PC-AVS/00086',
  'yerfor__Real3DPortrait/May_5s',
  'bytedance__LatentSync/demo1_video',
];
const QUICK_SPLIT = ['OpenTalker__SadTalker/WDA_KatieHill_000', 'filby89__spectre/M003_level_1_disgusted_015', 'Hangz-nju-cuhk__Talking-Face_PC-AVS/741400104'];
export const CROSS: Array<[string, string]> = [
  ['OpenTalker__SadTalker/WDA_KatieHill_000', 'yerfor__Real3DPortrait/May_5s'],
  ['filby89__spectre/M003_level_1_disgusted_015', 'filby89__spectre/W040_level_3_happy_029'],
  ['yerfor__Real3DPortrait/May_5s', 'OpenTalker__video-retalking/2'],
  ['Hangz-nju-cuhk__Talking-Face_PC-AVS/00473', 'Hangz-nju-cuhk__Talking-Face_PC-AVS/731200067'],
  ['bytedance__LatentSync/demo1_video', 'OpenTalker__SadTalker/WDA_AlexandriaOcasioCortez_000'],
];

/**
 * Native resolution at the top of the range: the M003 ← W040 cross case again on a 4K copy of M003
 * (baseline.ts uhdCopy), and on a 10-bit HLG HEVC copy (tenBitCopy).
 */
const UHD_CROSS: [string, string] = ['filby89__spectre/M003_level_1_disgusted_015', 'filby89__spectre/W040_level_3_happy_029'];

/**
 * One longer 1080p case, for throughput: the 2–5 s clips above are dominated by fixed start-up
 * costs (model loading, the first frames' compilation, the encoder's lookahead tail), which a
 * dubbing job of minutes does not notice. Video: two 1080p25 speakers cut together twice (four
 * shots, 18.9 s). Audio: three other speakers' clips back to back, each cut to its own frames, so the
 * truth is their tracked mouths in sequence.
 */
const LONG_VIDEO = ['filby89__spectre/M003_level_1_disgusted_015', 'filby89__spectre/M026_level_3_disgusted_018', 'filby89__spectre/M003_level_1_disgusted_015', 'filby89__spectre/M026_level_3_disgusted_018'];
const LONG_AUDIO = ['filby89__spectre/W040_level_3_happy_029', 'yerfor__Real3DPortrait/May_5s', 'OpenTalker__SadTalker/WDA_KatieHill_000'];

/** The first video stream's bit rate (kbit/s), as the container reports it. */
async function videoKbps(path: string): Promise<number> {
  const r = await runProcess(mediaTools().ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=bit_rate', '-of', 'csv=p=0', path], { timeoutMs: 60_000 });
  const v = Number(r.stdout.toString().trim());
  return r.code === 0 && v > 0 ? v / 1000 : NaN;
}

export const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_');

/** Where cachedTrack keeps a clip's analysis. */
export const trackCachePath = (cacheDir: string, name: string): string => join(cacheDir, `${safe(name)}.track.json`);

export async function cachedTrack(cacheDir: string, name: string, path: string): Promise<TrackDocument> {
  const p = trackCachePath(cacheDir, name);
  if (existsSync(p)) {
    try {
      return await readTrack(p);
    } catch {
      /* stale cache: analyse again */
    }
  }
  const doc = await analyzeVideo(path);
  await writeTrack(p, doc);
  return doc;
}

export function lipSeries(doc: TrackDocument): number[] {
  return doc.frames.map((f) => {
    const sel = doc.selectedByShot?.[f.shot] ?? doc.selectedTrackId;
    const o = f.faces.find((x) => x.trackId === sel);
    return o && o.mouth.visibility >= 0.5 ? o.mouth.lipGap : NaN;
  });
}

/** Pearson r of a[i] against b[i + lag], over the pairs where both are finite (untracked frames are NaN). */
export function pearsonFinite(a: number[], b: number[], lag = 0): number {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const j = i + lag;
    if (j >= 0 && j < b.length && Number.isFinite(a[i]) && Number.isFinite(b[j])) {
      x.push(a[i]);
      y.push(b[j]);
    }
  }
  return x.length < 5 ? NaN : pearson(x, y);
}

function laplacianVariance(img: Uint8Array, w: number, box: [number, number, number, number]): number {
  const [x0, y0, bw, bh] = box.map(Math.round) as [number, number, number, number];
  const g = (x: number, y: number): number => {
    const o = (y * w + x) * 3;
    return 0.299 * img[o] + 0.587 * img[o + 1] + 0.114 * img[o + 2];
  };
  let s = 0, s2 = 0, n = 0;
  for (let y = y0 + 1; y < y0 + bh - 1; y++) {
    for (let x = x0 + 1; x < x0 + bw - 1; x++) {
      const l = 4 * g(x, y) - g(x - 1, y) - g(x + 1, y) - g(x, y - 1) - g(x, y + 1);
      s += l;
      s2 += l * l;
      n++;
    }
  }
  return n ? s2 / n - (s / n) ** 2 : NaN;
}

/** The mouth region of a tracked frame: a box around the lips sized by the eye distance. */
function mouthBox(doc: TrackDocument, frame: number, width: number, height: number): [number, number, number, number] | undefined {
  const fa = doc.frames[frame];
  const face = fa?.faces.find((x) => x.trackId === (doc.selectedByShot?.[fa.shot] ?? doc.selectedTrackId));
  if (!face) return undefined;
  const m = face.meshSmoothed ?? face.mesh;
  const ed = Math.hypot(m[33 * 3] - m[263 * 3], m[33 * 3 + 1] - m[263 * 3 + 1]);
  const x0 = Math.max(1, (m[61 * 3] + m[291 * 3]) / 2 - ed * 0.6);
  const y0 = Math.max(1, (m[13 * 3 + 1] + m[14 * 3 + 1]) / 2 - ed * 0.4);
  const box: [number, number, number, number] = [x0, y0, Math.min(ed * 1.2, width - 2 - x0), Math.min(ed * 0.8, height - 2 - y0)];
  return box[2] > 8 && box[3] > 8 ? box : undefined;
}

function cropImage(d: Uint8Array, width: number, box: [number, number, number, number]): Image {
  const c = createImage(Math.round(box[2]), Math.round(box[3]));
  for (let y = 0; y < c.height; y++) {
    for (let x = 0; x < c.width; x++) {
      const so = ((Math.round(box[1]) + y) * width + Math.round(box[0]) + x) * 3;
      c.data.set(d.subarray(so, so + 3), (y * c.width + x) * 3);
    }
  }
  return c;
}

/** Sum of squared RGB differences and sample count, skipping `skip` (a region plus a 2 px margin). Big frames are sampled on a grid. */
function squaredError(a: Uint8Array, b: Uint8Array, width: number, height: number, skip?: [number, number, number, number]): [number, number] {
  const step = width * height > 1e6 ? 3 : 1;
  let se = 0, count = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      if (skip && x >= skip[0] - 2 && x < skip[0] + skip[2] + 2 && y >= skip[1] - 2 && y < skip[1] + skip[3] + 2) continue;
      const o = (y * width + x) * 3;
      se += (a[o] - b[o]) ** 2 + (a[o + 1] - b[o + 1]) ** 2 + (a[o + 2] - b[o + 2]) ** 2;
      count += 3;
    }
  }
  return [se, count];
}

const psnrOf = (se: number, count: number): number => 10 * Math.log10((255 * 255) / Math.max(1e-9, se / Math.max(1, count)));

/**
 * The plain transcode of the input with the output's settings (the engine's `transcode`): its time
 * (the speed reference), the file (the sharpness and bit-rate reference) and its PSNR (what the
 * codec alone costs). One encode serves all three.
 */
async function plainTranscode(input: string, workDir: string, width: number, height: number): Promise<{ psnr: number; path: string; seconds: number }> {
  const out = join(workDir, 'transcode-reference.mp4');
  const t = performance.now();
  // encoded as the encoder encodes the input's frames (deeper input: HEVC in its own format)
  const pf = (await probeMedia(input)).video?.pixelFormat;
  await transcode(input, out, DEFAULT_PRESET, { format: isPlanarYuv(pf) ? pf : undefined });
  const seconds = (performance.now() - t) / 1000;
  const a = decodeVideoFrames(input, { width, height, exact: true });
  const b = decodeVideoFrames(out, { width, height, exact: true });
  let se = 0, count = 0;
  for (;;) {
    const fa = (await a.next()).value;
    const fb = (await b.next()).value;
    if (!fa || !fb) break;
    const [s, c] = squaredError(fa.data, fb.data, width, height);
    se += s;
    count += c;
  }
  await a.return(undefined);
  await b.return(undefined);
  return { psnr: psnrOf(se, count), path: out, seconds };
}

/**
 * The speed reference: a plain ffmpeg transcode with ffmpeg's own defaults (`ffmpeg -i in out.mp4`:
 * libx264 at its medium preset and crf 23, AAC audio), timed. It is what re-encoding the clip costs
 * someone who does nothing else to it, and unlike the same-settings transcode it does not move when
 * Resync's own encoder settings change (a faster output encoder would otherwise make the ratio worse).
 */
async function defaultTranscodeSeconds(input: string, workDir: string): Promise<number> {
  const out = join(workDir, 'transcode-ffmpeg-defaults.mp4');
  const t = performance.now();
  await ff(['-i', input, out]);
  return (performance.now() - t) / 1000;
}

/**
 * PSNR outside the edited regions; mouth sharpness (Laplacian variance) of the output against the
 * source mouth it was rendered from (what rendering keeps) and against the input frame it replaces
 * (which also differs in content: open vs closed, teeth); mouth crops for the contact sheet.
 */
async function compareFrames(input: string, output: string, reference: string, report: GenerateReport, doc: TrackDocument, sheetFrames: number[]): Promise<{ width: number; height: number; psnr: number; sharpness: number; sharpnessVsFrame: number; transcodeSharpness: number; crops: Array<[Image, Image]> }> {
  const info = await probeMedia(input);
  const v = info.video!;
  // Sharpness of every input frame's own mouth (the candidates rendering draws from), and of the
  // same mouth after a plain transcode (what encoding alone keeps).
  const inputLap: number[] = [];
  const refLap: number[] = [];
  // Input, reference and output are all decoded this one way: swscale's default dithering of
  // deeper input into 8-bit RGB adds high-frequency noise that a Laplacian counts as detail (+6.6%
  // on the 10-bit M003 copy, +1.6% on the 8-bit clip), which made the source look sharper than the
  // output it measures when only the output was decoded exactly.
  const decode = { width: v.width, height: v.height, exact: true };
  const ref = decodeVideoFrames(reference, decode);
  for await (const f of decodeVideoFrames(input, decode)) {
    const box = mouthBox(doc, f.index, v.width, v.height);
    const rf = (await ref.next()).value;
    inputLap[f.index] = box ? laplacianVariance(f.data, v.width, box) : NaN;
    refLap[f.index] = box && rf ? laplacianVariance(rf.data, v.width, box) : NaN;
  }
  await ref.return(undefined);
  let refSum = 0, refSrc = 0;
  const src = report.perFrame.map((p) => p.source);
  const a = timelineFrames(input, src, report.output.fps, { decode: { ...decode, nominalFps: v.fps } });
  const b = decodeVideoFrames(output, decode);
  let se = 0, count = 0, lapFrame = 0, lapOut = 0, lapSource = 0, lapOut2 = 0;
  const crops: Array<[Image, Image]> = [];
  for (let i = 0; i < report.perFrame.length; i++) {
    const fa = (await a.next()).value;
    const fb = (await b.next()).value;
    if (!fa || !fb) break;
    const row = report.perFrame[i];
    const [s, c] = squaredError(fa.data, fb.data, v.width, v.height, row.region);
    se += s;
    count += c;
    const box = mouthBox(doc, row.source, v.width, v.height);
    if (!box || row.action !== 'edit') continue;
    const out = laplacianVariance(fb.data, v.width, box);
    lapFrame += laplacianVariance(fa.data, v.width, box);
    lapOut += out;
    const from = row.from !== undefined ? report.perFrame[row.from]?.source : undefined;
    const srcLap = from !== undefined ? inputLap[from] : NaN;
    if (Number.isFinite(srcLap)) {
      lapSource += srcLap;
      lapOut2 += out;
      if (from !== undefined && Number.isFinite(refLap[from])) {
        refSum += refLap[from];
        refSrc += srcLap;
      }
    }
    if (sheetFrames.includes(i)) crops.push([cropImage(fa.data, v.width, box), cropImage(fb.data, v.width, box)]);
  }
  await a.return(undefined);
  await b.return(undefined);
  return { width: v.width, height: v.height, psnr: psnrOf(se, count), sharpness: lapSource > 0 ? lapOut2 / lapSource : NaN, sharpnessVsFrame: lapFrame > 0 ? lapOut / lapFrame : NaN, transcodeSharpness: refSrc > 0 ? refSum / refSrc : NaN, crops };
}

/**
 * The split protocol's inputs for a clip: its first half (video with its own sound, which is what
 * speaker adaptation learns from, as in dubbing) and the second half's speech, 16 kHz mono.
 */
export async function splitCase(c: SharedClip, cacheDir: string, workDir: string): Promise<{ doc: TrackDocument; half: number; video: string; audio: string }> {
  const doc = await cachedTrack(cacheDir, c.name, c.path);
  const fps = doc.source.fps;
  const half = Math.floor(doc.frames.length / 2);
  const video = join(workDir, `${safe(c.name)}-first.mp4`);
  const audio = join(workDir, `${safe(c.name)}-second.wav`);
  await ff(['-i', c.path, '-frames:v', String(half), '-t', String(half / fps), '-c:v', 'libx264', '-crf', '12', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', video]);
  await ff(['-ss', String(half / fps), '-i', c.path, '-vn', '-ac', '1', '-ar', '16000', audio]);
  return { doc, half, video, audio };
}

/** A clip's whole speech, 16 kHz mono (the cross protocol's driving audio). */
export async function clipSpeech(c: SharedClip, workDir: string): Promise<string> {
  const out = join(workDir, `${safe(c.name)}-audio.wav`);
  await ff(['-i', c.path, '-vn', '-ac', '1', '-ar', '16000', out]);
  return out;
}

async function runCase(protocol: 'split' | 'cross' | 'long', videoName: string, videoPath: string, audioName: string, audioPath: string, truth: number[], workDir: string, mouthModel: MouthModel): Promise<{ row: GenerateRow; crops: Array<[Image, Image]> }> {
  const out = join(workDir, `${protocol}-${safe(videoName)}.mp4`);
  const t = performance.now();
  const { report } = await generate({ video: videoPath, audio: audioPath, output: out, syncMode: 'cut_off', mouthModel });
  const seconds = (performance.now() - t) / 1000;
  const outDoc = await analyzeVideo(out);
  const got = lipSeries(outDoc);
  const n = Math.min(got.length, truth.length);
  const g = got.slice(0, n);
  const tr = truth.slice(0, n);
  let best = { lag: 0, r: -Infinity };
  for (let lag = -5; lag <= 5; lag++) {
    const r = pearsonFinite(tr, g, lag);
    if (r > best.r) best = { lag, r };
  }
  const inDoc = await analyzeVideo(videoPath, { maxFrames: report.frames.total });
  const idFrames = [0, Math.floor(n / 3), Math.floor((2 * n) / 3)].filter((i) => i < n);
  const ea = await faceEmbeddings(videoPath, idFrames.map((i) => report.perFrame[i].source));
  const eb = await faceEmbeddings(out, idFrames);
  const sims: number[] = [];
  for (let i = 0; i < idFrames.length; i++) if (ea[i] && eb[i]) sims.push(await embeddingSimilarity(ea[i]!, eb[i]!));
  const sheetFrames = [0.15, 0.3, 0.45, 0.6, 0.75, 0.9].map((f) => Math.floor(f * n));
  const plain = await plainTranscode(videoPath, workDir, report.output.width, report.output.height);
  const transcodeSeconds = plain.seconds;
  const defaultSeconds = await defaultTranscodeSeconds(videoPath, workDir);
  const cmp = await compareFrames(videoPath, out, plain.path, report, inDoc, sheetFrames);
  const duration = report.output.duration;
  const [kbps, kbpsTranscode] = [await videoKbps(out), await videoKbps(plain.path)];
  return {
    row: {
      protocol,
      video: videoName,
      audio: audioName,
      mouthModel: mouthModel.weights.name,
      size: `${report.output.width}x${report.output.height}`,
      frames: report.frames.total,
      r0: r3(pearsonFinite(tr, g, 0)),
      targetR: r3(pearsonFinite(report.perFrame.slice(0, n).map((p) => (p.target ?? NaN) as number), tr, 0)),
      planR: r3(pearsonFinite(report.perFrame.slice(0, n).map((p) => (p.rendered ?? NaN) as number), tr, 0)),
      fidelity: r3(pearsonFinite(report.perFrame.slice(0, n).map((p) => (p.rendered ?? NaN) as number), g, 0)),
      rBest: r3(best.r),
      bestLag: best.lag,
      identity: r3(sims.length ? sims.reduce((s, x) => s + x, 0) / sims.length : NaN),
      psnrOutside: r1(cmp.psnr),
      psnrTranscode: r1(plain.psnr),
      sharpness: r2(cmp.sharpness),
      sharpnessTranscode: r2(cmp.transcodeSharpness),
      sharpnessVsFrame: r2(cmp.sharpnessVsFrame),
      kbps: Math.round(kbps),
      kbpsTranscode: Math.round(kbpsTranscode),
      edited: r3(report.frames.edited / Math.max(1, report.frames.total)),
      seconds: r1(seconds),
      xRealTime: r2(duration / seconds),
      transcodeSeconds: r2(transcodeSeconds),
      ratioToTranscode: r1(seconds / transcodeSeconds),
      defaultTranscodeSeconds: r2(defaultSeconds),
      ratioToDefaultTranscode: r1(seconds / defaultSeconds),
    },
    crops: cmp.crops,
  };
}

export async function benchGenerate(opts: { dataDir: string; cacheDir: string; quick: boolean; all?: boolean }): Promise<BenchResult> {
  const clips = new Map<string, SharedClip>(listSharedVideos(opts.dataDir).map((c) => [c.name, c]));
  const workDir = join(opts.cacheDir, 'generate');
  mkdirSync(workDir, { recursive: true });
  const rows: GenerateRow[] = [];
  const sheet: Array<{ label: string; crops: Array<[Image, Image]> }> = [];

  const chosen = opts.all ? undefined : opts.quick ? QUICK_SPLIT : STANDARD_SPLIT;
  const splitClips = [...clips.values()].filter((c) => c.ownSyncedAudio && c.hasAudio && c.duration >= 3 && (!chosen || chosen.includes(c.name)));
  const crossCases = opts.quick ? CROSS.slice(0, 2) : CROSS;

  // The truth is the real mouth of the driving audio's speakers: the mouth model must not have
  // learned from them. All models are trained before any generation is timed.
  const heldOut = new HeldOutMouthModels(opts.dataDir, opts.cacheDir, (m) => console.error(`[bench generate] ${m}`));
  const models = new Map<string, MouthModel>();
  for (const audioClips of [...splitClips.map((c) => [c.name]), ...crossCases.map(([, b]) => [b]), ...(opts.quick ? [] : [LONG_AUDIO])]) {
    const { model, heldOut: out } = await heldOut.excluding(audioClips);
    if (!out.length) throw new Error(`no tracked speaker for ${audioClips.join(', ')}: cannot hold it out of the mouth model`);
    models.set(audioClips.join('+'), model);
  }
  heldOut.release();
  const modelFor = (audioClips: string[]): MouthModel => models.get(audioClips.join('+'))!;
  for (const c of splitClips) {
    const { doc, half, video: firstHalf, audio: secondAudio } = await splitCase(c, opts.cacheDir, workDir);
    const truth = lipSeries(doc).slice(half);
    const res = await runCase('split', c.name, firstHalf, `${c.name} (2nd half)`, secondAudio, truth, workDir, modelFor([c.name]));
    rows.push(res.row);
    sheet.push({ label: `SPLIT ${c.name}`, crops: res.crops });
    console.error(JSON.stringify(res.row));
  }

  for (const [va, ab] of crossCases) {
    const a = clips.get(va);
    const b = clips.get(ab);
    if (!a || !b) continue;
    const docB = await cachedTrack(opts.cacheDir, b.name, b.path);
    const audioB = await clipSpeech(b, workDir);
    const res = await runCase('cross', a.name, a.path, b.name, audioB, lipSeries(docB), workDir, modelFor([b.name]));
    rows.push(res.row);
    sheet.push({ label: `CROSS ${a.name} <- ${b.name}`, crops: res.crops });
    console.error(JSON.stringify(res.row));
  }

  const [ua, ub] = [clips.get(UHD_CROSS[0]), clips.get(UHD_CROSS[1])];
  if (!opts.quick && ua && ub) {
    const uhd = await uhdCopy(opts.cacheDir, ua.path, 'M003');
    const docB = await cachedTrack(opts.cacheDir, ub.name, ub.path);
    const res = await runCase('cross', `${ua.name} scaled to 3840x2160 (derived)`, uhd, ub.name, await clipSpeech(ub, workDir), lipSeries(docB), workDir, modelFor([ub.name]));
    rows.push(res.row);
    sheet.push({ label: `CROSS ${ua.name} at 3840x2160 <- ${ub.name}`, crops: res.crops });
    console.error(JSON.stringify(res.row));
    // the same case on a 10-bit HDR copy (HEVC out): what 10-bit generation costs and keeps
    const ten = await tenBitCopy(opts.cacheDir, ua.path, 'M003');
    const resTen = await runCase('cross', `${ua.name} as 10-bit HLG HEVC (derived)`, ten, ub.name, await clipSpeech(ub, workDir), lipSeries(docB), workDir, modelFor([ub.name]));
    rows.push(resTen.row);
    sheet.push({ label: `CROSS ${ua.name} 10-bit <- ${ub.name}`, crops: resTen.crops });
    console.error(JSON.stringify(resTen.row));
  }

  if (!opts.quick) {
    const v = LONG_VIDEO.map((n) => clips.get(n));
    const a = LONG_AUDIO.map((n) => clips.get(n));
    if (v.every(Boolean) && a.every(Boolean)) {
      const video = join(workDir, 'long-video.mp4');
      const inputs = v.flatMap((c) => ['-i', c!.path]);
      const streams = v.map((_, i) => `[${i}:v][${i}:a]`).join('');
      await ff([...inputs, '-filter_complex', `${streams}concat=n=${v.length}:v=1:a=1[v][a]`, '-map', '[v]', '-map', '[a]', '-c:v', 'libx264', '-crf', '12', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', video]);
      const truth: number[] = [];
      const parts: string[] = [];
      for (const c of a) {
        const doc = await cachedTrack(opts.cacheDir, c!.name, c!.path);
        const part = join(workDir, `${safe(c!.name)}-long-part.wav`);
        await ff(['-i', c!.path, '-vn', '-ac', '1', '-ar', '16000', '-t', String(doc.frames.length / doc.source.fps), part]);
        parts.push(part);
        truth.push(...lipSeries(doc));
      }
      const audio = join(workDir, 'long-audio.wav');
      await ff([...parts.flatMap((p) => ['-i', p]), '-filter_complex', `${parts.map((_, i) => `[${i}:a]`).join('')}concat=n=${parts.length}:v=0:a=1[a]`, '-map', '[a]', audio]);
      const res = await runCase('long', 'M003 + M026, twice (4 shots)', video, 'W040 + May_5s + KatieHill', audio, truth, workDir, modelFor(LONG_AUDIO));
      rows.push(res.row);
      sheet.push({ label: 'LONG M003+M026 x2 <- W040+May+KatieHill', crops: res.crops });
      console.error(JSON.stringify(res.row));
    }
  }

  // The sheet shows faces from research-only footage (../shared/data/SOURCES.md: do not
  // redistribute), so it is written beside the benchmark cache, never into the repository.
  const sheetPath = join(opts.cacheDir, 'bench-generate-mouths.png');
  writeContactSheet(sheetPath, sheet);
  return {
    table: generateTable(rows) + `\n\nBefore/after mouth crops of every case: \`.bench-cache/bench-generate-mouths.png\`, written by this benchmark (top of each pair: input, bottom: output). It is not committed, because the clips are research-only footage that must not be redistributed.`,
    rows,
  };
}

/** Rows of before/after mouth crops, each case labelled; every crop scaled to 96 px high. */
function writeContactSheet(path: string, cases: Array<{ label: string; crops: Array<[Image, Image]> }>): void {
  const cellH = 80;
  const cellW = 120;
  const cols = Math.max(1, ...cases.map((c) => c.crops.length));
  const rowH = 12 + cellH * 2 + 6;
  const img = createImage(cols * cellW, Math.max(1, cases.length) * rowH, [20, 20, 20]);
  cases.forEach((c, k) => {
    const y = k * rowH;
    drawText(img, c.label.slice(0, Math.floor((cols * cellW) / 6) - 1), 2, y + 2, [255, 255, 255], 1, false);
    c.crops.forEach(([before, after], j) => {
      blit(img, before, j * cellW, y + 12, cellW - 2, cellH - 1);
      blit(img, after, j * cellW, y + 12 + cellH, cellW - 2, cellH - 1);
    });
  });
  mkdirSync(join(path, '..'), { recursive: true });
  writePng(path, img.data, img.width, img.height);
}

export function generateTable(rows: GenerateRow[]): string {
  const head = '| protocol | video | audio | mouth model | size | frames | r lag 0 | r best (lag) | target r | plan r | render fidelity | identity | PSNR outside edit dB (plain transcode) | mouth sharpness vs source (vs frame; plain transcode) | video kbit/s (plain transcode) | edited | seconds | × real time | plain ffmpeg transcode s | ÷ it | same-settings transcode s | ÷ it |';
  const sep = '|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => `| ${r.protocol} | ${r.video} | ${r.audio} | ${r.mouthModel} | ${r.size} | ${r.frames} | ${r.r0} | ${r.rBest} (${r.bestLag}) | ${r.targetR} | ${r.planR} | ${r.fidelity} | ${r.identity} | ${r.psnrOutside} (${r.psnrTranscode}) | ${r.sharpness} (${r.sharpnessVsFrame}; ${r.sharpnessTranscode}) | ${r.kbps} (${r.kbpsTranscode}) | ${(r.edited * 100).toFixed(0)}% | ${r.seconds} | ${r.xRealTime} | ${r.defaultTranscodeSeconds} | ${r.ratioToDefaultTranscode} | ${r.transcodeSeconds} | ${r.ratioToTranscode} |`);
  // A derived copy (the 4K and 10-bit cases) repeats another case's speakers and speech: it is
  // left out of the means, which would otherwise count that case twice.
  const own = rows.filter((r) => !r.video.includes('(derived)'));
  const mean = (f: (r: GenerateRow) => number): number => {
    const v = own.map(f).filter(Number.isFinite);
    return v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  };
  const left = rows.length - own.length;
  const summary = `\nMean over ${own.length} cases${left ? ` (the ${left} derived copies left out: they repeat a case above at another size or bit depth)` : ''}: r ${mean((r) => r.r0).toFixed(3)} at lag 0, ${mean((r) => r.rBest).toFixed(3)} at best lag; target r ${mean((r) => r.targetR).toFixed(3)}, plan r ${mean((r) => r.planR).toFixed(3)}; render fidelity ${mean((r) => r.fidelity).toFixed(3)}; identity ${mean((r) => r.identity).toFixed(3)}; PSNR outside the edit ${mean((r) => r.psnrOutside).toFixed(1)} dB (a plain transcode with the same settings: ${mean((r) => r.psnrTranscode).toFixed(1)} dB); mouth sharpness ${mean((r) => r.sharpness).toFixed(2)} of the source mouth (${mean((r) => r.sharpnessVsFrame).toFixed(2)} of the replaced frame's; a plain transcode keeps ${mean((r) => r.sharpnessTranscode).toFixed(2)}); video bit rate ${mean((r) => r.kbps / r.kbpsTranscode).toFixed(2)}× the plain transcode's; ${mean((r) => r.xRealTime).toFixed(2)}× real time, ${mean((r) => r.ratioToDefaultTranscode).toFixed(1)}× a plain ffmpeg transcode (${mean((r) => r.ratioToTranscode).toFixed(1)}× one with the output's own settings).\n\n` +
    'r: Pearson correlation of the lip opening re-tracked in the output with the real mouth that went with the driving audio. The mouth model of every case was trained without any clip of the driving audio\'s speakers (mouth model: fold-k = the model of the speaker-grouped fold of `bench mouth` that holds them; "without n speakers" = one trained for the case when its speakers fall in different folds; bench/held-out-mouth.ts); the shipped model, trained on all the clips, is never scored on them. Target r: the same correlation (lag 0) for the lip opening the mouth model asked for (the report\'s per-frame target); plan r: for the lip opening of the mouths the plan chose, before rendering. Render fidelity: the same correlation between the lip opening of the mouths the plan chose and the re-tracked output (how faithfully rendering shows the plan; target r, plan r and fidelity together show whether the gap to the real mouth opens in the audio model, the planning or the rendering). Identity: Human face-description similarity of input and output frames (same person ≈ 0.5–1, different people ≈ 0.1–0.2). PSNR outside the edit compares the output with the input everywhere except the edited region; the plain-transcode PSNR is what re-encoding alone costs (before encoding, pixels outside the edit are bit-identical: tested). Sharpness: Laplacian variance of the mouth region, output ÷ the source mouth it was rendered from (in brackets: ÷ the input frame it replaces, which also shows a different mouth; then what a plain transcode with the same encoder settings keeps of the same source mouths, the ceiling once the output is encoded). Video kbit/s: the video stream of the output against a plain transcode of the input with the same encoder settings (the transcode covers the whole input clip). Seconds: the whole generation, inputs to finished file. Speed references, timed in the same run: a plain `ffmpeg -i in out.mp4` with ffmpeg\'s defaults (libx264 medium, crf 23), which the speed target of at most 2.5× is measured against, and the same-settings transcode above.';
  return [head, sep, ...lines, summary].join('\n');
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r2 = (x: number): number => Math.round(x * 100) / 100;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
