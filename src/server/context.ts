/** What every route module gets: state, settings and the running parts of the server. */
import type { EventEmitter } from 'node:events';
import type { DB } from './db.js';
import type { ServerConfig } from './config.js';
import type { Logger } from './log.js';
import type { JobQueue } from './queue.js';
import type { WorkerPool } from './worker.js';
import type { RateLimiter } from './ratelimit.js';

export interface App {
  db: DB;
  cfg: ServerConfig;
  log: Logger;
  queue: JobQueue;
  pool: WorkerPool;
  limiter: RateLimiter;
  /** Emits 'change' with a generation id whenever its status changes (long polls listen). */
  events: EventEmitter;
  /** Base URL for the links the server hands out (known once the port is bound). */
  publicUrl(): string;
}
