/**
 * Frame-synchronous acoustic features at 100 Hz (10 ms hop, 25 ms Hann window, 16 kHz mono).
 * Per frame: band energy, a 24-band log-mel spectrum, periodicity (voicing) and zero-crossing
 * rate. This part is causal and stateless beyond one window of samples, so it streams with
 * flat memory; level normalisation and context live in later steps (normalise.ts, context.ts).
 */
import { fft, hann, melFilterbank, type MelBand } from './dsp.js';

export const FEATURE_RATE = 100;
export const SAMPLE_RATE = 16000;
export const MEL_BANDS = 24;
const HOP = SAMPLE_RATE / FEATURE_RATE;
const WIN = 400;
const NFFT = 1024; // ≥ 2·WIN so the autocorrelation from the power spectrum is not circular
const MIN_LAG = 32; // 500 Hz
const MAX_LAG = 320; // 50 Hz

export interface RawFrame {
  /** Frame index; its centre is at index / FEATURE_RATE seconds. */
  index: number;
  /** Total energy, dB full scale (a full-scale sine is about -3). */
  energy: number;
  /** Log-mel energies in dB (same reference as energy). */
  mel: Float32Array;
  /** Normalised autocorrelation peak in the 50–500 Hz pitch range: ~0.9 vowels, ~0.2 noise. */
  voicing: number;
  /** Zero crossings per sample (fricatives and noise are high). */
  zcr: number;
}

export class FeatureExtractor {
  private readonly window = hann(WIN);
  private readonly windowAc: Float64Array;
  private readonly bank: MelBand[];
  private readonly re = new Float64Array(NFFT);
  private readonly im = new Float64Array(NFFT);
  private readonly pending = new Float32Array(WIN + HOP * 64);
  private pendingLen = 0;
  private nextIndex = 0;
  private started = false;

  /** @param warp vocal tract length warp of the mel filters, for training augmentation only (1 = none). */
  constructor(warp = 1) {
    this.bank = melFilterbank(MEL_BANDS, NFFT, SAMPLE_RATE, 60, 7800, warp);
    // Autocorrelation of the window itself: dividing by it undoes the taper's bias toward short lags.
    const re = new Float64Array(NFFT);
    const im = new Float64Array(NFFT);
    re.set(this.window);
    fft(re, im);
    for (let k = 0; k < NFFT; k++) {
      re[k] = re[k] * re[k] + im[k] * im[k];
      im[k] = 0;
    }
    fft(re, im);
    this.windowAc = Float64Array.from(re, (v) => v / re[0]);
  }

  /**
   * Feeds samples (16 kHz mono); returns the frames completed by them. The first frame is
   * centred on sample 0 (half a window of zeros before it), so frame i is centred on i·10 ms.
   */
  push(samples: Float32Array): RawFrame[] {
    const out: RawFrame[] = [];
    if (!this.started) {
      this.pendingLen = WIN / 2; // zero padding so frame 0 is centred at t = 0
      this.pending.fill(0, 0, WIN / 2);
      this.started = true;
    }
    let off = 0;
    while (off < samples.length) {
      const n = Math.min(samples.length - off, this.pending.length - this.pendingLen);
      this.pending.set(samples.subarray(off, off + n), this.pendingLen);
      this.pendingLen += n;
      off += n;
      let start = 0;
      while (this.pendingLen - start >= WIN) {
        out.push(this.frame(this.pending.subarray(start, start + WIN)));
        start += HOP;
      }
      this.pending.copyWithin(0, start, this.pendingLen);
      this.pendingLen -= start;
    }
    return out;
  }

  /** Pads the tail with zeros so the last samples still get frames centred on them. */
  flush(): RawFrame[] {
    if (!this.started) return [];
    const out = this.push(new Float32Array(WIN / 2));
    this.pendingLen = 0;
    return out;
  }

  private frame(x: Float32Array): RawFrame {
    const { re, im, window } = this;
    re.fill(0);
    im.fill(0);
    let zc = 0;
    for (let i = 0; i < WIN; i++) {
      re[i] = x[i] * window[i];
      if (i > 0 && (x[i] >= 0) !== (x[i - 1] >= 0)) zc++;
    }
    fft(re, im);
    const half = NFFT / 2;
    const power = new Float64Array(half + 1);
    // Normalised so a full-scale sine reads about -3 dB.
    const norm = 4 / (WIN * WIN * 0.25);
    for (let k = 0; k <= half; k++) power[k] = (re[k] * re[k] + im[k] * im[k]) * norm;
    const mel = new Float32Array(MEL_BANDS);
    let total = 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      const { start, weights } = this.bank[b];
      let s = 0;
      for (let k = 0; k < weights.length; k++) s += weights[k] * power[start + k];
      total += s;
      mel[b] = 10 * Math.log10(s + 1e-12);
    }
    // Autocorrelation = inverse FFT of the power spectrum (real and even, so a forward FFT works).
    for (let k = 0; k < NFFT; k++) {
      const p = re[k] * re[k] + im[k] * im[k];
      re[k] = p;
      im[k] = 0;
    }
    fft(re, im);
    let voicing = 0;
    if (re[0] > 1e-9) {
      for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
        const v = re[lag] / re[0] / Math.max(this.windowAc[lag], 0.05);
        if (v > voicing) voicing = v;
      }
    }
    return {
      index: this.nextIndex++,
      energy: 10 * Math.log10(total + 1e-12),
      mel,
      voicing: Math.min(1, voicing),
      zcr: zc / WIN,
    };
  }
}

/** Resamples mono PCM to 16 kHz by linear interpolation (used for audio the suite makes itself). */
export function resampleTo16k(samples: Float32Array, rate: number): Float32Array {
  if (rate === SAMPLE_RATE) return samples;
  const n = Math.floor((samples.length * SAMPLE_RATE) / rate);
  const out = new Float32Array(n);
  const step = rate / SAMPLE_RATE;
  // A short box pre-filter when downsampling keeps aliasing out of the high mel bands.
  const box = Math.max(1, Math.round(step));
  for (let i = 0; i < n; i++) {
    const pos = i * step;
    const i0 = Math.floor(pos);
    const f = pos - i0;
    let a = 0;
    let b = 0;
    const at = (k: number): number => samples[Math.min(samples.length - 1, Math.max(0, k))];
    for (let j = 0; j < box; j++) {
      a += at(i0 + j - (box >> 1));
      b += at(i0 + 1 + j - (box >> 1));
    }
    out[i] = ((1 - f) * a + f * b) / box;
  }
  return out;
}
