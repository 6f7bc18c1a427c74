/**
 * Progress reporting for long commands: a redrawn bar on a terminal, plain lines when output
 * is piped (a line every ~10%), or JSON lines with --json for programs that drive the CLI.
 */
export type ProgressMode = 'tty' | 'plain' | 'json' | 'silent';

export interface ProgressUpdate {
  stage: string;
  done: number;
  total: number;
  /** Unit of `done` (e.g. "frames"). */
  unit?: string;
}

export function pickProgressMode(json: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressMode {
  if (json) return 'json';
  return stream.isTTY ? 'tty' : 'plain';
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m % 60)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export class ProgressReporter {
  private stageStart = Date.now();
  private stage = '';
  private lastPlainDecile = -1;
  private lastDraw = 0;
  readonly stageTimes: Record<string, number> = {};

  constructor(
    private readonly mode: ProgressMode,
    private readonly out: { write(s: string): unknown } = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.stageStart = now();
  }

  update(u: ProgressUpdate): void {
    const t = this.now();
    if (u.stage !== this.stage) {
      this.endStage();
      this.stage = u.stage;
      this.stageStart = t;
      this.lastPlainDecile = -1;
    }
    const elapsed = (t - this.stageStart) / 1000;
    const rate = elapsed > 0 ? u.done / elapsed : 0;
    const eta = rate > 0 && u.total > 0 ? (u.total - u.done) / rate : NaN;
    const frac = u.total > 0 ? Math.min(1, u.done / u.total) : 0;
    const unit = u.unit ?? 'frames';
    if (this.mode === 'json') {
      this.out.write(JSON.stringify({ type: 'progress', stage: u.stage, done: u.done, total: u.total, unit, rate: round(rate, 2), eta: Number.isFinite(eta) ? round(eta, 1) : null }) + '\n');
    } else if (this.mode === 'tty') {
      if (t - this.lastDraw < 100 && u.done < u.total) return;
      this.lastDraw = t;
      const width = 28;
      const filled = Math.round(frac * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      this.out.write(`\r\x1b[2K${u.stage.padEnd(10)} ${bar} ${String(Math.round(frac * 100)).padStart(3)}%  ${u.done}/${u.total} ${unit}  ${rate.toFixed(1)} ${unit}/s  ETA ${formatDuration(eta)}`);
    } else if (this.mode === 'plain') {
      const decile = Math.floor(frac * 10);
      if (decile !== this.lastPlainDecile) {
        this.lastPlainDecile = decile;
        this.out.write(`${u.stage}: ${u.done}/${u.total} ${unit} (${Math.round(frac * 100)}%), ${rate.toFixed(1)} ${unit}/s, ETA ${formatDuration(eta)}\n`);
      }
    }
  }

  /** Closes the current stage and records its time. */
  endStage(): void {
    if (!this.stage) return;
    const secs = (this.now() - this.stageStart) / 1000;
    this.stageTimes[this.stage] = round((this.stageTimes[this.stage] ?? 0) + secs, 2);
    if (this.mode === 'tty') this.out.write('\n');
    if (this.mode === 'json') this.out.write(JSON.stringify({ type: 'stage', stage: this.stage, seconds: round(secs, 2) }) + '\n');
    this.stage = '';
  }

  message(text: string): void {
    if (this.mode === 'json') this.out.write(JSON.stringify({ type: 'message', text }) + '\n');
    else if (this.mode !== 'silent') this.out.write(text + '\n');
  }
}

function round(x: number, d: number): number {
  const k = 10 ** d;
  return Math.round(x * k) / k;
}
