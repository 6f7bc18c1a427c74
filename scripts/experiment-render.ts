/**
 * Render-only timing: the streaming render of generate() (crop pass, warp, colour match, detail,
 * blend) on one shared clip, without the analysis before it or the encoder after it, each run in a
 * fresh process so V8 starts cold as it does in a CLI job. For work on the render's CPU cost, where
 * a whole generation's time is too noisy to see a few percent.
 *
 *   npx tsc -p . && node dist/scripts/experiment-render.js [--clip raw/filby89__spectre/M003_level_1_disgusted_015.mp4]
 *       [--runs 5] [--compare /path/to/another/checkout]
 *
 * The clip's analysis is the benchmarks' cached track (.bench-cache/), and it is driven by its own speech with
 * the shipped mouth model. Each run decodes every frame before the clock starts, then times the
 * render: wall time, the process's CPU time (its threads, not its ffmpeg children: the crop pass's
 * decoder is inside the wall time only), the first frame (which includes waiting for its source
 * mouth to be decoded), the median frame after the tenth, and a hash of the rendered frames, which
 * must not change when only speed work was done. With --compare, runs alternate between this
 * checkout and another one (its dist/ built, this script included).
 *
 * Session 6: the render's pixel loops moved into leaf functions that take only typed arrays and
 * numbers. Before, V8 threw renderFrame's (and matchColour's, restoreDetail's...) compiled code
 * away whenever it met an object shape it had not seen (plan entries with a morph or a fade,
 * frames, patches), and the rest of that frame's loops ran in the interpreter until recompiled.
 * M003 (1080p, 117 frames), 4 runs each, alternating with the session-5 checkout: process CPU
 * 2944 ms against 3318 (−11%), wall 3015 against 3088, steady frame 18.8 against 18.5 ms, output
 * hash identical. The gain is CPU on the compiler's and collector's threads, which in a real job
 * compete with x264 for the second core. On the clip's 58-frame first half (the split case), by
 * hand: 1.8–2.0 s of CPU against 2.3–2.5 s.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findSharedData, listSharedVideos } from '../bench/shared-data.js';
import { cachedTrack, safe } from '../bench/generate.js';
import { MODEL_SETTINGS } from '../src/engine/generate/models.js';
import { parseTrack, stringifyTrack } from '../src/engine/face/track-io.js';
import { decodeAudio } from '../src/engine/media/decode-audio.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { yuvMatrix } from '../src/engine/media/yuv.js';
import { mouthFromSamples } from '../src/engine/audio/mouth.js';
import { MouthTargets } from '../src/engine/generate/targets.js';
import { PackedMouthTrack } from '../src/engine/audio/packed-track.js';
import { timelineFrames } from '../src/engine/generate/frame-source.js';
import { planVideo } from '../src/engine/synthesis/plan.js';
import { renderVideo } from '../src/engine/synthesis/stream.js';
import type { SynthesisPlan } from '../src/engine/synthesis/types.js';
import type { VideoFrame } from '../src/engine/media/types.js';
import { arg } from './lib/args.js';

const log = (m: string): void => console.error(`[render-exp] ${m}`);

interface Prepared {
  video: string;
  /** the track document as track-io writes it (meshes as arrays) */
  track: string;
  plan: SynthesisPlan;
}

interface RunResult {
  wallMs: number;
  cpuMs: number;
  firstMs: number;
  medianMs: number;
  hash: string;
}

/**
 * Analysis (the benchmarks' cached track of the clip) and plan, written where the timed runs read
 * them (the render is what is timed, not these).
 */
async function prepare(clip: string, video: string, cacheDir: string): Promise<string> {
  const file = join(cacheDir, 'render-exp', `${safe(clip)}.prepared-v2.json`);
  if (existsSync(file)) return file;
  const doc = await cachedTrack(cacheDir, clip, video);
  const speech = (await decodeAudio(video, { sampleRate: 16000 })).samples;
  const mouth = mouthFromSamples(speech, 16000, { fps: doc.source.fps });
  const plan = planVideo(doc, new MouthTargets(new PackedMouthTrack(mouth), doc.frames.length), { beam: MODEL_SETTINGS['sync-3'].beam, targetScale: 'fit-bank', restLipGap: mouth.face.lipGap.rest });
  writeFileSync(file, JSON.stringify({ video, track: stringifyTrack(doc), plan } satisfies Prepared));
  return file;
}

