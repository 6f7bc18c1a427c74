/**
 * The in-process worker pool: N loops that claim a job, run the engine's generate() on it and
 * record COMPLETED or FAILED. The engine stays HTTP-free; this file turns stored requests into
 * generate() options (assets and this server's own file URLs become local paths, other URLs are
 * fetched by the engine behind its SSRF guard) and engine errors into Sync error codes.
 */
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate, type GenerateOptions } from '../engine/generate/generate.js';
import { isResyncError } from '../engine/errors.js';
import { FacePoolCache } from '../engine/face/pool-cache.js';
import type { SpeakerSelection, Box } from '../engine/face/types.js';
import type { DB } from './db.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './log.js';
import type { JobQueue } from './queue.js';
import type { GenerationRow } from './store.js';
import type { CreateRequest, WireMedia, WireOptions } from './validate.js';
import { resolveMediaRef } from './files.js';
import { speakTextInputs } from './tts-input.js';

/** File name of a finished generation's quality report in its output folder. */
export const REPORT_FILE = 'report.json';

export class WorkerPool {
  private stopping = false;
  private wake: Array<() => void> = [];
  private loops: Promise<void>[] = [];
  private running = new Map<string, Promise<void>>();
  readonly progress = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;
  /** Face workers stay loaded between jobs: each job saves their start-up (~0.5–0.8 s). */
  private readonly facePools: FacePoolCache;

  constructor(
    private db: DB,
    private queue: JobQueue,
    private cfg: ServerConfig,
    private log: Logger,
    private publicUrl: () => string,
  ) {
    this.facePools = new FacePoolCache({ maxIdle: Math.max(1, cfg.workers) });
  }

  start(): void {
    for (let i = 0; i < this.cfg.workers; i++) this.loops.push(this.loop(i));
    this.heartbeat = setInterval(() => {
      try {
        this.queue.heartbeat();
        const r = this.queue.recover(false);
        if (r.requeued.length) this.kick();
      } catch (e) {
        this.log('heartbeat_failed', { error: String(e) });
      }
    }, Math.max(1000, Math.floor(this.cfg.leaseMs / 4)));
    this.heartbeat.unref();
  }

  /** New work: wake idle loops now instead of at their next poll. */
  kick(): void {
    const w = this.wake;
    this.wake = [];
    for (const f of w) f();
  }

  get busy(): number {
    return this.running.size;
  }

  /** Stops claiming; waits up to graceMs for running jobs, then re-queues whatever is left. */
  async stop(graceMs: number): Promise<{ finished: number; requeued: number }> {
    this.stopping = true;
    this.kick();
    if (this.heartbeat) clearInterval(this.heartbeat);
    const inFlight = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(inFlight), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    if (timer) clearTimeout(timer);
    const requeued = this.queue.requeueMine();
    await this.facePools.close();
    return { finished: inFlight.length - requeued, requeued };
  }

