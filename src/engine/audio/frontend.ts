/**
 * The acoustic front end as one streaming object: samples (16 kHz mono) in, context frames at
 * 100 Hz out (model input + voice activity), with flat memory. Latency is bounded (~0.7 s plus
 * 1.3 s once at the start) because every step looks only a fixed distance ahead.
 */
import { FeatureExtractor } from './features.js';
import { Normaliser } from './normalise.js';
import { ContextStacker, type ContextFrame } from './context.js';

export class AudioFrontend {
  private readonly features: FeatureExtractor;
  private readonly normaliser = new Normaliser();
  private readonly stacker = new ContextStacker();
  /** Samples seen so far (16 kHz). */
  samples = 0;

  /** @param warp vocal tract length warp of the mel filters (training augmentation; 1 = none). */
  constructor(warp = 1) {
    this.features = new FeatureExtractor(warp);
  }

  push(samples: Float32Array): ContextFrame[] {
    this.samples += samples.length;
    return this.stacker.push(this.normaliser.push(this.features.push(samples)));
  }

  flush(): ContextFrame[] {
    const a = this.stacker.push(this.normaliser.push(this.features.flush()));
    const b = this.stacker.push(this.normaliser.flush());
    return [...a, ...b, ...this.stacker.flush()];
  }
}

/** Runs the front end over a whole buffer (training, tests); warp as in AudioFrontend. */
export function contextFrames(samples16k: Float32Array, warp = 1): ContextFrame[] {
  const fe = new AudioFrontend(warp);
  const out = fe.push(samples16k);
  out.push(...fe.flush());
  return out;
}
