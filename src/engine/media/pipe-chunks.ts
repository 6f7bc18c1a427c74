/**
 * Reads a child process's stdout as fixed-size chunks (one video frame, one block of samples),
 * with a stall timer that kills a child that stops producing: the shared core of the streaming
 * decoders. Memory stays at a few chunks whatever the stream's length.
 */
import { spawn } from 'node:child_process';
import type { BufferPool } from './buffer-pool.js';

export interface PipeOutcome {
  code: number | null;
  /** True when the child was killed for producing nothing for stallTimeoutMs. */
  stalled: boolean;
  /** The first 64 KB of stderr, for error messages. */
  stderr: string;
}

export interface ChunkOptions {
  stallTimeoutMs?: number;
  /** Also yield a final partial chunk, cut down to a multiple of this many bytes (0: drop it). */
  tailMultiple?: number;
  /** Bytes to buffer ahead of the consumer (see readFixedChunks). */
  readAheadBytes?: number;
  /** Where full-size chunks come from (buffers the consumer gives back are reused). */
  pool?: BufferPool;
}

/**
 * Yields chunks of exactly `chunkBytes` (each owning its buffer), then the tail if asked; returns
 * how the child ended. Stopping early (return/throw in the consumer) kills the child.
 *
 * The child is read ahead of the consumer up to `readAheadBytes` (default: 4 chunks, at least
 * 1 MB, at most 256 MB): a plain async iteration of stdout stops reading after one 16 KB buffer,
 * which throttles ffmpeg to the consumer and leaves a core idle while frames are being worked on.
 */
export async function* readFixedChunks(cmd: string, args: string[], chunkBytes: number, opts: ChunkOptions = {}): AsyncGenerator<Uint8Array, PipeOutcome> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stall = opts.stallTimeoutMs ?? 60_000;
  const readAhead = opts.readAheadBytes ?? Math.min(256 << 20, Math.max(1 << 20, 4 * chunkBytes));
  let stalled = false;
  const onStall = (): void => {
    stalled = true;
    child.kill('SIGKILL');
  };
  let timer = setTimeout(onStall, stall);
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(onStall, stall);
  };
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let ended = false;
  // Set when the generator is over. A 'data' event can still come after out.destroy(): a resume()
  // that take() asked for runs on the next tick and flushes what the stream had buffered. Taken in,
  // it re-armed the stall timer, which then held the process open for a minute after the job (a
  // CLI run that ended right after its last frame waited 60 s to exit, now and then, on a busy machine).
  let over = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const out = child.stdout;
  // The stall timer runs only while we are reading: a consumer that holds back (read-ahead full)
  // leaves ffmpeg blocked on the pipe, which is not ffmpeg stalling.
  out.on('data', (chunk: Buffer) => {
    if (over) return;
    clearTimeout(timer);
    pending.push(chunk);
    pendingLen += chunk.length;
    if (pendingLen >= readAhead) out.pause();
    else arm();
    notify();
  });
  out.on('end', () => {
    ended = true;
    notify();
  });
  out.on('error', (e: Error) => {
    failure = e;
    notify();
  });
  // Copies exactly n bytes off the front of the queue (never the whole read-ahead).
  const take = (n: number): Uint8Array => {
    const chunk = opts.pool && opts.pool.bytes === n ? opts.pool.take() : new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const head = pending[0];
      const k = Math.min(head.length, n - filled);
      chunk.set(head.subarray(0, k), filled);
      filled += k;
      if (k === head.length) pending.shift();
      else pending[0] = head.subarray(k);
    }
    pendingLen -= n;
    if (pendingLen < readAhead && out.isPaused()) {
      arm();
      out.resume();
    }
    return chunk;
  };
  let finished = false;
  try {
    for (;;) {
      while (pendingLen >= chunkBytes) yield take(chunkBytes);
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    const m = opts.tailMultiple ?? 0;
    const tail = m > 0 ? pendingLen - (pendingLen % m) : 0;
    if (tail > 0) yield take(tail);
    finished = true;
  } finally {
    over = true;
    clearTimeout(timer);
    pending = [];
    if (!finished) {
      child.kill('SIGKILL');
      out.destroy();
    }
  }
  return { code: await exited, stalled, stderr };
}
