/**
 * The job queue, BullMQ-style but on the generations table itself: a worker claims the oldest
 * PENDING job by setting status PROCESSING with a lease (owner + expiry) in one transaction, keeps
 * the lease alive with heartbeats, and finishes it only while it still holds the lease. The
 * webhook for a finished job is written to the outbox in the same transaction as the status, so
 * a crash can neither lose it nor queue it twice (UNIQUE(generation_id, event)).
 *
 * Recovery: on start and then periodically, a PROCESSING job whose holder is gone (a dead process
 * on this host, or an expired lease) is re-queued. A job that has already been claimed
 * maxAttempts times fails instead of looping on a crash it causes.
 */
import { hostname } from 'node:os';
import type { DB } from './db.js';
import { toNotification, type GenerationRow } from './store.js';

export class JobQueue {
  constructor(
    private db: DB,
    readonly owner: string,
    private opts: { leaseMs: number; maxAttempts: number; publicUrl: () => string; onChange: (id: string) => void },
  ) {}

  claim(): GenerationRow | undefined {
    const tx = this.db.transaction((): GenerationRow | undefined => {
      const row = this.db.prepare("SELECT * FROM generations WHERE status = 'PENDING' ORDER BY seq LIMIT 1").get() as GenerationRow | undefined;
      if (!row) return undefined;
      this.db.prepare("UPDATE generations SET status = 'PROCESSING', lease_owner = ?, lease_until = ?, attempts = attempts + 1, started_at = ? WHERE id = ?")
        .run(this.owner, Date.now() + this.opts.leaseMs, new Date().toISOString(), row.id);
      return this.db.prepare('SELECT * FROM generations WHERE id = ?').get(row.id) as GenerationRow;
    });
    const row = tx.immediate();
    if (row) this.opts.onChange(row.id);
    return row;
  }

  heartbeat(): void {
    this.db.prepare("UPDATE generations SET lease_until = ? WHERE status = 'PROCESSING' AND lease_owner = ?").run(Date.now() + this.opts.leaseMs, this.owner);
  }

  complete(id: string, result: { duration: number | null; path: string; name: string; token: string; keyId: string }): boolean {
    return this.finish(id, { status: 'COMPLETED', duration: result.duration }, () => {
      this.db.prepare("INSERT OR REPLACE INTO files (token, key_id, name, path, content_type, size, uploaded, created_at) VALUES (?, ?, ?, ?, 'video/mp4', NULL, 1, ?)")
        .run(result.token, result.keyId, result.name + '.mp4', result.path, new Date().toISOString());
    });
  }

  fail(id: string, code: string, message: string): boolean {
    return this.finish(id, { status: 'FAILED', code, message });
  }

  private finish(id: string, r: { status: 'COMPLETED' | 'FAILED'; duration?: number | null; code?: string; message?: string }, also?: () => void, anyOwner = false): boolean {
    const tx = this.db.transaction((): boolean => {
      const res = this.db.prepare(`UPDATE generations SET status = ?, output_duration = ?, error = ?, error_code = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL
        WHERE id = ? AND status = 'PROCESSING' ${anyOwner ? '' : 'AND lease_owner = ?'}`)
        .run(r.status, r.duration ?? null, r.message ?? null, r.code ?? null, new Date().toISOString(), id, ...(anyOwner ? [] : [this.owner]));
      if (res.changes === 0) return false; // lost the lease: someone else owns the job now
      also?.();
      const g = this.db.prepare('SELECT * FROM generations WHERE id = ?').get(id) as GenerationRow;
      if (g.webhook_url) {
        this.db.prepare('INSERT OR IGNORE INTO webhook_deliveries (generation_id, event, url, key_id, payload, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(g.id, g.status, g.webhook_url, g.key_id, JSON.stringify(toNotification(g, this.opts.publicUrl())), Date.now());
      }
      return true;
    });
    const ok = tx.immediate();
    if (ok) this.opts.onChange(id);
    return ok;
  }

  /** Puts this process's unfinished jobs back (graceful shutdown that ran out of time). */
  requeueMine(): number {
    return this.db.prepare("UPDATE generations SET status = 'PENDING', lease_owner = NULL, lease_until = NULL, attempts = MAX(attempts - 1, 0) WHERE status = 'PROCESSING' AND lease_owner = ?").run(this.owner).changes;
  }

  /**
   * Start-up and periodic recovery; returns the ids re-queued and failed. A PROCESSING job goes
   * back to PENDING when its holder is gone: its lease expired, or the holder was a process on
   * this host that no longer exists (a kill -9 is noticed at once, not after the lease). Jobs held
   * by live processes are left alone, so several servers may share one data directory.
   */
  recover(_atStart = false): { requeued: string[]; failed: string[] } {
    const now = Date.now();
    const candidates = this.db.prepare("SELECT * FROM generations WHERE status = 'PROCESSING' AND (lease_owner IS NULL OR lease_owner != ?)").all(this.owner) as GenerationRow[];
    const stale = candidates.filter((g) => g.lease_owner === null || (g.lease_until ?? 0) < now || holderGone(g.lease_owner, this.owner));
    const requeued: string[] = [];
    const failed: string[] = [];
    for (const g of stale) {
      if (g.attempts >= this.opts.maxAttempts) {
        if (this.finish(g.id, { status: 'FAILED', code: 'generation_pipeline_failed', message: `the job stopped the server ${g.attempts} times and was given up` }, undefined, true)) failed.push(g.id);
      } else {
        const r = this.db.prepare("UPDATE generations SET status = 'PENDING', lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'PROCESSING' AND lease_owner IS ?").run(g.id, g.lease_owner);
        if (r.changes) {
          requeued.push(g.id);
          this.opts.onChange(g.id);
        }
      }
    }
    return { requeued, failed };
  }

  counts(): Record<string, number> {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM generations GROUP BY status').all() as Array<{ status: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}

/** Owners are "host:pid:random". True when that process is certainly not running any more. */
export function holderGone(owner: string, me: string): boolean {
  const [host, pidStr] = owner.split(':');
  const pid = Number(pidStr);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false; // another host: wait for the lease
  if (pid === process.pid) return owner !== me; // an earlier process that had our pid
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
