/**
 * `npm run bench analyze`: whole-shot face analysis on every shared clip (plus a 1280×720 copy of
 * a 1080p clip, since the set has no 720p landscape clip). Per clip: frames, fps, × real time,
 * the ratio of analyze time to a plain ffmpeg decode of the same clip measured in the same run,
 * tracked-frame rate, landmark jitter raw vs smoothed, and how well smoothing keeps lip motion.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { listSharedVideos, type SharedClip } from './shared-data.js';
import { plainDecodeSeconds, scaledCopy } from './baseline.js';
import { analyzeVideo } from '../src/engine/face/analyze.js';
import { writeTrack } from '../src/engine/face/track-io.js';
import { landmarkJitter, lipRetention } from '../src/engine/face/metrics.js';
import { probeMedia } from '../src/engine/media/probe.js';
import type { BenchResult } from './registry.js';

export interface AnalyzeRow {
  clip: string;
  size: string;
  frames: number;
  fps: number;
  seconds: number;
  xRealTime: number;
  decodeSeconds: number;
  ratioToDecode: number;
  trackedRate: number;
  jitterRaw: number;
  jitterSmoothed: number;
  /** The same with a 3D alignment (head turns removed too). */
  jitterRaw3d: number;
  jitterSmoothed3d: number;
  lipCorrelation: number;
  lipPeakRatio: number;
}

const QUICK = ['OpenTalker__SadTalker/WDA_KatieHill_000', 'filby89__spectre/M003_level_1_disgusted_015', 'filby89__spectre/0Fi83BHQsMA_00002', 'bytedance__LatentSync/demo1_video'];

export async function benchAnalyze(opts: { dataDir: string; cacheDir: string; quick: boolean }): Promise<BenchResult> {
  let clips: Array<Pick<SharedClip, 'name' | 'path'>> = listSharedVideos(opts.dataDir);
  if (opts.quick) clips = clips.filter((c) => QUICK.includes(c.name));
  const src1080 = clips.find((c) => c.name === 'filby89__spectre/M003_level_1_disgusted_015');
  if (src1080) {
    const p720 = join(opts.cacheDir, 'M003_720p.mp4');
    if (!existsSync(p720)) await scaledCopy(src1080.path, p720, 1280, 720);
    clips.push({ name: 'M003 scaled to 1280x720 (derived)', path: p720 });
  }
  const rows: AnalyzeRow[] = [];
  for (const c of clips) {
    const info = await probeMedia(c.path);
    const v = info.video!;
    const decodeSeconds = await plainDecodeSeconds(c.path);
    const t = performance.now();
    const doc = await analyzeVideo(c.path);
    const seconds = (performance.now() - t) / 1000;
    await writeTrack(join(opts.cacheDir, `${c.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}.track.json`), doc);
    const frames = doc.frames.length;
    const raw = doc.selectedTrackId !== null ? landmarkJitter(doc, 'raw') : { mean: NaN };
    const smooth = doc.selectedTrackId !== null ? landmarkJitter(doc, 'smoothed') : { mean: NaN };
    const raw3 = doc.selectedTrackId !== null ? landmarkJitter(doc, 'raw', undefined, '3d') : { mean: NaN };
    const smooth3 = doc.selectedTrackId !== null ? landmarkJitter(doc, 'smoothed', undefined, '3d') : { mean: NaN };
    const lips = doc.selectedTrackId !== null ? lipRetention(doc) : { correlation: NaN, peakRatio: NaN };
    const row: AnalyzeRow = {
      clip: c.name,
      size: `${v.width}x${v.height}`,
      frames,
      fps: Math.round(v.fps * 100) / 100,
      seconds: r2(seconds),
      xRealTime: r2(frames / v.fps / seconds),
      decodeSeconds: r2(decodeSeconds),
      ratioToDecode: r2(seconds / decodeSeconds),
      trackedRate: r3(doc.stats.framesWithFace / Math.max(1, frames)),
      jitterRaw: r4(raw.mean),
      jitterSmoothed: r4(smooth.mean),
      jitterRaw3d: r4(raw3.mean),
      jitterSmoothed3d: r4(smooth3.mean),
      lipCorrelation: r3(lips.correlation),
      lipPeakRatio: r2(lips.peakRatio),
    };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
  return { table: analyzeTable(rows), rows };
}

export function analyzeTable(rows: AnalyzeRow[]): string {
  const head = '| clip | size | frames | fps | analyze s | × real time | plain decode s | analyze / decode | tracked | jitter raw | jitter smoothed | 3D-aligned jitter raw → smoothed (ratio) | lip r (smoothed vs raw) | lip peak ratio |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|';
  const lines = rows.map((r) => `| ${r.clip} | ${r.size} | ${r.frames} | ${r.fps} | ${r.seconds} | ${r.xRealTime} | ${r.decodeSeconds} | ${r.ratioToDecode} | ${(r.trackedRate * 100).toFixed(1)}% | ${r.jitterRaw} | ${r.jitterSmoothed} | ${r.jitterRaw3d} → ${r.jitterSmoothed3d} (${r2(r.jitterSmoothed3d / r.jitterRaw3d)}) | ${r.lipCorrelation} | ${r.lipPeakRatio} |`);
  const ok = rows.filter((r) => Number.isFinite(r.jitterRaw));
  const mean = (f: (r: AnalyzeRow) => number): number => ok.reduce((s, r) => s + f(r), 0) / Math.max(1, ok.length);
  const summary = [
    '',
    `Mean over ${ok.length} clips: tracked ${(mean((r) => r.trackedRate) * 100).toFixed(1)}% of frames, jitter raw ${mean((r) => r.jitterRaw).toFixed(4)} → smoothed ${mean((r) => r.jitterSmoothed).toFixed(4)} ` +
      `(${(100 * (1 - mean((r) => r.jitterSmoothed) / Math.max(1e-9, mean((r) => r.jitterRaw)))).toFixed(0)}% less; worst clip ${r2(Math.max(...ok.map((r) => r.jitterSmoothed / r.jitterRaw)))} of raw); 3D-aligned ${mean((r) => r.jitterRaw3d).toFixed(4)} → ${mean((r) => r.jitterSmoothed3d).toFixed(4)} (worst clip ${r2(Math.max(...ok.map((r) => r.jitterSmoothed3d / r.jitterRaw3d)))} of raw), lip correlation ${mean((r) => r.lipCorrelation).toFixed(3)}.`,
    '',
    'Jitter: frame-to-frame motion of rigid landmarks after removing head motion, as a fraction of the eye distance. The first two columns remove head motion with a 2D similarity, which cannot undo a head turn (the projected shape of the rigid points changes as the head yaws, so a steady turn counts as jitter: on 0Fi83, turning from 56° to 0° in 40 frames, the smoothed curve is a smooth rise and fall, not noise). The 3D-aligned column removes it with a rotation in depth using the mesh\'s z (src/engine/face/align3d.ts). ' +
      '"Tracked": frames in which a face was found (every shared clip shows a face in every frame). Lip r / peak ratio: the smoothed lip gap against the raw one (1 = motion kept).',
  ];
  return [head, sep, ...lines, ...summary].join('\n');
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r4 = (x: number): number => Math.round(x * 10000) / 10000;
