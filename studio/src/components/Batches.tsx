import { useCallback, useEffect, useState } from 'react';
import type { Batch } from '../api';
import { explain } from '../errors';
import { dateTime } from '../format';
import { useStudio } from '../store';
import { DropZone } from './DropZone';
import { ErrorNotice } from './ErrorNotice';

/** Check a JSONL batch file in the browser: one JSON object per line with `payload` (and usually `request_id`). */
export function checkJsonl(text: string): { lines: number; problems: string[] } {
  const problems: string[] = [];
  let lines = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    lines++;
    try {
      const j = JSON.parse(line);
      if (!j || typeof j !== 'object' || !j.payload) problems.push(`line ${i + 1}: no "payload" object`);
    } catch {
      problems.push(`line ${i + 1}: not valid JSON`);
    }
  });
  if (!lines) problems.push('the file has no requests');
  return { lines, problems };
}

export function Batches() {
  const { api, catalogue } = useStudio();
  const [list, setList] = useState<Batch[]>();
  const [err, setErr] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api
      .batches()
      .then((b) => {
        b.sort((x, y) => Date.parse(y.created_at ?? y.createdAt ?? '') - Date.parse(x.created_at ?? x.createdAt ?? ''));
        setList(b);
      })
      .catch(setErr);
  }, [api]);
  useEffect(() => {
    load();
    const t = setInterval(load, 3000);
    return () => clearInterval(t);
  }, [load]);

  const upload = async (f: File) => {
    setErr(undefined);
    const { lines, problems } = checkJsonl(await f.text());
    if (problems.length) {
      setNote(`“${f.name}” has problems: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '…' : ''}`);
      return;
    }
    setBusy(true);
    try {
      await api.createBatch(f, f.name);
      setNote(`Submitted ${lines} request${lines > 1 ? 's' : ''} from “${f.name}”.`);
      load();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };

  const download = async (b: Batch) => {
    try {
      const url = b.outputUrl ?? '';
      const blob = await api.fetchBlob(url);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `batch_${b.id.slice(0, 8)}_results.jsonl`;
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      setErr(e);
    }
  };

  return (
    <section aria-labelledby="batch-title">
      <h1 id="batch-title">Batches</h1>
      <div className="card">
        <p>
          A batch is a <code>.jsonl</code> file with one request per line:{' '}
          <code>{'{"request_id":"clip_1","endpoint":"/v2/generate","payload":{"model":"sync-3","input":[…]}}'}</code>
        </p>
        <DropZone slot="batch" label={busy ? 'Uploading…' : 'Upload JSONL…'} accept=".jsonl,.json,application/jsonl" onFile={(f) => upload(f)} />
        {note && (
          <p className="note" role="status">
            {note}
          </p>
        )}
      </div>
      {err !== undefined && <ErrorNotice error={explain(err, catalogue)} onDismiss={() => setErr(undefined)} />}
      {!list ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No batches yet.</p>
      ) : (
        <table className="batches">
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Status</th>
              <th scope="col">Done / total</th>
              <th scope="col">Failed</th>
              <th scope="col">Created</th>
              <th scope="col">Results</th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => {
              const m = b.metrics ?? {};
              const total = m.total_generations ?? 0;
              const done = (m.success_count ?? 0) + (m.failed_count ?? 0);
              return (
                <tr key={b.id}>
                  <td>
                    <code>{b.id.slice(0, 8)}</code>
                  </td>
                  <td>
                    <span className={`badge s-${b.status.toLowerCase()}`}>{b.status}</span>
                  </td>
                  <td>
                    <meter min={0} max={total || 1} value={done} aria-label="Finished" /> {m.success_count ?? 0}✓ {done}/{total}
                  </td>
                  <td>{m.failed_count ?? 0}</td>
                  <td>{dateTime(b.created_at ?? b.createdAt)}</td>
                  <td>
                    {b.outputUrl && ['COMPLETED', 'FAILED'].includes(b.status) ? (
                      <button type="button" className="ghost small" onClick={() => download(b)}>
                        Download
                      </button>
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
