import { useMemo, useState } from 'react';
import { Api, storeKey, storedKey } from './api';
import { StudioProvider, useRoute, useStudio } from './store';
import { KeyGate } from './components/KeyGate';
import { NewGeneration } from './components/NewGeneration';
import { Library } from './components/Library';
import { GenerationView } from './components/GenerationView';
import { Batches } from './components/Batches';
import { JobsTray } from './components/JobsTray';

export function App() {
  const [key, setKey] = useState(storedKey);
  const api = useMemo(() => new Api(key), [key]);
  if (!key)
    return (
      <KeyGate
        onKey={(k) => {
          storeKey(k);
          setKey(k);
        }}
      />
    );
  return (
    <StudioProvider api={api}>
      <Shell
        onSignOut={() => {
          storeKey('');
          setKey('');
        }}
      />
    </StudioProvider>
  );
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const [route, go] = useRoute();
  const { watched } = useStudio();
  const [, page, arg] = route.split('/');
  const rerunOf = page === 'new' && arg ? decodeURIComponent(arg) : undefined;
  const nav = [
    ['new', 'New'],
    ['library', 'Library'],
    ['batches', 'Batches'],
  ] as const;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <div className="brand" aria-label="Resync Studio">
          <span className="logo" aria-hidden>
            ◐
          </span>{' '}
          Resync <span className="muted">Studio</span>
        </div>
        <nav aria-label="Main">
          {nav.map(([p, label]) => (
            <a key={p} href={`#/${p}`} aria-current={page === p || (p === 'library' && page === 'g') ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <button className="ghost small" onClick={onSignOut} title="Forget the API key stored in this browser and enter another">
          Change key
        </button>
      </header>
      {Object.keys(watched).length > 0 && <JobsTray onOpen={(id) => go(`/g/${id}`)} />}
      <main id="main" tabIndex={-1}>
        {page === 'library' ? (
          <Library onOpen={(id) => go(`/g/${id}`)} onRerun={(id) => go(`/new/${encodeURIComponent(id)}`)} />
        ) : page === 'g' && arg ? (
          <GenerationView key={arg} id={decodeURIComponent(arg)} onDeleted={() => go('/library')} onRerun={(id) => go(`/new/${encodeURIComponent(id)}`)} />
        ) : page === 'batches' ? (
          <Batches />
        ) : (
          <NewGeneration key={rerunOf ?? 'fresh'} rerunOf={rerunOf} onCreated={(id) => go(`/g/${id}`)} />
        )}
      </main>
    </div>
  );
}
