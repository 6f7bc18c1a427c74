/** RIFF/WAVE headers: what Resync writes (speech it synthesises, composed segment sound). */

/** Bytes before the samples: RIFF header, a 16-byte fmt chunk, the data chunk's header. */
export const WAV_HEADER_BYTES = 44;

/**
 * The header of a WAV of `frames` sample frames of `channels` interleaved channels (default mono):
 * 16-bit integer PCM (format 1) or 32-bit IEEE float (format 3, what ffmpeg reads back without loss).
 */
export function wavHeader(frames: number, sampleRate: number, kind: 'pcm16' | 'float32', channels = 1): Buffer {
  const bytes = (kind === 'pcm16' ? 2 : 4) * channels; // one frame
  const b = Buffer.alloc(WAV_HEADER_BYTES);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + frames * bytes, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(kind === 'pcm16' ? 1 : 3, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * bytes, 28);
  b.writeUInt16LE(bytes, 32);
  b.writeUInt16LE((bytes / channels) * 8, 34);
  b.write('data', 36);
  b.writeUInt32LE(frames * bytes, 40);
  return b;
}
