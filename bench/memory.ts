/**
 * `npm run bench memory`: is generation's memory flat in clip length? The same 1080p25 clip
 * (M003, 4.7 s) is looped to 1×, 8×, 32× and 128× its length (4.7 s to 10 min; the loop points are shot
 * cuts) and driven by another speaker's speech looped to the same length. A whole-shot case: one
 * 4-minute shot without a cut (a 60 s clip played forward, backward, forward, backward), the
 * worst case for what the face stage and the planner hold per shot. Each generation runs in
 * a fresh process (bench/memory-child.ts, the call the CLI makes) so its peak resident memory is
 * its own. ffmpeg's decoders and encoder are separate processes, streaming: their memory is a
 * column of its own (sampled from /proc), since it grows with the frame size and not the length.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { listSharedVideos } from './shared-data.js';
import { ff, uhdCopy } from './baseline.js';
import type { BenchResult } from './registry.js';
import type { MemorySample } from './memory-child.js';

const VIDEO = 'filby89__spectre/M003_level_1_disgusted_015';
const AUDIO = 'filby89__spectre/W040_level_3_happy_029';
/** The longest single shot in the shared data (60 s, 256×256), for the whole-shot case. */
const LONG_SHOT = 'tanshuai0219__EDTalk/pose_source2';
const LOOPS = [1, 8, 32, 128];
const CHILD = fileURLToPath(new URL('./memory-child.js', import.meta.url));

/** The environment setting of the fixed-threshold row (glibc reads it when the process starts). */
export const MMAP_ENV = 'MALLOC_MMAP_THRESHOLD_=131072';
/** The looped clip (2.5 minutes) the allocator row repeats. */
const MMAP_LOOPS = 32;

export interface MemoryRow extends MemorySample {
  clip: string;
  /** M003 looped this many times; 0 for the single long shot */
  loops: number;
  /** Set on the row run with the allocator setting MMAP_ENV (kept out of the growth per minute). */
  mmapFixed?: boolean;
}

function runChild(video: string, audio: string, out: string, env: NodeJS.ProcessEnv = process.env): Promise<MemorySample> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CHILD, video, audio, out], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) return reject(new Error(`memory child exited with ${code}`));
      resolve(JSON.parse(text.trim().split('\n').pop()!) as MemorySample);
    });
  });
}

