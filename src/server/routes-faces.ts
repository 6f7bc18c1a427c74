/**
 * `POST /v2/analyze/faces` (a Resync addition): the faces in the first frame of an uploaded video
 * or still image, so a client (the Studio) can outline them and let the user click the person to
 * sync. Multipart with one `video` or `image` file; answers the frame size and the face boxes in
 * video pixels, largest first. Runs the engine's face stage on that one frame.
 */
import { join } from 'node:path';
import type { App } from './context.js';
import { ApiError } from './errors.js';
import { isMultipart, type Ctx, type Reply, type Router } from './router.js';
import { parseMultipart } from './multipart.js';
import { openVideoInput } from '../engine/media/validate.js';
import { analyzeVideo } from '../engine/face/analyze.js';
import { isResyncError } from '../engine/errors.js';

export function faceRoutes(r: Router, app: App): void {
  r.add('POST', '/v2/analyze/faces', (c) => firstFrameFaces(app, c));
}

async function firstFrameFaces(app: App, c: Ctx): Promise<Reply> {
  if (!isMultipart(c.req)) throw new ApiError(400, 'generation_input_video_invalid', 'send multipart/form-data with one "video" or "image" file');
  const form = await parseMultipart(c.req, join(app.cfg.dataDir, 'tmp'), app.cfg.maxUploadBytes);
  try {
    const file = form.files.find((f) => f.field === 'video' || f.field === 'image');
    if (!file) throw new ApiError(400, 'generation_input_video_invalid', 'a "video" or "image" file is required');
    let opened;
    try {
      opened = await openVideoInput(file.path, { allowImage: true });
    } catch (e) {
      if (isResyncError(e)) throw new ApiError(422, e.code, e.message);
      throw e;
    }
    try {
      const doc = await analyzeVideo(opened.path, { maxFrames: 1, workers: 1 });
      const faces = (doc.frames[0]?.faces ?? [])
        .map((f) => ({ x: Math.round(f.box[0]), y: Math.round(f.box[1]), width: Math.round(f.box[2]), height: Math.round(f.box[3]), score: f.score }))
        .sort((a, b) => b.width * b.height - a.width * a.height);
      return { status: 200, json: { width: doc.source.width, height: doc.source.height, faces } };
    } finally {
      await opened.cleanup();
    }
  } finally {
    await form.discard();
  }
}