/** One timed render (in this process, which should be fresh). */
async function runOnce(preparedFile: string): Promise<RunResult> {
  const { video, track, plan } = JSON.parse(readFileSync(preparedFile, 'utf8')) as Prepared;
  const doc = parseTrack(track, preparedFile);
  const info = await probeMedia(video, { role: 'video' });
  const v = info.video!;
  const fps = doc.source.fps;
  const sources = Int32Array.from({ length: doc.frames.length }, (_, i) => i);
  const decode = { width: v.width, height: v.height, nominalFps: fps, exact: true };
  const yuv420p = v.pixelFormat === 'yuv420p' ? yuvMatrix(v) : undefined;
  const frames: VideoFrame[] = [];
  for await (const f of timelineFrames(video, sources, fps, { decode: { ...decode, yuv420p } })) frames.push(f);
  const open = async function* (): AsyncGenerator<VideoFrame> {
    yield* frames;
  };
  const hash = createHash('sha256');
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = t0;
  for await (const r of renderVideo(doc, plan, open, { openRegionFrames: (region) => timelineFrames(video, sources, fps, { decode: { ...decode, region } }) })) {
    const t = performance.now();
    times.push(t - last);
    last = t;
    hash.update(r.frame.data);
  }
  const cpu = process.cpuUsage(cpu0);
  const steady = times.slice(10).sort((a, b) => a - b);
  return {
    wallMs: Math.round(last - t0),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    firstMs: Math.round(times[0] ?? NaN),
    medianMs: Math.round((steady[Math.floor(steady.length / 2)] ?? NaN) * 10) / 10,
    hash: hash.digest('hex').slice(0, 16),
  };
}

async function main(): Promise<void> {
  if (process.argv.includes('--run')) {
    process.stdout.write(JSON.stringify(await runOnce(arg('run', ''))) + '\n');
    return;
  }
  const data = findSharedData();
  if (!data) throw new Error('../shared/data not found (set RESYNC_SHARED_DATA)');
  const rel = arg('clip', 'raw/filby89__spectre/M003_level_1_disgusted_015.mp4');
  const clip = listSharedVideos(data).find((c) => c.rel === rel);
  if (!clip) throw new Error(`${rel} is not a video of ../shared/data/SOURCES.md`);
  const cacheDir = resolve('.bench-cache');
  mkdirSync(join(cacheDir, 'render-exp'), { recursive: true });
  const prepared = await prepare(clip.name, clip.path, cacheDir);
  const runs = Number(arg('runs', '5'));
  const self = fileURLToPath(import.meta.url);
  const other = process.argv.includes('--compare') ? join(resolve(arg('compare', '')), 'dist/scripts/experiment-render.js') : undefined;
  if (other && !existsSync(other)) throw new Error(`${other} does not exist (build that checkout first)`);
  const checkouts = other ? [['this', self], ['other', other]] : [['this', self]];
  const results = new Map<string, RunResult[]>();
  for (let k = 0; k < runs; k++) {
    for (const [name, script] of checkouts) {
      const r = spawnSync(process.execPath, [script, '--run', prepared], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${name} run failed: ${r.stderr.slice(-500)}`);
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as RunResult;
      log(`${name} run ${k + 1}: ${JSON.stringify(res)}`);
      results.set(name, [...(results.get(name) ?? []), res]);
    }
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [name, rs] of results) {
    const hashes = [...new Set(rs.map((r) => r.hash))];
    console.log(
      `${name}: wall ${med(rs.map((r) => r.wallMs))} ms, process CPU ${med(rs.map((r) => r.cpuMs))} ms, first frame ${med(rs.map((r) => r.firstMs))} ms, ` +
        `steady frame ${med(rs.map((r) => r.medianMs))} ms (medians of ${rs.length} runs); output ${hashes.join(' / ')}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
