import { beforeEach, describe, expect, it } from 'vitest';
import { expectedSeconds, learnRate, loadRates } from '../src/rates';

describe('time estimates learnt from finished generations', () => {
  beforeEach(() => localStorage.clear());
  it('learns seconds of work per output second per model, favouring recent runs, and keeps them', () => {
    expect(expectedSeconds('sync-3', 10)).toBeUndefined();
    learnRate('sync-3', 20, 2); // 10 s per output second
    expect(expectedSeconds('sync-3', 3)).toBeCloseTo(30);
    learnRate('sync-3', 4, 2); // 2 s per output second
    expect(loadRates()['sync-3']).toEqual({ perSecond: 10 * 0.7 + 2 * 0.3, n: 2 });
    expect(expectedSeconds('lipsync-2', 3)).toBeUndefined();
    learnRate('lipsync-2', 0, 2);
    learnRate('lipsync-2', 5, 0);
    expect(loadRates()['lipsync-2']).toBeUndefined();
  });
});
