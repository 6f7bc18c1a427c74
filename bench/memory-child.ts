/**
 * One generation in a fresh process, for bench/memory.ts: the same call the CLI makes, with the
 * process's memory sampled every 50 ms. Prints one JSON line on stdout.
 *
 *   node dist/bench/memory-child.js <video> <audio> <out.mp4>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { generate } from '../src/engine/generate/generate.js';

export interface MemorySample {
  /** the process's peak resident set (main thread, face workers' WASM heaps, buffers), from the kernel */
  maxRssMB: number;
  /** highest sampled V8 heap in use (JS objects: the track document's per-frame records, plans, reports) */
  peakHeapMB: number;
  /** highest sampled memory in ArrayBuffers (frames, crops, meshes) */
  peakArrayBuffersMB: number;
  /** highest sampled resident memory while the face stage ran, and while rendering */
  peakRssAnalyzeMB: number;
  peakRssRenderMB: number;
  /** the most source-mouth crops held in memory at once, and what went to their temporary file (the report's storage) */
  cropPeakMB: number;
  cropSpillMB: number;
  /** the face meshes' temporary file */
  meshFileMB: number;
  /**
   * The most resident memory the ffmpeg processes this generation started (decoders, encoder)
   * held together at one sample; NaN where /proc cannot be read. x264 at 4K alone holds ~1 GB.
   */
  ffmpegPeakMB: number;
  seconds: number;
  frames: number;
  duration: number;
}

/** Resident bytes of this process's children right now (Linux /proc; NaN elsewhere). */
function childrenRss(): number {
  let total = 0;
  try {
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        // fields after the command name (which may hold spaces): state, ppid, ...
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid !== process.pid) continue;
        const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
        if (kb) total += Number(kb[1]) * 1024;
      } catch {
        /* the process ended between listing and reading */
      }
    }
  } catch {
    return NaN;
  }
  return total;
}

async function main(): Promise<void> {
  const [video, audio, output] = process.argv.slice(2);
  let heap = 0;
  let buffers = 0;
  let children = 0;
  let stage = '';
  const rssBy: Record<string, number> = {};
  const sample = (): void => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    buffers = Math.max(buffers, m.arrayBuffers);
    rssBy[stage] = Math.max(rssBy[stage] ?? 0, m.rss);
    children = Math.max(children, childrenRss());
  };
  const timer = setInterval(sample, 50);
  const t = performance.now();
  const onProgress = (s: string): void => {
    if (s !== stage) sample();
    stage = s;
  };
  const { report } = await generate({ video, audio, output, syncMode: 'cut_off', onProgress });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  sample();
  const mb = (b: number): number => Math.round(b / 1e5) / 10;
  const out: MemorySample = {
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
    peakHeapMB: mb(heap),
    peakArrayBuffersMB: mb(buffers),
    peakRssAnalyzeMB: mb(rssBy.analyze ?? 0),
    peakRssRenderMB: mb(rssBy.render ?? 0),
    cropPeakMB: report.storage.cropPeakMB,
    cropSpillMB: report.storage.cropSpillMB,
    meshFileMB: report.storage.meshFileMB,
    ffmpegPeakMB: mb(children),
    seconds,
    frames: report.frames.total,
    duration: report.output.duration,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
