/**
 * Server settings. Everything has an embedded default so `npm start` needs nothing else; the CLI
 * (serve.ts) and the environment (RESYNC_*) override them.
 */
import { join, resolve } from 'node:path';
import { DEFAULT_PRESET } from '../engine/media/encode-args.js';

export interface ServerConfig {
  /** 0 picks a free port (tests). */
  port: number;
  host: string;
  /** SQLite file, media files and outputs live here. */
  dataDir: string;
  /** Base of the URLs the server hands out (outputUrl, upload URLs). Default http://<host>:<port>. */
  publicUrl?: string;
  /** Generations run at once in this process. 0 = accept jobs but never run them (load checks). */
  workers: number;
  /** POST /v2/generate per key per minute. */
  rateLimitPerMinute: number;
  /** Other requests per key per minute. */
  readRateLimitPerMinute: number;
  /** PENDING + PROCESSING generations per key (batch generations are not counted, as at Sync). */
  concurrencyLimit: number;
  /** URL inputs and webhooks: allow loopback/private/link-local addresses (tests, trusted networks). */
  allowPrivateUrls: boolean;
  /** Host names or IP literals allowed even when they are special addresses. */
  allowHosts: string[];
  /** Largest multipart file / PUT upload / fetched input, bytes. */
  maxUploadBytes: number;
  /** Largest JSON body, bytes. */
  maxJsonBytes: number;
  /** How long a worker's claim on a job lasts without a heartbeat. */
  leaseMs: number;
  /** A generation still running after this long fails with generation_timed_out. */
  jobTimeoutMs: number;
  /** A job that crashed the process this many times fails instead of running again. */
  maxAttempts: number;
  /** Webhook delivery attempts before giving up; delay doubles from webhookBaseDelayMs. */
  webhookMaxAttempts: number;
  webhookBaseDelayMs: number;
  webhookTimeoutMs: number;
  /** Graceful shutdown: how long running jobs may finish before they are re-queued. */
  shutdownGraceMs: number;
  /** x264 preset for outputs (default DEFAULT_PRESET; Sync itself encodes with slow, set it to match; ultrafast keeps tests quick). */
  preset: 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium' | 'slow' | 'slower' | 'veryslow';
  /** RESYNC_H264_ONLY=1: every output 8-bit 4:2:0 H.264, deeper input converted (default: kept in HEVC). */
  h264Only: boolean;
  /** Smallest number of lines a batch accepts (Sync: 20) and the largest (Sync: 500). */
  batchMinLines: number;
  batchMaxLines: number;
  /** Log lines go here (JSON per line); null silences them. */
  log: ((line: string) => void) | null;
}

function envNum(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function defaultDataDir(): string {
  return resolve(process.env.RESYNC_DATA_DIR ?? join(process.cwd(), 'resync-data'));
}

export function makeConfig(over: Partial<ServerConfig> = {}): ServerConfig {
  return {
    port: envNum('PORT') ?? envNum('RESYNC_PORT') ?? 8080,
    host: process.env.RESYNC_HOST ?? '0.0.0.0',
    dataDir: defaultDataDir(),
    publicUrl: process.env.RESYNC_PUBLIC_URL || undefined,
    workers: envNum('RESYNC_WORKERS') ?? 1,
    rateLimitPerMinute: envNum('RESYNC_RATE_LIMIT') ?? 100,
    readRateLimitPerMinute: envNum('RESYNC_READ_RATE_LIMIT') ?? 600,
    concurrencyLimit: envNum('RESYNC_CONCURRENCY_LIMIT') ?? 15,
    allowPrivateUrls: process.env.RESYNC_ALLOW_PRIVATE_URLS === '1',
    allowHosts: (process.env.RESYNC_ALLOW_HOSTS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    maxUploadBytes: envNum('RESYNC_MAX_UPLOAD_BYTES') ?? 2 * 1024 ** 3,
    maxJsonBytes: 1024 * 1024,
    leaseMs: 60_000,
    maxAttempts: 3,
    jobTimeoutMs: (envNum('RESYNC_JOB_TIMEOUT_S') ?? 3600) * 1000,
    webhookMaxAttempts: 8,
    webhookBaseDelayMs: 1000,
    webhookTimeoutMs: 10_000,
    shutdownGraceMs: 30_000,
    preset: DEFAULT_PRESET,
    h264Only: process.env.RESYNC_H264_ONLY === '1',
    batchMinLines: 1,
    batchMaxLines: 500,
    log: (line) => process.stdout.write(line + '\n'),
    ...over,
  };
}
