/**
 * Synthetic speech with phoneme timings from espeak-ng: the training script and the tests use it to
 * make speech whose articulation is known. The wrapper itself lives in the engine's offline
 * text-to-speech provider; this module keeps the scripts' import path.
 */
export { synthesize, resetEspeak, ESPEAK_RATE, type SynthSpeech, type SynthOptions } from '../../src/engine/tts/espeak.js';
