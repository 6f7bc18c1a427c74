/**
 * Child processes with a hard time limit: a hostile or broken input must never hang the engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  /** Keep at most this many bytes of stdout (protects memory against absurd outputs). */
  maxStdout?: number;
  stdin?: Buffer;
}

export function runProcess(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const { timeoutMs = 60_000, maxStdout = 64 * 1024 * 1024 } = opts;
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(e);
      return;
    }
    const out: Buffer[] = [];
    let outLen = 0;
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout!.on('data', (b: Buffer) => {
      if (outLen < maxStdout) {
        out.push(b);
        outLen += b.length;
      }
    });
    child.stderr!.on('data', (b: Buffer) => {
      if (err.length < 256 * 1024) err += b.toString();
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err, timedOut });
    });
    child.stdin!.on('error', () => {});
    if (opts.stdin) child.stdin!.end(opts.stdin);
    else child.stdin!.end();
  });
}

/** The last meaningful line of ffmpeg's stderr, for error messages. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}
