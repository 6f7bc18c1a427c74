/** Shared state: the API client, the error catalogue, and the generations being watched. */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Api, TERMINAL, type ErrorCatalogueEntry, type Generation } from './api';
import { learnRate } from './rates';

export interface Watched {
  gen: Generation;
  /** Local object URLs of the inputs, when this browser uploaded them (for instant comparison). */
  localVideo?: string;
  localAudio?: string;
  visualKind?: 'video' | 'image';
  /** When we first saw it running (for elapsed time when the server gives no updatedAt). */
  seenAt: number;
  estimateSeconds?: number;
}

interface Ctx {
  api: Api;
  catalogue: ErrorCatalogueEntry[];
  watched: Record<string, Watched>;
  watch: (g: Generation, extra?: Partial<Watched>) => void;
  forget: (id: string) => void;
  refresh: (id: string) => Promise<Generation | undefined>;
}

const StudioCtx = createContext<Ctx | null>(null);
const WATCHED = 'resync.studio.watched';

export function useStudio(): Ctx {
  const c = useContext(StudioCtx);
  if (!c) throw new Error('useStudio outside StudioProvider');
  return c;
}

export function StudioProvider({ api, children }: { api: Api; children: ReactNode }) {
  const [watched, setWatched] = useState<Record<string, Watched>>({});
  const [catalogue, setCatalogue] = useState<ErrorCatalogueEntry[]>([]);
  const ref = useRef(watched);
  ref.current = watched;

  useEffect(() => {
    api.errorCatalogue().then(setCatalogue).catch(() => undefined);
  }, [api]);

  // The session's generations survive a reload: their ids are kept in this browser.
  useEffect(() => {
    let ids: string[] = [];
    try {
      ids = JSON.parse(localStorage.getItem(WATCHED) ?? '[]');
    } catch {
      /* none */
    }
    if (!Array.isArray(ids)) return;
    for (const id of ids.slice(0, 20)) {
      api
        .get(String(id))
        .then((g) => setWatched((w) => (w[g.id] ? w : { ...w, [g.id]: { seenAt: Date.parse(g.createdAt) || Date.now(), gen: g } })))
        .catch(() => undefined);
    }
  }, [api]);
  useEffect(() => {
    try {
      const ids = Object.values(watched)
        .sort((a, b) => b.seenAt - a.seenAt)
        .map((w) => w.gen.id);
      localStorage.setItem(WATCHED, JSON.stringify(ids.slice(0, 20)));
    } catch {
      /* not kept */
    }
  }, [watched]);

  const watch = useCallback((g: Generation, extra: Partial<Watched> = {}) => {
    setWatched((w) => ({ ...w, [g.id]: { ...w[g.id], ...extra, seenAt: extra.seenAt ?? w[g.id]?.seenAt ?? Date.now(), gen: g } }));
  }, []);
  const forget = useCallback((id: string) => {
    setWatched((w) => {
      const n = { ...w };
      delete n[id];
      return n;
    });
  }, []);
  const refresh = useCallback(
    async (id: string) => {
      try {
        const g = await api.get(id);
        const before = ref.current[id]?.gen;
        if (before && !TERMINAL.includes(before.status) && g.status === 'COMPLETED' && g.outputDuration) {
          const started = Date.parse(g.createdAt);
          if (Number.isFinite(started)) learnRate(g.model, (Date.now() - started) / 1000, g.outputDuration);
        }
        setWatched((w) => (w[id] ? { ...w, [id]: { ...w[id], gen: g } } : w));
        return g;
      } catch {
        return undefined;
      }
    },
    [api],
  );

  // Poll every running generation; several can run while the user keeps working.
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      const running = Object.values(ref.current).filter((w) => !TERMINAL.includes(w.gen.status));
      await Promise.all(running.map((w) => refresh(w.gen.id)));
      if (!stop) timer = window.setTimeout(tick, 1000);
    };
    let timer = window.setTimeout(tick, 1000);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [refresh]);

  const value = useMemo(() => ({ api, catalogue, watched, watch, forget, refresh }), [api, catalogue, watched, watch, forget, refresh]);
  return <StudioCtx.Provider value={value}>{children}</StudioCtx.Provider>;
}

/** Hash routes: #/new, #/library, #/g/<id>, #/batches. */
export function useRoute(): [string, (to: string) => void] {
  const [route, setRoute] = useState(() => location.hash.replace(/^#/, '') || '/new');
  useEffect(() => {
    const on = () => setRoute(location.hash.replace(/^#/, '') || '/new');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const go = useCallback((to: string) => {
    location.hash = to;
  }, []);
  return [route, go];
}
