import { WAV_HEADER_BYTES, wavHeader } from '../media/wav.js';

/** Float samples → a mono 16-bit PCM WAV file in memory. */
export function encodeWav(samples: Float32Array, sampleRate: number): Buffer {
  const b = Buffer.alloc(WAV_HEADER_BYTES + samples.length * 2);
  wavHeader(samples.length, sampleRate, 'pcm16').copy(b, 0);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32767))), WAV_HEADER_BYTES + i * 2);
  return b;
}