  private async loop(n: number): Promise<void> {
    while (!this.stopping) {
      let job: GenerationRow | undefined;
      try {
        job = this.queue.claim();
      } catch (e) {
        this.log('claim_failed', { worker: n, error: String(e) });
      }
      if (!job) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 1000);
          this.wake.push(() => {
            clearTimeout(t);
            r();
          });
        });
        continue;
      }
      const p = this.run(job);
      this.running.set(job.id, p);
      await p;
      this.running.delete(job.id);
    }
  }

  private async run(job: GenerationRow): Promise<void> {
    const t0 = Date.now();
    this.log('generation_started', { generationId: job.id, attempt: job.attempts, worker: this.queue.owner });
    this.progress.set(job.id, 0);
    const dir = join(this.cfg.dataDir, 'outputs', job.id);
    const partial = join(dir, `partial-${this.queue.owner}.mp4`);
    const final = join(dir, `${job.output_name}.mp4`);
    try {
      await mkdir(dir, { recursive: true });
      // a run killed mid-encode leaves its partial file behind: clear it before running again
      for (const f of await readdir(dir)) if (f.startsWith('partial-')) await rm(join(dir, f), { force: true });
      const opts = this.options(await speakTextInputs(this.db, job, dir, this.publicUrl()), partial);
      const { report } = await withTimeout(generate(opts), this.cfg.jobTimeoutMs);
      if (this.stopping && this.cfg.shutdownGraceMs <= 0) return;
      await rename(partial, final);
      // The engine's quality report (frames edited / passed through / occluded, the mouth track,
      // sync confidence) is kept beside the output and served at /v2/generations/{id}/report.
      await writeFile(join(dir, REPORT_FILE), JSON.stringify({ ...report, output: { ...report.output, path: `${job.output_name}.mp4` } }));
      const ok = this.queue.complete(job.id, { duration: report.output.duration, path: final, name: job.output_name, token: job.output_token, keyId: job.key_id });
      this.log('generation_completed', { generationId: job.id, ms: Date.now() - t0, recorded: ok, duration: report.output.duration });
    } catch (e) {
      await rm(partial, { force: true }).catch(() => {});
      const { code, message } = toErrorCode(e);
      let ok = false;
      try {
        ok = this.queue.fail(job.id, code, message);
      } catch (dbErr) {
        // the database is closed (shutdown ran out of grace): the job was re-queued already
        this.log('generation_abandoned', { generationId: job.id, error: String(dbErr) });
        return;
      }
      this.log('generation_failed', { generationId: job.id, ms: Date.now() - t0, errorCode: code, message, recorded: ok, ...(code === 'generation_pipeline_failed' ? { stack: e instanceof Error ? e.stack : undefined } : {}) });
    } finally {
      this.progress.delete(job.id);
    }
  }

  private options(job: GenerationRow, output: string): GenerateOptions {
    const req = JSON.parse(job.request) as CreateRequest;
    const where = (m: WireMedia): string => resolveMediaRef(this.db, job.key_id, m, this.publicUrl());
    const visual = req.input.find((m) => m.type === 'video' || m.type === 'image')!;
    const audios = req.input.filter((m) => m.type === 'audio');
    const o: GenerateOptions = {
      video: where(visual),
      output,
      model: req.model,
      syncMode: req.options.sync_mode,
      temperature: req.options.temperature,
      speaker: speakerSelection(req.options),
      preset: this.cfg.preset,
      h264Only: this.cfg.h264Only,
      facePools: this.facePools,
      input: {
        allowPrivate: this.cfg.allowPrivateUrls,
        allowHosts: this.cfg.allowHosts,
        maxBytes: this.cfg.maxUploadBytes,
        timeoutMs: 5 * 60_000,
      },
      onProgress: (stage, done, total) => this.progress.set(job.id, percent(stage, done, total)),
    };
    if (req.segments) {
      o.segments = req.segments;
      o.audioInputs = Object.fromEntries(audios.map((a) => [a.refId!, where(a)]));
    } else {
      o.audio = where(audios[0]);
    }
    return o;
  }
}

/**
 * A job that hangs (a stuck decoder, a stalled fetch past its own limits) must not stay
 * PROCESSING for ever: after `ms` it fails, and its late result is ignored (finish() only records
 * a job that is still PROCESSING).
 */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  if (!(ms > 0) || !Number.isFinite(ms)) return p;
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JobTimeout(ms)), ms);
  });
  p.catch(() => {}); // a rejection after the timeout is not unhandled
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

class JobTimeout extends Error {
  constructor(ms: number) {
    super(`the generation did not finish within ${Math.round(ms / 1000)} s`);
  }
}

/** Stage weights (rough shares of run time on a short clip). */
function percent(stage: string, done: number, total: number): number {
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const span: Record<string, [number, number]> = { analyze: [5, 50], mouth: [50, 55], plan: [55, 60], render: [60, 99] };
  const [a, b] = span[stage] ?? [0, 5];
  return Math.round(a + (b - a) * f);
}

/** Sync's active_speaker_detection → the engine's SpeakerSelection. */
export function speakerSelection(o: WireOptions): SpeakerSelection | undefined {
  const a = o.active_speaker_detection;
  if (!a) return undefined;
  if (a.bounding_boxes?.length) {
    const boxes: Record<number, Box> = {};
    a.bounding_boxes.forEach((b, i) => {
      // Sync sends [x1, y1, x2, y2]; the engine's Box is [x, y, width, height]
      if (b) boxes[i] = [b[0], b[1], b[2] - b[0], b[3] - b[1]];
    });
    return { mode: 'boxes', boxes };
  }
  if (a.coordinates?.length === 2) return { mode: 'point', x: a.coordinates[0], y: a.coordinates[1], frame: a.frame_number ?? 0 };
  return { mode: 'auto' };
}

export function toErrorCode(e: unknown): { code: string; message: string } {
  if (e instanceof JobTimeout) return { code: 'generation_timed_out', message: e.message };
  if (isResyncError(e) && e.detail?.startsWith('tts_')) return { code: e.detail, message: e.message };
  if (isResyncError(e)) return { code: e.code === 'invalid_argument' ? 'generation_input_validation_failed' : e.code, message: e.message };
  return { code: 'generation_pipeline_failed', message: `the generation failed: ${e instanceof Error ? e.message : String(e)}` };
}
