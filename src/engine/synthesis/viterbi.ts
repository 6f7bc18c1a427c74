/**
 * Beam-limited Viterbi over per-frame candidate lists: picks one state per frame minimising the sum
 * of unary costs plus transition costs between consecutive choices. Generic so it can be tested on
 * plain numbers.
 */

export interface ViterbiResult {
  /** Chosen state per frame (index into that frame's candidate list). */
  path: number[];
  /** Unary cost of each chosen state. */
  unary: number[];
  /** Transition cost paid entering each frame (0 for the first). */
  transition: number[];
  total: number;
}

/**
 * @param unary unary[t][k]: cost of state k at frame t (each frame needs at least one state)
 * @param transition cost of going from state p at frame t-1 to state c at frame t
 */
export function viterbi(unary: number[][], transition: (t: number, p: number, c: number) => number): ViterbiResult {
  const T = unary.length;
  if (T === 0) return { path: [], unary: [], transition: [], total: 0 };
  const acc: Float64Array[] = [];
  const back: Int32Array[] = [];
  acc.push(Float64Array.from(unary[0]));
  back.push(new Int32Array(unary[0].length).fill(-1));
  for (let t = 1; t < T; t++) {
    const K = unary[t].length;
    const prev = acc[t - 1];
    const a = new Float64Array(K);
    const b = new Int32Array(K);
    for (let c = 0; c < K; c++) {
      let best = Infinity;
      let arg = 0;
      for (let p = 0; p < prev.length; p++) {
        const v = prev[p] + transition(t, p, c);
        // strict < keeps the lowest index on ties, so results are deterministic
        if (v < best) { best = v; arg = p; }
      }
      a[c] = best + unary[t][c];
      b[c] = arg;
    }
    acc.push(a);
    back.push(b);
  }
  let k = 0;
  const last = acc[T - 1];
  for (let i = 1; i < last.length; i++) if (last[i] < last[k]) k = i;
  const total = last[k];
  const path = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    path[t] = k;
    k = back[t][k];
  }
  const un = path.map((s, t) => unary[t][s]);
  const tr = path.map((s, t) => (t === 0 ? 0 : transition(t, path[t - 1], s)));
  return { path, unary: un, transition: tr, total };
}
