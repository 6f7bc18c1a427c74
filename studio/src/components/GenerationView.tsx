import { useEffect, useRef, useState } from 'react';
import { TERMINAL, isPublicFile, localize, outputOf, type Api, type Generation } from '../api';
import { explain } from '../errors';
import { clock, dateTime } from '../format';
import { isReport, mouthBox, type QualityReport } from '../report';
import { useStudio } from '../store';
import { cleanFileName } from '../validation';
import { ComparePlayer } from './ComparePlayer';
import { ErrorNotice } from './ErrorNotice';
import { ProgressLine } from './Progress';
import { ReportTimeline } from './ReportTimeline';

/** A media URL the browser can play: same-origin files are fetched with the key and shown as blobs. */
export function useMedia(api: Api, url: string | undefined, local?: string): { src?: string; error?: unknown } {
  const [state, setState] = useState<{ src?: string; error?: unknown }>({ src: local });
  useEffect(() => {
    if (local) return setState({ src: local });
    if (!url) return setState({});
    let dead = false;
    let made: string | undefined;
    const u = new URL(localize(url), location.href);
    if (u.origin !== location.origin || u.protocol === 'blob:' || u.protocol === 'data:' || isPublicFile(u.href)) {
      setState({ src: u.href });
      return;
    }
    api
      .fetchBlob(url)
      .then((b) => {
        if (dead) return;
        made = URL.createObjectURL(b);
        setState({ src: made });
      })
      .catch((error) => !dead && setState({ error }));
    return () => {
      dead = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, url, local]);
  return state;
}

/** Where the report can be found on a generation (a server may link it or embed it). */
export function reportSource(g: Generation): { url?: string; inline?: QualityReport } {
  const cands = [g.report, (g as Record<string, unknown>).qualityReport];
  for (const c of cands) if (isReport(c)) return { inline: c };
  for (const k of ['reportUrl', 'report_url', 'qualityReportUrl']) {
    const v = (g as Record<string, unknown>)[k];
    if (typeof v === 'string' && v) return { url: v };
  }
  if (typeof g.report === 'string' && g.report) return { url: g.report };
  return {};
}

export function GenerationView({ id, onDeleted, onRerun }: { id: string; onDeleted: () => void; onRerun: (id: string) => void }) {
  const { api, watched, watch, catalogue } = useStudio();
  const w = watched[id];
  const [loaded, setLoaded] = useState<Generation>();
  const [err, setErr] = useState<unknown>();
  const gen = w?.gen ?? loaded;

  useEffect(() => {
    let dead = false;
    api
      .get(id)
      .then((g) => {
        if (dead) return;
        setLoaded(g);
        if (!TERMINAL.includes(g.status)) watch(g);
      })
      .catch((e) => !dead && setErr(e));
    return () => {
      dead = true;
    };
  }, [api, id, watch]);

  if (!gen) return err ? <ErrorNotice error={explain(err, catalogue)} /> : <p className="muted">Loading…</p>;
  return (
    <article className="genview" aria-labelledby="gen-title">
      <header className="genhead">
        <div>
          <h1 id="gen-title">{gen.outputFileName || `Generation ${gen.id.slice(0, 8)}`}</h1>
          <p className="muted small-text">
            {gen.model} · {String(gen.options?.sync_mode ?? 'default mode')}
            {typeof gen.options?.temperature === 'number' && ` · temperature ${gen.options.temperature}`}
            {gen.options?.active_speaker_detection?.coordinates && ` · face at ${gen.options.active_speaker_detection.coordinates.join(', ')}`} · {dateTime(gen.createdAt)}
            {typeof gen.outputDuration === 'number' && ` · ${clock(gen.outputDuration)}`} · <code>{gen.id}</code>
          </p>
        </div>
        <div className="row-actions">
          <button type="button" className="secondary" onClick={() => onRerun(gen.id)}>
            Re-run with other settings
          </button>
          <DeleteButton gen={gen} onDeleted={onDeleted} />
        </div>
      </header>
      {!TERMINAL.includes(gen.status) && (
        <section className="card">
          <ProgressLine gen={gen} seenAt={w?.seenAt ?? Date.now()} estimateSeconds={w?.estimateSeconds} />
          <p className="muted small-text">You can keep working: start another generation or open the library; this one keeps running and shows in the bar above.</p>
        </section>
      )}
      {(gen.status === 'FAILED' || gen.status === 'REJECTED' || gen.status === 'CANCELED' || gen.status === 'TIMED_OUT') && <ErrorNotice error={explain(gen, catalogue)} />}
      {gen.status === 'COMPLETED' && <Result gen={gen} />}
    </article>
  );
}

function DeleteButton({ gen, onDeleted }: { gen: Generation; onDeleted: () => void }) {
  const { api, forget, catalogue } = useStudio();
  const [asking, setAsking] = useState(false);
  const [err, setErr] = useState<unknown>();
  const running = !TERMINAL.includes(gen.status);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  const del = async () => {
    try {
      await api.remove(gen.id);
      forget(gen.id);
      onDeleted();
    } catch (e) {
      setErr(e);
      setAsking(false);
    }
  };
  return (
    <span className="delete">
      {asking ? (
        <>
          <button ref={confirmRef} type="button" className="danger" onClick={del} data-testid="confirm-delete">
            Delete for good
          </button>
          <button type="button" className="ghost" onClick={() => setAsking(false)}>
            Keep
          </button>
        </>
      ) : (
        <button type="button" className="danger-outline" onClick={() => setAsking(true)} disabled={running} title={running ? 'A running generation cannot be deleted' : undefined}>
          Delete
        </button>
      )}
      {err !== undefined && <ErrorNotice error={explain(err, catalogue)} onDismiss={() => setErr(undefined)} />}
    </span>
  );
}

function Result({ gen }: { gen: Generation }) {
  const { api, watched, catalogue } = useStudio();
  const w = watched[gen.id];
  const out = useMedia(api, outputOf(gen));
  const vIn = gen.input.find((i) => i.type === 'video' || i.type === 'image');
  const beforeKind = (w?.visualKind ?? (vIn?.type === 'image' ? 'image' : 'video')) as 'video' | 'image';
  const input = useMedia(api, vIn?.url, w?.localVideo);
  const [report, setReport] = useState<QualityReport>();
  const [reportNote, setReportNote] = useState<string>();
  const [time, setTime] = useState(0);
  const seekRef = useRef<((t: number) => void) | null>(null);

  useEffect(() => {
    const src = reportSource(gen);
    if (src.inline) return setReport(src.inline);
    if (!src.url) return setReportNote('This server does not publish a quality report for generations, so the frame timeline cannot be drawn.');
    api
      .fetchJson<unknown>(src.url)
      .then((r) => (isReport(r) ? setReport(r) : setReportNote('The quality report could not be read.')))
      .catch(() => setReportNote('The quality report could not be loaded.'));
  }, [api, gen]);

  const fps = report?.output?.fps ?? 25;
  const point = gen.options?.active_speaker_detection?.coordinates;
  return (
    <section className="result" aria-label="Result">
      {out.error !== undefined ? (
        <ErrorNotice error={explain(out.error, catalogue)} />
      ) : out.src ? (
        <ComparePlayer
          before={input.src}
          beforeKind={beforeKind}
          after={out.src}
          mouthRegion={report?.perFrame ? mouthBox(report.perFrame) : undefined}
          facePoint={point}
          onTime={setTime}
          seekRef={seekRef}
          timelineExtra={
            report?.perFrame ? (
              <ReportTimeline rows={report.perFrame} fps={fps} time={time} syncConfidence={report.syncConfidence} onSeek={(t) => seekRef.current?.(t)} />
            ) : (
              reportNote && <p className="muted small-text">{reportNote}</p>
            )
          }
        />
      ) : (
        <p className="muted">Loading the output…</p>
      )}
      <Download gen={gen} />
    </section>
  );
}

function Download({ gen }: { gen: Generation }) {
  const { api, catalogue } = useStudio();
  const [name, setName] = useState(gen.outputFileName || `resync_${gen.id.slice(0, 8)}`);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>();
  const go = async () => {
    setBusy(true);
    setErr(undefined);
    try {
      const url = await api.downloadUrl(gen.id);
      const blob = await api.fetchBlob(url);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${cleanFileName(name) || 'resync'}.mp4`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="download card">
      <label htmlFor="dl-name">Download as</label>
      <div className="suffix">
        <input id="dl-name" value={name} onChange={(e) => setName(e.target.value)} />
        <span className="muted">.mp4</span>
      </div>
      <button type="button" className="primary" onClick={go} disabled={busy} data-testid="download">
        {busy ? 'Preparing…' : 'Download'}
      </button>
      {err !== undefined && <ErrorNotice error={explain(err, catalogue)} />}
    </div>
  );
}
