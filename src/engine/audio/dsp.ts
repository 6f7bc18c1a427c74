/**
 * Small DSP kit for the audio stage: an in-place radix-2 FFT, a Hann window and a mel filterbank.
 * Written here (not a dependency) because the stage needs only these three and they must behave
 * identically in training and at run time.
 */

/** In-place complex FFT of length n (power of two). re/im are overwritten with the spectrum. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      const half = len >> 1;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

export function hann(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
  return w;
}

const hzToMel = (f: number): number => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number): number => 700 * (10 ** (m / 2595) - 1);

/** Triangular mel filters over the bins of an nfft-point spectrum: one sparse row per band. */
export interface MelBand {
  start: number;
  weights: Float64Array;
}

/**
 * Vocal tract length warp of a frequency (Jaitly & Hinton 2013): scaled by alpha up to a boundary,
 * then linear so Nyquist still maps to Nyquist and no band is pushed out of the spectrum. Used
 * only to augment training audio (a shorter or longer vocal tract); alpha 1 is the identity.
 */
export function vtlpWarp(f: number, alpha: number, sampleRate: number, fHi = 4800): number {
  const nyq = sampleRate / 2;
  const edge = (fHi * Math.min(alpha, 1)) / alpha;
  if (f <= edge) return f * alpha;
  return nyq - ((nyq - fHi * Math.min(alpha, 1)) / (nyq - edge)) * (nyq - f);
}

/** @param warp vocal tract length warp of the filters' edges (vtlpWarp); 1 (run time) leaves them as they are. */
export function melFilterbank(bands: number, nfft: number, sampleRate: number, fmin: number, fmax: number, warp = 1): MelBand[] {
  const lo = hzToMel(fmin);
  const hi = hzToMel(fmax);
  const edges: number[] = [];
  for (let i = 0; i < bands + 2; i++) edges.push(melToHz(lo + ((hi - lo) * i) / (bands + 1)));
  // skipped at 1, so the run-time filterbank is computed exactly as it always was
  if (warp !== 1) edges.forEach((f, i) => (edges[i] = vtlpWarp(f, warp, sampleRate)));
  const binHz = sampleRate / nfft;
  const out: MelBand[] = [];
  for (let b = 0; b < bands; b++) {
    const [f0, f1, f2] = [edges[b], edges[b + 1], edges[b + 2]];
    const start = Math.max(1, Math.floor(f0 / binHz));
    const end = Math.min(nfft / 2, Math.ceil(f2 / binHz));
    const w: number[] = [];
    for (let k = start; k <= end; k++) {
      const f = k * binHz;
      const v = f < f1 ? (f - f0) / (f1 - f0) : (f2 - f) / (f2 - f1);
      w.push(Math.max(0, v));
    }
    // Guarantee every band sees at least one bin, even when narrower than a bin at low frequencies.
    if (!w.some((v) => v > 0)) w[Math.min(w.length - 1, Math.round(f1 / binHz) - start)] = 1;
    out.push({ start, weights: Float64Array.from(w) });
  }
  return out;
}