export async function benchMemory(opts: { dataDir: string; cacheDir: string; quick: boolean }): Promise<BenchResult> {
  const clips = new Map(listSharedVideos(opts.dataDir).map((c) => [c.name, c]));
  const video = clips.get(VIDEO);
  const audio = clips.get(AUDIO);
  const shot = clips.get(LONG_SHOT);
  if (!video || !audio || !shot) throw new Error(`bench memory needs ${VIDEO}, ${AUDIO} and ${LONG_SHOT} in the shared data`);
  const dir = join(opts.cacheDir, 'memory');
  mkdirSync(dir, { recursive: true });
  const rows: MemoryRow[] = [];
  const loopedFiles = (loops: number): { v: string; a: string } => ({ v: join(dir, `video-x${loops}.mp4`), a: join(dir, `audio-x${loops}.wav`) });
  for (const loops of opts.quick ? LOOPS.slice(0, 2) : LOOPS) {
    const { v, a } = loopedFiles(loops);
    // stream copy: the looped clip is the original's own frames, bit for bit
    if (!existsSync(v)) await ff(['-stream_loop', String(loops - 1), '-i', video.path, '-an', '-c', 'copy', v]);
    if (!existsSync(a)) await ff(['-stream_loop', '-1', '-i', audio.path, '-vn', '-ac', '1', '-ar', '16000', '-t', String(video.duration * loops), a]);
    console.error(`[bench memory] ${loops}× (${(video.duration * loops).toFixed(1)} s)`);
    rows.push({ clip: `M003 1080p25 × ${loops}`, loops, ...(await runChild(v, a, join(dir, `out-x${loops}.mp4`))) });
  }
  if (!opts.quick) {
    // The 2.5-minute clip again with glibc's malloc told to keep its mmap threshold at the default
    // 128 KB. Left alone, glibc raises the threshold to the size of each large block freed (up to
    // 32 MB); after the first multi-megabyte buffer is released, blocks of frame size come from the
    // heap arenas of whichever thread asked, and the freed space there is seldom given back. The
    // row shows how much of the resident memory is that, not data the process holds.
    const loops = MMAP_LOOPS;
    const { v, a } = loopedFiles(loops);
    const [name, value] = MMAP_ENV.split('=');
    console.error(`[bench memory] ${loops}× with ${MMAP_ENV}`);
    rows.push({ clip: `M003 1080p25 × ${loops}, ${MMAP_ENV}`, loops, mmapFixed: true, ...(await runChild(v, a, join(dir, `out-x${loops}-mmap.mp4`), { ...process.env, [name]: value })) });
  }
  if (!opts.quick) {
    // 4K: the same clip once, upscaled (a copy shared with bench generate). The encoder's memory
    // grows with the frame size and is not ours, so it has its own column.
    const v = await uhdCopy(opts.cacheDir, video.path, 'M003');
    const a = join(dir, 'audio-x1.wav');
    console.error(`[bench memory] 4K (${video.duration.toFixed(1)} s)`);
    rows.push({ clip: 'M003 scaled to 3840×2160 (derived) × 1', loops: 0, ...(await runChild(v, a, join(dir, 'out-2160p.mp4'))) });
  }
  if (!opts.quick) {
    // One shot of 4 minutes: the 60 s clip forward, backward, forward, backward (no cut anywhere,
    // so analysis smooths and the plan searches one 6000-frame shot).
    const v = join(dir, 'single-shot-4x.mp4');
    const a = join(dir, 'audio-single-shot.wav');
    const graph = '[0:v]split[a][b];[b]reverse[r];[a][r]concat=n=2:v=1[f];[f]split[x][y];[x][y]concat=n=2:v=1[out]';
    if (!existsSync(v)) await ff(['-i', shot.path, '-filter_complex', graph, '-map', '[out]', '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '16', v]);
    if (!existsSync(a)) await ff(['-stream_loop', '-1', '-i', audio.path, '-vn', '-ac', '1', '-ar', '16000', '-t', String(4 * shot.duration), a]);
    console.error(`[bench memory] single shot (${(4 * shot.duration).toFixed(1)} s)`);
    rows.push({ clip: 'pose_source2 256×256, one 4-minute shot', loops: 0, ...(await runChild(v, a, join(dir, 'out-single-shot.mp4'))) });
  }
  return { table: memoryTable(rows), rows };
}

export function memoryTable(rows: MemoryRow[]): string {
  const head = '| clip | duration s | frames | peak resident MB | while analysing | while rendering | peak JS heap MB | peak ArrayBuffers MB | crops held MB (spilled) | mesh file MB | ffmpeg processes MB | seconds | × real time |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map((r) => `| ${r.clip} | ${r.duration.toFixed(1)} | ${r.frames} | ${r.maxRssMB} | ${r.peakRssAnalyzeMB} | ${r.peakRssRenderMB} | ${r.peakHeapMB} | ${r.peakArrayBuffersMB} | ${r.cropPeakMB} (${r.cropSpillMB}) | ${r.meshFileMB} | ${Number.isFinite(r.ffmpegPeakMB) ? r.ffmpegPeakMB : 'n/a'} | ${r.seconds.toFixed(1)} | ${(r.duration / r.seconds).toFixed(2)} |`);
  const looped = rows.filter((r) => r.loops > 0 && !r.mmapFixed);
  const first = looped[0];
  const last = looped[looped.length - 1];
  const slope = (a: MemoryRow, b: MemoryRow, k: keyof MemorySample): string => (((b[k] as number) - (a[k] as number)) / ((b.duration - a.duration) / 60)).toFixed(1);
  const perMinute = (k: keyof MemorySample): string => slope(first, last, k);
  // The crop buffer fills to its budget once a clip is long enough: between the two longest loops
  // (both full) what is left is what grows per frame.
  const prev = looped[looped.length - 2];
  const tail =
    looped.length > 2
      ? ` Between the two longest (${prev.duration.toFixed(1)} s and ${last.duration.toFixed(1)} s; crops held ${prev.cropPeakMB} and ${last.cropPeakMB} MB, against ${first.cropPeakMB} MB for the shortest) it grows by ${slope(prev, last, 'maxRssMB')} MB per minute (${slope(prev, last, 'peakRssAnalyzeMB')} MB while analysing, ${slope(prev, last, 'peakRssRenderMB')} MB while rendering).`
      : '';
  const summary =
    looped.length > 1
      ? `M003 looped: from ${first.duration.toFixed(1)} s to ${last.duration.toFixed(1)} s of video, peak resident memory grows by ${perMinute('maxRssMB')} MB per minute of 1080p25: ${perMinute('peakRssAnalyzeMB')} MB while analysing, ${perMinute('peakRssRenderMB')} MB while rendering (JS heap ${perMinute('peakHeapMB')} MB, ArrayBuffers ${perMinute('peakArrayBuffersMB')} MB per minute).${tail}`
      : '';
  const fixed = rows.find((r) => r.mmapFixed);
  const same = fixed && looped.find((r) => r.loops === fixed.loops);
  const mmap =
    fixed && same
      ? `\n\nWith glibc's mmap threshold fixed at 128 KB (\`${MMAP_ENV}\` in the environment; glibc otherwise raises it to the largest block freed, so frame-sized buffers come back from heap arenas that seldom shrink), the ${same.duration.toFixed(1)} s clip peaks at ${fixed.maxRssMB} MB instead of ${same.maxRssMB} (${fixed.peakRssAnalyzeMB} against ${same.peakRssAnalyzeMB} while analysing, ${fixed.peakRssRenderMB} against ${same.peakRssRenderMB} while rendering) in ${fixed.seconds.toFixed(1)} s instead of ${same.seconds.toFixed(1)} s: that much of the resident memory is allocator slack, not data.`
      : '';
  return `${head}\n${lines.join('\n')}\n\n${summary}${mmap}\n\nEach generation runs in a fresh process (bench/memory-child.ts, the call \`resync generate\` makes). Peak resident memory is the kernel's high-water mark for that process: main thread, the two face workers and their WASM model heaps, frame buffers. The source-mouth crops waiting to be used are kept in memory up to 64 MB (*crops held*: the most at once); the pass that cuts them waits for room, and writes a crop to a temporary file only when the render needs one further on (src/engine/synthesis/stream.ts; *spilled*: MB written to it). The face meshes and mouth-appearance patches wait in a temporary file (*mesh file*, src/engine/face/mesh-store.ts), not in memory; the speech streams into the mouth model from its file. JS heap and ArrayBuffers are the highest values sampled every 50 ms. The loop points of the looped M003 clips are shot cuts, so the longer ones also have more shots; the 4-minute shot has no cut. ffmpeg's decoders and encoder run in their own processes and stream; *ffmpeg processes* is the most resident memory they held together at one sample (Linux /proc), which x264's frame threads and lookahead make grow with the frame size.`;
}
