/**
 * Face worker pools kept warm between analyses, for long-running processes (the server's job
 * worker). Starting a pool costs every job ~0.5–0.8 s: two worker threads start, load TensorFlow's
 * WASM backend and the face models. A warm pool skips that.
 *
 * A pool serves one analysis at a time (its queues and frame ids belong to that analysis), so an
 * analysis that finds no idle pool starts its own. When it finishes cleanly, its pool waits here
 * for the next one: at most `maxIdle` per mesh model, each closed after `idleMs` unused. A pool
 * whose analysis failed is closed, never reused, since a job may still be running in it. Idle
 * workers are unreferenced, so they never keep the process alive.
 */
import { FacePool } from './pool.js';
import type { MeshModel } from './human-loader.js';

export interface FacePoolLease {
  pool: FacePool;
  /** Returns the pool: kept warm if `reusable` (the analysis ended cleanly), closed otherwise. */
  release(reusable: boolean): Promise<void>;
}

interface Idle {
  pool: FacePool;
  timer: NodeJS.Timeout;
}

export class FacePoolCache {
  private readonly idle = new Map<string, Idle[]>();
  private closed = false;

  constructor(private readonly opts: { idleMs?: number; maxIdle?: number } = {}) {}

  /** Warm pools waiting, over all mesh models (tests, diagnostics). */
  get idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  acquire(mesh: MeshModel, size: number): FacePoolLease {
    const key = `${mesh}/${size}`;
    const list = this.idle.get(key) ?? [];
    let pool: FacePool | undefined;
    while (!pool && list.length) {
      const w = list.pop()!;
      clearTimeout(w.timer);
      if (w.pool.healthy) pool = w.pool;
      else void w.pool.close();
    }
    pool ??= new FacePool(mesh, size);
    pool.ref();
    const taken = pool;
    let released = false;
    return {
      pool: taken,
      release: async (reusable) => {
        if (released) return;
        released = true;
        const waiting = this.idle.get(key) ?? [];
        if (!reusable || this.closed || !taken.healthy || waiting.length >= (this.opts.maxIdle ?? 1)) return taken.close();
        taken.unref();
        const timer = setTimeout(() => {
          const l = this.idle.get(key);
          const i = l ? l.findIndex((w) => w.pool === taken) : -1;
          if (l && i >= 0) l.splice(i, 1);
          void taken.close();
        }, this.opts.idleMs ?? 120_000);
        timer.unref();
        waiting.push({ pool: taken, timer });
        this.idle.set(key, waiting);
      },
    };
  }

  /** Closes every idle pool; pools still leased close when they are released. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.values()].flat();
    this.idle.clear();
    for (const w of all) clearTimeout(w.timer);
    await Promise.all(all.map((w) => w.pool.close()));
  }
}

/**
 * A pool for one analysis: a warm one from `pools` when given, otherwise fresh workers that are
 * closed on release. Acquiring starts the workers loading their models at once, so a caller can
 * acquire early and do other work (checking inputs, decoding sound) while they load.
 */
export function acquireFacePool(mesh: MeshModel, size: number, pools?: FacePoolCache): FacePoolLease {
  if (pools) return pools.acquire(mesh, size);
  const pool = new FacePool(mesh, size);
  return { pool, release: () => pool.close() };
}
