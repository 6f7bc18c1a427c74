/**
 * Reads a child process's stdout as fixed-size chunks (one video frame, one block of samples),
 * with a stall timer that kills a child that stops producing: the shared core of the streaming
 * decoders. Memory stays at about one chunk whatever the stream's length.
 */
import { spawn } from 'node:child_process';

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
}

/**
 * Yields chunks of exactly `chunkBytes` (each owning its buffer), then the tail if asked; returns
 * how the child ended. Stopping early (return/throw in the consumer) kills the child.
 */
export async function* readFixedChunks(cmd: string, args: string[], chunkBytes: number, opts: ChunkOptions = {}): AsyncGenerator<Uint8Array, PipeOutcome> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stall = opts.stallTimeoutMs ?? 60_000;
  let stalled = false;
  const onStall = (): void => {
    stalled = true;
    child.kill('SIGKILL');
  };
  let timer = setTimeout(onStall, stall);
  let pending: Buffer[] = [];
  let pendingLen = 0;
  const take = (n: number): Uint8Array => {
    const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingLen);
    const out = new Uint8Array(n);
    out.set(all.subarray(0, n));
    const rest = all.subarray(n);
    pending = rest.length ? [rest] : [];
    pendingLen = rest.length;
    return out;
  };
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      clearTimeout(timer);
      timer = setTimeout(onStall, stall);
      pending.push(chunk);
      pendingLen += chunk.length;
      while (pendingLen >= chunkBytes) yield take(chunkBytes);
    }
    const m = opts.tailMultiple ?? 0;
    const tail = m > 0 ? pendingLen - (pendingLen % m) : 0;
    if (tail > 0) yield take(tail);
    finished = true;
  } finally {
    clearTimeout(timer);
    if (!finished) child.kill('SIGKILL');
  }
  return { code: await exited, stalled, stderr };
}
