/** Media stage hand-offs. Plain data: every value here can be written to JSON and read back. */

export interface VideoStreamInfo {
  /** Display size, after rotation (what a viewer sees and what decoded frames have). */
  width: number;
  height: number;
  /** Coded size as stored in the stream (before rotation). */
  codedWidth: number;
  codedHeight: number;
  /** Frames per second used for processing (the nominal rate; average rate when variable). */
  fps: number;
  /** r_frame_rate and avg_frame_rate as fractions, e.g. "30000/1001". */
  rFrameRate: string;
  avgFrameRate: string;
  /** True when the stream's timestamps are not on a constant grid. */
  variableFrameRate: boolean;
  /**
   * The processing rate as an exact fraction (the `fps` value above, unrounded): r_frame_rate for
   * constant-rate streams ("30000/1001" stays exact), avg_frame_rate for variable-rate ones. The
   * pipeline decodes onto a constant grid at this rate (decodeVideoFrames `fps`) and encodes the
   * output at the same rate, so output frame i is shown at i / rate.
   */
  frameRate: string;
  /** Number of frames (counted or estimated from duration × fps). */
  frameCount: number;
  codec: string;
  pixelFormat: string;
  /** Clockwise rotation in degrees from the display matrix / rotate tag (0, 90, 180, 270). */
  rotation: number;
  /** Seconds, from the stream itself when the container gives it. */
  duration?: number;
  colorRange?: string;
  colorSpace?: string;
  colorPrimaries?: string;
  colorTransfer?: string;
}

export interface AudioStreamInfo {
  codec: string;
  sampleRate: number;
  channels: number;
  duration: number;
}

export interface MediaInfo {
  /** Local path that was probed (URL inputs are fetched to a local file first). */
  path: string;
  formatName: string;
  /** Seconds. */
  duration: number;
  sizeBytes: number;
  video?: VideoStreamInfo;
  audio?: AudioStreamInfo;
  /** True when the input is a single still image (sync-3 accepts image input). */
  isStillImage: boolean;
  /** True when fewer packets could be read than the container's index declares (a cut-off file). */
  truncated?: boolean;
}

/** A region of a frame in pixels (integer, inside the frame). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One decoded RGB frame (packed rgb24, row-major). */
export interface RgbFrame {
  format?: 'rgb24';
  index: number;
  /** Presentation time in seconds on the processing grid (index / fps). */
  time: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/** A matrix as luma weights of red and blue plus the range. */
export interface YuvMatrix {
  kr: number;
  kb: number;
  /** Full (pc, 0–255) range instead of tv (16–235 luma, 16–240 chroma). */
  full: boolean;
}

/**
 * The planar layouts frames are rendered on (ffmpeg's names): 8-bit 4:2:0, and 10- or 12-bit
 * 4:2:0, 4:2:2 and 4:4:4 (16-bit little-endian samples).
 */
export type YuvFormat = 'yuv420p' | 'yuv420p10le' | 'yuv422p10le' | 'yuv444p10le' | 'yuv420p12le' | 'yuv422p12le' | 'yuv444p12le';

/**
 * One decoded frame as planes: Y (width × height), then U and V (⌈w/2⌉ × ⌈h/2⌉ each in 4:2:0,
 * ⌈w/2⌉ × h in 4:2:2, w × h in 4:4:4); one byte a sample at 8 bits, two (little-endian) deeper.
 */
export interface YuvFrame {
  format: YuvFormat;
  index: number;
  /** Presentation time in seconds on the processing grid (index / fps). */
  time: number;
  width: number;
  height: number;
  data: Uint8Array;
  /** How the planes encode colour (from the stream's tags). */
  matrix: YuvMatrix;
}

/** A decoded frame in either layout the pipeline uses. */
export type VideoFrame = RgbFrame | YuvFrame;
