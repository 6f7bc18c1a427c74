/**
 * Face worker: one Human (WASM, single-threaded) per worker thread. The main thread owns tracking
 * state and sends each frame with the ROIs to mesh; the worker answers with meshes (and, when
 * asked, fresh detections). Frames arrive as transferred buffers, so nothing is copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadHuman, type MeshModel } from './human-loader.js';
import { MeshRunner, roiFromMesh, type Roi, type Detection } from './mesh-runner.js';
import { mouthPatch, packPatch } from './appearance.js';

export interface WorkerInit {
  mesh: MeshModel;
}

export interface FrameJob {
  type: 'frame';
  id: number;
  width: number;
  height: number;
  data: Uint8Array;
  /** Run the detector and add faces not already covered by `rois`. */
  detect: boolean;
  /** Tracked faces: key is the caller's track key. */
  rois: { key: number; roi: Roi }[];
}

export interface MeshOut {
  /** Track key from the job, or -1 for a face the detector found. */
  key: number;
  mesh: Float32Array;
  score: number;
  detScore?: number;
  /** ROI for the next frame, from this mesh. */
  next: Roi;
  /** The mouth-region appearance, packed (appearance.ts) as it is stored: one buffer to transfer. */
  patch: Float32Array;
}

export interface FrameResult {
  type: 'result';
  id: number;
  meshes: MeshOut[];
  detections: Detection[];
  ms: { detect: number; mesh: number; total: number };
  /**
   * The job's frame buffer, handed back (transferred) so the caller can decode the next frame into
   * it. Why: a frame allocated on the main thread and freed on a worker's, every frame, is the
   * pattern that makes glibc's malloc hold on to memory; buffers going round hold a fixed amount.
   */
  frame: Uint8Array;
}

function overlaps(a: Roi, b: Roi): boolean {
  const d = Math.hypot(a.cx - b.cx, a.cy - b.cy);
  return d < 0.35 * Math.max(a.size, b.size);
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const human = await loadHuman({ mesh: init.mesh });
  const runner = new MeshRunner(human, init.mesh);
  const port = parentPort!;
  let queue = Promise.resolve();
  port.on('message', (job: FrameJob) => {
    queue = queue.then(async () => {
      const t0 = performance.now();
      const frame = { width: job.width, height: job.height, data: job.data };
      let detections: Detection[] = [];
      const work: { key: number; roi: Roi; detScore?: number; refine: boolean }[] = job.rois.map((r) => ({ key: r.key, roi: r.roi, refine: false }));
      if (job.detect) {
        detections = await runner.detect(frame);
        for (const d of detections) {
          if (!job.rois.some((r) => overlaps(r.roi, d.roi))) work.push({ key: -1, roi: d.roi, detScore: d.score, refine: true });
        }
      }
      const t1 = performance.now();
      const meshes: MeshOut[] = [];
      for (const w of work) {
        let res = await runner.mesh(frame, w.roi);
        // a detector box is only roughly aligned: one more pass on the mesh's own ROI
        if (w.refine && res.score > 0.3) res = await runner.mesh(frame, roiFromMesh(res.mesh));
        meshes.push({ key: w.key, mesh: res.mesh, score: res.score, detScore: w.detScore, next: roiFromMesh(res.mesh), patch: packPatch(mouthPatch(frame, res.mesh)) });
      }
      const t2 = performance.now();
      const msg: FrameResult = { type: 'result', id: job.id, meshes, detections, ms: { detect: t1 - t0, mesh: t2 - t1, total: t2 - t0 }, frame: job.data };
      port.postMessage(msg, [...meshes.flatMap((m) => [m.mesh.buffer, m.patch.buffer] as ArrayBuffer[]), job.data.buffer as ArrayBuffer]);
    }).catch((e) => {
      port.postMessage({ type: 'error', id: job.id, message: String(e?.stack ?? e) });
    });
  });
  port.postMessage({ type: 'ready' });
}

main().catch((e) => {
  parentPort?.postMessage({ type: 'error', id: -1, message: String(e?.stack ?? e) });
});
