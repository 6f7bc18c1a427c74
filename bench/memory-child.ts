/**
 * One generation in a fresh process, for bench/memory.ts: the same call the CLI makes, with the
 * process's memory sampled every 50 ms. Prints one JSON line on stdout.
 *
 *   node dist/bench/memory-child.js <video> <audio> <out.mp4>
 */
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
  seconds: number;
  frames: number;
  duration: number;
}

async function main(): Promise<void> {
  const [video, audio, output] = process.argv.slice(2);
  let heap = 0;
  let buffers = 0;
  let stage = '';
  const rssBy: Record<string, number> = {};
  const sample = (): void => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    buffers = Math.max(buffers, m.arrayBuffers);
    rssBy[stage] = Math.max(rssBy[stage] ?? 0, m.rss);
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
    seconds,
    frames: report.frames.total,
    duration: report.output.duration,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
