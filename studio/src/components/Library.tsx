import { useCallback, useEffect, useState } from 'react';
import { TERMINAL, outputOf, type Generation } from '../api';
import { explain } from '../errors';
import { clock, dateTime } from '../format';
import { useStudio } from '../store';
import { ErrorNotice } from './ErrorNotice';
import { useMedia } from './GenerationView';

const FILTERS: Array<{ id: string; label: string; status?: string[] }> = [
  { id: 'all', label: 'All' },
  { id: 'running', label: 'Running', status: ['PENDING', 'PROCESSING'] },
  { id: 'done', label: 'Completed', status: ['COMPLETED'] },
  { id: 'failed', label: 'Failed', status: ['FAILED', 'REJECTED'] },
];

function Thumb({ g }: { g: Generation }) {
  const { api } = useStudio();
  const url = typeof g.thumbnailUrl === 'string' ? g.thumbnailUrl : g.status === 'COMPLETED' ? outputOf(g) : undefined;
  const isImage = typeof g.thumbnailUrl === 'string';
  const m = useMedia(api, url);
  if (!m.src) return <div className="thumb empty" aria-hidden />;
  return isImage ? <img className="thumb" src={m.src} alt="" /> : <video className="thumb" src={`${m.src}#t=0.2`} muted preload="metadata" aria-hidden tabIndex={-1} />;
}

export function Library({ onOpen, onRerun }: { onOpen: (id: string) => void; onRerun: (id: string) => void }) {
  const { api, catalogue, forget } = useStudio();
  const [filter, setFilter] = useState('all');
  const [items, setItems] = useState<Generation[]>();
  const [err, setErr] = useState<unknown>();
  const [asking, setAsking] = useState<string>();

  const load = useCallback(async () => {
    try {
      const list = await api.list(FILTERS.find((f) => f.id === filter)?.status);
      list.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
      setItems(list);
      setErr(undefined);
    } catch (e) {
      setErr(e);
    }
  }, [api, filter]);

  useEffect(() => {
    load();
    const t = setInterval(load, 4000);
    return () => clearInterval(t);
  }, [load]);

  const del = async (id: string) => {
    try {
      await api.remove(id);
      forget(id);
      setAsking(undefined);
      load();
    } catch (e) {
      setErr(e);
    }
  };

  return (
    <section aria-labelledby="lib-title">
      <div className="lib-head">
        <h1 id="lib-title">Library</h1>
        <div className="seg" role="group" aria-label="Filter by status">
          {FILTERS.map((f) => (
            <button key={f.id} type="button" aria-pressed={filter === f.id} onClick={() => setFilter(f.id)}>
              {f.label}
            </button>
          ))}
        </div>
      </div>
      {err !== undefined && <ErrorNotice error={explain(err, catalogue)} />}
      {!items ? (
        <p className="muted">Loading…</p>
      ) : items.length === 0 ? (
        <p className="muted">
          Nothing here yet. <a href="#/new">Start a new generation.</a>
        </p>
      ) : (
        <ul className="lib" data-testid="library">
          {items.map((g) => (
            <li key={g.id} className="lib-item" data-status={g.status} data-id={g.id}>
              <button type="button" className="lib-open" onClick={() => onOpen(g.id)} aria-label={`Open ${g.outputFileName || g.id}`}>
                <Thumb g={g} />
              </button>
              <div className="lib-meta">
                <button type="button" className="link title" onClick={() => onOpen(g.id)}>
                  {g.outputFileName || g.id.slice(0, 8)}
                </button>
                <div className="small-text">
                  <span className={`badge s-${g.status.toLowerCase()}`}>{g.status}</span> {g.model}
                  {typeof g.outputDuration === 'number' && ` · ${clock(g.outputDuration)}`}
                </div>
                <div className="muted small-text">{dateTime(g.createdAt)}</div>
              </div>
              <div className="lib-actions">
                <button type="button" className="ghost small" onClick={() => onRerun(g.id)}>
                  Re-run
                </button>
                {asking === g.id ? (
                  <>
                    <button type="button" className="danger small" onClick={() => del(g.id)}>
                      Delete for good
                    </button>
                    <button type="button" className="ghost small" onClick={() => setAsking(undefined)}>
                      Keep
                    </button>
                  </>
                ) : (
                  <button type="button" className="ghost small" disabled={!TERMINAL.includes(g.status)} onClick={() => setAsking(g.id)}>
                    Delete
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
