/**
 * What ffmpeg/ffprobe may do with a user-supplied input. Both limits are passed on every command
 * line that opens an input, and both are allow-lists, because a deny-list checked after probing
 * is too late: the concat and hls demuxers open the files a list names while ffprobe is still
 * reading the header, so a refusal based on the reported format name would come after the other
 * files had already been read.
 */

import { closeSync, openSync, readSync } from 'node:fs';

/** Only plain files (and our own pipes) may be opened: no http, concat:, subfile:, data:, tcp... */
export const INPUT_PROTOCOLS = 'file,pipe';

/**
 * Demuxers allowed for inputs: ordinary single-file containers, raw elementary streams and
 * single-image formats. Everything that reads other files, devices or the network (concat, hls,
 * dash, image2 sequences, lavfi, sdp, tty, webm_dash_manifest...) is absent. An entry matches any
 * name of a multi-name demuxer ("mov" covers "mov,mp4,m4a,3gp,3g2,mj2").
 * Note: image2 is absent on purpose: it treats '%d' in a file name as a sequence pattern. Single
 * PNG/JPEG/WebP/BMP/TIFF files are recognised by content as the *_pipe demuxers instead.
 */
export const INPUT_DEMUXERS = [
  'mov', 'matroska', 'avi', 'flv', 'mpegts', 'mpeg', 'asf', 'ogg', 'nut', 'mxf', 'dv', 'ivf',
  'h264', 'hevc', 'm4v', 'mpegvideo', 'vc1', 'yuv4mpegpipe', 'mjpeg',
  'wav', 'w64', 'mp3', 'aac', 'loas', 'flac', 'aiff', 'caf', 'amr', 'ac3', 'eac3', 'dts', 'truehd',
  'mlp', 'wv', 'ape', 'tta', 'au', 'mpc', 'mpc8',
  'gif', 'apng', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'bmp_pipe', 'tiff_pipe', 'ppm_pipe', 'pgm_pipe',
];

/** Demuxer names that are refused even if some future whitelist entry let them through. */
export const FORBIDDEN_FORMATS = ['concat', 'ffconcat', 'hls', 'applehttp', 'dash', 'lavfi', 'tty', 'image2', 'image2pipe_list', 'sdp', 'rtsp', 'rtp', 'mmsh', 'http', 'tee', 'fifo', 'data', 'webm_dash_manifest', 'ffmetadata'];

/**
 * Input options to put before `-i <user file>` on every ffmpeg/ffprobe command line. Give the
 * input's path: a JPEG photo named *.jpg or *.jpeg is then read with the single-image JPEG
 * demuxer. Without that, ffmpeg's probe prefers image2 for those names (it scores the extension
 * above a JPEG whose end it has not reached), image2 is refused, and every JPEG still failed with
 * "not readable media"; PNG, BMP, TIFF, WebP and PPM are recognised by content as they are.
 */
export function inputGuardArgs(path?: string): string[] {
  const guard = ['-protocol_whitelist', INPUT_PROTOCOLS, '-format_whitelist', INPUT_DEMUXERS.join(',')];
  return path !== undefined && isJpegFile(path) ? [...guard, '-f', 'jpeg_pipe'] : guard;
}

/** A *.jpg / *.jpeg / *.jpe / *.jfif file that starts like a JPEG (FF D8 FF). */
function isJpegFile(path: string): boolean {
  if (!/\.(jpe?g|jpe|jfif)$/i.test(path)) return false;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const head = Buffer.alloc(3);
    return readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** True when any of ffprobe's comma-separated demuxer names is refused. */
export function isForbiddenFormat(formatName: string): boolean {
  return formatName.split(',').some((f) => FORBIDDEN_FORMATS.includes(f.trim()));
}
