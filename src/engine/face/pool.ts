/**
 * A small pool of face workers (default 2: one per core; WASM has no threads under Node). Each
 * worker owns its own Human instance. The worker script is the compiled worker.js next to this
 * file, resolved from import.meta.url so it works from dist/ wherever the package is installed.
 */
import { Worker } from 'node:worker_threads';
import type { MeshModel } from './human-loader.js';
import type { FrameJob, FrameResult } from './worker.js';

interface Pending {
  resolve: (r: FrameResult) => void;
  reject: (e: Error) => void;
}

class FaceWorker {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly pending = new Map<number, Pending>();
  inFlight = 0;
  /** Set once the thread has failed or exited: its pool must not be reused. */
  dead = false;
  constructor(mesh: MeshModel) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { mesh } });
    this.ready = new Promise((resolve, reject) => {
      const onMsg = (m: { type: string; message?: string }) => {
        if (m.type === 'ready') {
          this.worker.off('message', onMsg);
          resolve();
        } else if (m.type === 'error') reject(new Error(m.message));
      };
      this.worker.on('message', onMsg);
      this.worker.once('error', reject);
    });
    this.worker.on('message', (m: FrameResult | { type: 'error'; id: number; message: string }) => {
      if (m.type === 'result' || (m.type === 'error' && m.id >= 0)) {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        this.inFlight--;
        if (m.type === 'result') p.resolve(m);
        else p.reject(new Error(`face worker failed: ${m.message}`));
      }
    });
    this.worker.on('error', (e) => {
      this.dead = true;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    this.worker.on('exit', () => {
      this.dead = true;
    });
  }
}

export class FacePool {
  private readonly workers: FaceWorker[];
  private nextId = 0;
  constructor(mesh: MeshModel, size = 2) {
    this.workers = Array.from({ length: Math.max(1, size) }, () => new FaceWorker(mesh));
  }

  get size(): number {
    return this.workers.length;
  }

  /** True while every worker is alive and none has a job in flight (safe to hand to another analysis). */
  get healthy(): boolean {
    return this.workers.every((w) => !w.dead && w.inFlight === 0);
  }

  /** Keep the process alive while the workers are in use (the default). */
  ref(): void {
    for (const w of this.workers) w.worker.ref();
  }

  /** Let the process exit while the workers wait idle (a warm pool, see pool-cache.ts). */
  unref(): void {
    for (const w of this.workers) w.worker.unref();
  }

  async ready(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.ready));
  }

  /** Run one frame on the least busy worker. The frame buffer is transferred (unusable afterwards). */
  run(job: Omit<FrameJob, 'type' | 'id'>): Promise<FrameResult> {
    const w = this.workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    w.inFlight++;
    return new Promise<FrameResult>((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      const msg: FrameJob = { type: 'frame', id, ...job };
      w.worker.postMessage(msg, [msg.data.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
