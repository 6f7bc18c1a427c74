/** The benchmarks `npm run bench` knows, loaded lazily so one slow import does not slow the others. */

export interface BenchResult {
  /** Markdown written into the README section of the same name. */
  table: string;
  rows: unknown[];
}

export type Bench = (opts: { dataDir: string; cacheDir: string; quick: boolean; all: boolean }) => Promise<BenchResult>;

export const BENCHES: Record<string, () => Promise<Bench>> = {
  analyze: async () => (await import('./analyze.js')).benchAnalyze,
  mouth: async () => (await import('./mouth.js')).benchMouth,
  generate: async () => (await import('./generate.js')).benchGenerate,
  memory: async () => (await import('./memory.js')).benchMemory,
  'server-load': async () => (await import('./server-load.js')).benchServerLoad,
};
