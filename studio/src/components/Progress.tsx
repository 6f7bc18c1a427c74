import { useEffect, useState } from 'react';
import { TERMINAL, progressOf, stageOf, type Generation } from '../api';
import { clock } from '../format';

/** Elapsed time, and a remaining-time estimate from the API's progress (or the cost estimate's time). */
export function timing(g: Generation, now: number, seenAt: number, estimateSeconds?: number): { elapsed: number; remaining?: number } {
  const start = Date.parse(g.createdAt);
  const t0 = Number.isFinite(start) && start <= now + 5000 ? Math.min(start, now) : seenAt;
  const elapsed = Math.max(0, (now - t0) / 1000);
  const p = progressOf(g);
  let remaining: number | undefined;
  if (p !== undefined && p >= 3 && p < 100) remaining = (elapsed * (100 - p)) / p;
  else if (estimateSeconds !== undefined) remaining = Math.max(0, estimateSeconds - elapsed);
  return { elapsed, remaining };
}

export const STAGES_FALLBACK: Record<string, string> = {
  PENDING: 'Waiting in the queue',
  PROCESSING: 'Lip-syncing',
  COMPLETED: 'Done',
  FAILED: 'Failed',
  REJECTED: 'Rejected',
};

/**
 * Stage names. The API gives a status and a percentage; when it gives no stage name, the stage is
 * read off the percentage using the server's published stage weights (inputs 0–5 %, face analysis
 * 5–50 %, mouth shapes from the voice 50–55 %, planning 55–60 %, rendering 60–99 %).
 */
export const STAGES: Array<{ id: string; label: string; from: number }> = [
  { id: 'inputs', label: 'Reading the inputs', from: 0 },
  { id: 'analyze', label: 'Finding and tracking the face', from: 5 },
  { id: 'mouth', label: 'Mouth shapes from the voice', from: 50 },
  { id: 'plan', label: 'Planning the edit', from: 55 },
  { id: 'render', label: 'Rendering the lips', from: 60 },
  { id: 'encode', label: 'Encoding the video', from: 99 },
];

export function stageFromPercent(p: number): (typeof STAGES)[number] {
  let s = STAGES[0];
  for (const st of STAGES) if (p >= st.from) s = st;
  return s;
}

export function stageLabel(g: Generation): string {
  const named = stageOf(g);
  if (named) return STAGES.find((s) => s.id === named)?.label ?? named;
  const p = progressOf(g);
  if (g.status === 'PROCESSING' && p !== undefined) return stageFromPercent(p).label;
  return STAGES_FALLBACK[g.status] ?? g.status;
}

export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function ProgressLine({ gen, seenAt, estimateSeconds, compact }: { gen: Generation; seenAt: number; estimateSeconds?: number; compact?: boolean }) {
  const running = !TERMINAL.includes(gen.status);
  const failed = TERMINAL.includes(gen.status) && gen.status !== 'COMPLETED';
  const now = useNow(running);
  const p = progressOf(gen);
  const { elapsed, remaining } = timing(gen, now, seenAt, estimateSeconds);
  const stage = stageLabel(gen);
  const current = gen.status === 'PROCESSING' && p !== undefined ? stageFromPercent(p).id : undefined;
  return (
    <div className={`progress ${compact ? 'compact' : ''}`}>
      <div className="progress-head">
        <span className={`badge s-${gen.status.toLowerCase()}`}>{gen.status}</span>
        <span className="stage">{stage}</span>
        <span className="pct" aria-hidden>
          {p !== undefined ? `${Math.round(p)}%` : ''}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={`Progress of ${gen.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p !== undefined ? Math.round(p) : undefined}
        aria-valuetext={p !== undefined ? `${Math.round(p)}% — ${stage}` : stage}
      >
        <div className={`fill ${!p && running ? 'indeterminate' : ''} ${failed ? 'bad' : ''}`} style={{ width: `${failed ? 100 : p || (running ? 30 : 0)}%` }} />
      </div>
      {!compact && running && (
        <ol className="stages" aria-label="Stages">
          {STAGES.map((st) => {
            const state = gen.status === 'PENDING' ? 'todo' : current === st.id ? 'now' : p !== undefined && p >= st.from && current ? 'done' : 'todo';
            return (
              <li key={st.id} className={`st-${state}`} aria-current={state === 'now' ? 'step' : undefined}>
                {st.label}
              </li>
            );
          })}
        </ol>
      )}
      {running && (
        <div className="times muted">
          {clock(elapsed)} elapsed{remaining !== undefined ? ` · about ${clock(remaining)} left` : ''}
        </div>
      )}
    </div>
  );
}
