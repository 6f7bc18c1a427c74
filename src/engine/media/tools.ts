/**
 * Where ffmpeg and ffprobe come from. Order: RESYNC_FFMPEG / RESYNC_FFPROBE, then a system binary
 * on PATH (usually newer than the npm one), then the static builds shipped by the
 * @ffmpeg-installer / @ffprobe-installer npm packages so that `npm ci` is the whole set-up.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { delimiter, join, dirname } from 'node:path';

const require = createRequire(import.meta.url);

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function fromPackage(pkg: string, bin: string): string | undefined {
  try {
    const p = join(dirname(require.resolve(`${pkg}/package.json`)), bin);
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

let cached: { ffmpeg: string; ffprobe: string } | undefined;

export function mediaTools(): { ffmpeg: string; ffprobe: string } {
  if (cached) return cached;
  const ffmpeg = process.env.RESYNC_FFMPEG || onPath('ffmpeg') || fromPackage('@ffmpeg-installer/linux-x64', 'ffmpeg');
  const ffprobe = process.env.RESYNC_FFPROBE || onPath('ffprobe') || fromPackage('@ffprobe-installer/linux-x64', 'ffprobe');
  if (!ffmpeg || !ffprobe) {
    throw new Error('ffmpeg/ffprobe not found: run `npm ci`, install ffmpeg, or set RESYNC_FFMPEG and RESYNC_FFPROBE');
  }
  cached = { ffmpeg, ffprobe };
  return cached;
}
