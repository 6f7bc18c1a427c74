/**
 * Renders the analysis overlay as a video: every frame of the input with what the face stage saw
 * drawn on it (see overlay.ts), encoded at the input's size and rate with the input's sound.
 */
import { decodeVideoFrames } from '../media/decode-video.js';
import { VideoEncoder } from '../media/encode.js';
import type { MediaInfo } from '../media/types.js';
import type { TrackDocument } from '../face/types.js';
import { drawFrameOverlay } from './overlay.js';

export async function renderOverlayVideo(
  path: string,
  info: MediaInfo,
  doc: TrackDocument,
  output: string,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const v = info.video;
  if (!v) throw new Error('renderOverlayVideo: input has no video stream');
  const enc = await VideoEncoder.open({
    output,
    width: v.width,
    height: v.height,
    frameRate: v.frameRate,
    preset: 'veryfast',
    crf: 20,
    color: v,
    ...(info.audio ? { audio: { path } } : {}),
  });
  try {
    const total = doc.frames.length;
    // Same decode mode as the analysis (every decoded frame, no rate conversion) so indices line up.
    for await (const frame of decodeVideoFrames(path, { width: v.width, height: v.height, nominalFps: v.fps, maxFrames: total })) {
      const fa = doc.frames[frame.index];
      if (fa) drawFrameOverlay({ width: frame.width, height: frame.height, data: frame.data }, fa, doc);
      await enc.write(frame);
      onProgress?.(frame.index + 1, total);
    }
    await enc.finish();
  } catch (e) {
    await enc.abort();
    throw e;
  }
}
