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
  seconds: number;
  frames: number;
  duration: number;
}

async function main(): Promise<void> {
  const [video, audio, output] = process.argv.slice(2);
  let heap = 0;
  let buffers = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    buffers = Math.max(buffers, m.arrayBuffers);
  };
  const timer = setInterval(sample, 50);
  const t = performance.now();
  const { report } = await generate({ video, audio, output, syncMode: 'cut_off' });
  const seconds = (performance.now() - t) / 1000;
  clearInterval(timer);
  sample();
  const mb = (b: number): number => Math.round(b / 1e5) / 10;
  const out: MemorySample = {
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
    peakHeapMB: mb(heap),
    peakArrayBuffersMB: mb(buffers),
    seconds,
    frames: report.frames.total,
    duration: report.output.duration,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

await main();
