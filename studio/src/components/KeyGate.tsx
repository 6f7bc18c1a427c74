import { useState, type FormEvent } from 'react';
import { Api } from '../api';
import { explain } from '../errors';
import { ErrorNotice } from './ErrorNotice';

/** First run: ask for the API key once; it is kept in this browser (localStorage). */
export function KeyGate({ onKey }: { onKey: (k: string) => void }) {
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const k = value.trim();
    if (!k) return;
    setBusy(true);
    setErr(undefined);
    try {
      await new Api(k).checkKey();
      onKey(k);
    } catch (x) {
      setErr(x);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="gate" id="main">
      <form className="card gate-card" onSubmit={submit}>
        <h1>
          <span className="logo" aria-hidden>
            ◐
          </span>{' '}
          Resync Studio
        </h1>
        <p>
          Paste your API key: the one <code>npm start</code> printed on its first run (kept in the server's data directory), or a new one from{' '}
          <code>resync keys create</code>. The Studio remembers it in this browser.
        </p>
        <label htmlFor="apikey">API key</label>
        <input id="apikey" name="apikey" type="password" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} placeholder="sk-…" />
        <button type="submit" disabled={busy || !value.trim()}>
          {busy ? 'Checking…' : 'Continue'}
        </button>
        {err !== undefined && <ErrorNotice error={explain(err)} />}
      </form>
    </main>
  );
}
