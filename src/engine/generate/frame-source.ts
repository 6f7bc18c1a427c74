/**
 * Serves input frames in the order an output timeline asks for them (see timeline.ts): forward
 * runs stream from one decoder, a restart (a loop) opens a new decoder at the right frame, and a
 * backward run (bounce) decodes a block of frames ending at the requested one and plays it in
 * reverse. Memory stays bounded by one block, whatever the clip length.
 */
import { decodeVideoFrames, decodedFrameBytes, type DecodeVideoOptions } from '../media/decode-video.js';
import type { RgbFrame, VideoFrame, YuvFrame, YuvMatrix } from '../media/types.js';

export interface TimelineFrameOptions {
  decode: Omit<DecodeVideoOptions, 'firstFrame' | 'maxFrames'>;
  /** Largest block of frames held for a backward run (bytes). Default 384 MiB. */
  blockBytes?: number;
}

/**
 * Yields one frame per output index i, showing input frame sourceFrames[i], with `index` and
 * `time` set to the output position. Each yielded frame owns its pixel buffer (the consumer may
 * write into it).
 */
export function timelineFrames(path: string, sourceFrames: ArrayLike<number>, fps: number, opts: TimelineFrameOptions & { decode: { yuv420p: YuvMatrix } }): AsyncGenerator<YuvFrame>;
export function timelineFrames(path: string, sourceFrames: ArrayLike<number>, fps: number, opts: TimelineFrameOptions & { decode: { yuv420p?: undefined } }): AsyncGenerator<RgbFrame>;
export function timelineFrames(path: string, sourceFrames: ArrayLike<number>, fps: number, opts: TimelineFrameOptions): AsyncGenerator<VideoFrame>;
export async function* timelineFrames(path: string, sourceFrames: ArrayLike<number>, fps: number, opts: TimelineFrameOptions): AsyncGenerator<VideoFrame> {
  const frameBytes = decodedFrameBytes(opts.decode);
  const blockFrames = Math.max(1, Math.floor((opts.blockBytes ?? 384 * 1024 * 1024) / Math.max(1, frameBytes)));
  let seq: AsyncGenerator<VideoFrame> | undefined;
  let seqNext = 0; // index the sequential decoder yields next
  let last: VideoFrame | undefined;
  let block = new Map<number, VideoFrame>();

  const openSeq = (from: number): void => {
    void seq?.return(undefined);
    seq = decodeVideoFrames(path, { ...opts.decode, ...(from > 0 ? { firstFrame: from } : {}) });
    seqNext = from;
  };
  const readSeq = async (s: number): Promise<VideoFrame | undefined> => {
    if (!seq || s < seqNext) openSeq(s);
    while (seqNext <= s) {
      const r = await seq!.next();
      if (r.done) return undefined;
      seqNext = r.value.index + 1;
      if (r.value.index === s) return r.value;
    }
    return undefined;
  };
  const readBlock = async (s: number): Promise<VideoFrame | undefined> => {
    block = new Map();
    const a = Math.max(0, s - blockFrames + 1);
    for await (const f of decodeVideoFrames(path, { ...opts.decode, ...(a > 0 ? { firstFrame: a } : {}), maxFrames: s - a + 1 })) block.set(f.index, f);
    return block.get(s);
  };

  // `last` may have been handed out without a copy (then the consumer owns and may change it)
  let lastGiven = false;
  try {
    for (let i = 0; i < sourceFrames.length; i++) {
      const s = sourceFrames[i];
      let f: VideoFrame | undefined;
      let fromBlock = false;
      if (last && last.index === s && !lastGiven) f = last;
      else if (block.has(s)) {
        f = block.get(s);
        fromBlock = true;
      } else {
        const goingBack = i + 1 < sourceFrames.length && sourceFrames[i + 1] < s;
        if (goingBack && !(seq && s >= seqNext && s - seqNext < 2)) {
          f = await readBlock(s);
          fromBlock = true;
        } else f = await readSeq(s);
      }
      if (!f && last) {
        // past the decodable end (a probe that over-counted frames): hold the last frame
        f = lastGiven ? await readBlock(last.index) : last;
        fromBlock = lastGiven;
      }
      if (!f) throw new Error(`timelineFrames: input frame ${s} could not be decoded`);
      last = f;
      // A frame shown once, fresh from the sequential decoder, is handed over as it is; one that
      // may be shown again (a hold, a bounce block) is copied, since the consumer may draw on it.
      const again: boolean = fromBlock || (i + 1 < sourceFrames.length && sourceFrames[i + 1] === s);
      lastGiven = !again;
      yield { ...f, index: i, time: i / fps, data: again ? new Uint8Array(f.data) : f.data };
    }
  } finally {
    await seq?.return(undefined);
  }
}
