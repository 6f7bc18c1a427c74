/**
 * Streaming audio → mouth frames. Memory stays flat however long the input: every step keeps a
 * bounded window. Feed 16 kHz mono chunks with push(), call end() once; frames come out in order
 * at the requested fps.
 */
import { AudioFrontend } from './frontend.js';
import { Articulator, type Articulation } from './articulate.js';
import { Retimer } from './retime.js';
import { shapeArticulation } from './shape.js';
import { MouthModel, type MouthModelWeights } from './model.js';
import { SAMPLE_RATE } from './features.js';
import type { ContextFrame } from './context.js';
import type { MouthFrame, MouthOptions } from './types.js';
import { MOUTH_MODEL } from './weights/mouth-model.js';

let defaultModel: MouthModel | null = null;
export function loadDefaultModel(): MouthModel {
  defaultModel ??= new MouthModel(MOUTH_MODEL);
  return defaultModel;
}

export interface StreamSettings {
  fps: number;
  temperature: number;
  leadMs: number;
  speakerAdapted: boolean;
  model: MouthModelWeights;
}

export function resolveSettings(opts: MouthOptions, model: MouthModel = loadDefaultModel()): StreamSettings {
  const fps = opts.fps ?? 25;
  const temperature = opts.temperature ?? 0.5;
  if (!(fps > 0 && fps <= 1000)) throw new RangeError(`fps must be in (0, 1000], got ${fps}`);
  if (!(temperature >= 0 && temperature <= 1)) throw new RangeError(`temperature must be in [0, 1], got ${temperature}`);
  const leadMs = opts.leadMs ?? opts.speaker?.leadMs ?? model.weights.leadMs;
  return { fps, temperature, leadMs, speakerAdapted: !!opts.speaker, model: model.weights };
}

export class MouthStream {
  private readonly frontend = new AudioFrontend();
  private readonly articulator: Articulator;
  private readonly retimer: Retimer;
  readonly settings: StreamSettings;
  private voiced = 0;
  private total = 0;

  constructor(
    private readonly opts: MouthOptions = {},
    model: MouthModel = loadDefaultModel(),
  ) {
    this.settings = resolveSettings(opts, model);
    this.articulator = new Articulator(model);
    this.retimer = new Retimer(this.settings.fps, this.settings.leadMs);
  }

  /** Seconds of audio pushed so far. */
  get duration(): number {
    return this.frontend.samples / SAMPLE_RATE;
  }

  /** Fraction of 100 Hz frames with voice ≥ 0.5 so far. */
  get voicedFraction(): number {
    return this.total ? this.voiced / this.total : 0;
  }

  push(samples16k: Float32Array): MouthFrame[] {
    return this.retimer.push(this.articulate(this.frontend.push(samples16k)));
  }

  end(): MouthFrame[] {
    const out = this.retimer.push(this.articulate(this.frontend.flush()));
    out.push(...this.retimer.flush(this.duration));
    return out;
  }

  private articulate(frames: ContextFrame[]): Articulation[] {
    return frames.map((f) => {
      this.total++;
      if (f.voice >= 0.5) this.voiced++;
      return shapeArticulation(this.articulator.step(f), this.settings.temperature, this.opts.speaker);
    });
  }
}
