/**
 * How long generations take here, learnt from the ones this browser watched finish: seconds of
 * processing per second of output, per model (an average that favours recent runs). The API gives
 * cost but no time estimate, so this is what "about N to make" is based on.
 */
const STORE = 'resync.studio.rates';

export type Rates = Record<string, { perSecond: number; n: number }>;

export function loadRates(): Rates {
  try {
    const r = JSON.parse(localStorage.getItem(STORE) ?? '{}');
    return r && typeof r === 'object' ? r : {};
  } catch {
    return {};
  }
}

/** Fold one observation in; returns the new table (also saved). */
export function learnRate(model: string, processingSeconds: number, outputSeconds: number, rates: Rates = loadRates()): Rates {
  if (!(processingSeconds > 0) || !(outputSeconds > 0)) return rates;
  const x = processingSeconds / outputSeconds;
  const cur = rates[model];
  const next: Rates = { ...rates, [model]: cur ? { perSecond: cur.perSecond * 0.7 + x * 0.3, n: cur.n + 1 } : { perSecond: x, n: 1 } };
  try {
    localStorage.setItem(STORE, JSON.stringify(next));
  } catch {
    /* not kept */
  }
  return next;
}

/** Expected processing time for an output of `seconds` with `model`, if this browser has seen that model run. */
export function expectedSeconds(model: string, seconds: number, rates: Rates = loadRates()): number | undefined {
  const r = rates[model];
  return r && seconds > 0 ? r.perSecond * seconds : undefined;
}
