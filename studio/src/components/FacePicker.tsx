import { useEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
type FaceDetectorCtor = new (o?: { fastMode?: boolean; maxDetectedFaces?: number }) => { detect: (s: CanvasImageSource) => Promise<Array<{ boundingBox: Box }>> };

/**
 * The first frame of the video (or the still), drawn to a canvas; click the face to sync.
 * The point is kept in video pixels, as the API's `active_speaker_detection.coordinates`.
 * Faces are outlined from the server's face detection on the first frame (`POST /v2/analyze/faces`,
 * sent as a PNG of this canvas), or the browser's own FaceDetector where it has one.
 */
export function FacePicker({
  src,
  kind,
  point,
  onPoint,
  onSize,
  detect,
}: {
  src: string;
  kind: 'video' | 'image';
  point?: [number, number];
  onPoint: (p: [number, number] | undefined) => void;
  onSize?: (w: number, h: number) => void;
  /** Face boxes (video pixels) for a PNG of the first frame. */
  detect?: (png: Blob) => Promise<Box[]>;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLCanvasElement | null>(null);
  const [size, setSize] = useState<[number, number]>();
  const [faces, setFaces] = useState<Box[]>([]);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let dead = false;
    setFailed(false);
    setFaces([]);
    const grab = (el: HTMLVideoElement | HTMLImageElement, w: number, h: number) => {
      if (dead || !w || !h) return;
      const c = document.createElement('canvas');
      c.width = w;
      c.height = h;
      c.getContext('2d')?.drawImage(el, 0, 0, w, h);
      frame.current = c;
      setSize([w, h]);
      onSize?.(w, h);
      const FD = (window as unknown as { FaceDetector?: FaceDetectorCtor }).FaceDetector;
      if (FD) {
        new FD({ maxDetectedFaces: 8 })
          .detect(c)
          .then((r) => !dead && setFaces(r.map((f) => f.boundingBox)))
          .catch(() => undefined);
      } else if (detect) {
        // outlines are a help, not a requirement: a failed detection leaves the frame clickable
        c.toBlob((png) => {
          if (png && !dead) detect(png).then((boxes) => !dead && setFaces(boxes)).catch(() => undefined);
        }, 'image/png');
      }
    };
    if (kind === 'image') {
      const img = new Image();
      img.onload = () => grab(img, img.naturalWidth, img.naturalHeight);
      img.onerror = () => !dead && setFailed(true);
      img.src = src;
    } else {
      const v = document.createElement('video');
      v.muted = true;
      v.preload = 'auto';
      v.playsInline = true;
      v.onloadeddata = () => {
        if (v.currentTime !== 0) v.currentTime = 0;
        grab(v, v.videoWidth, v.videoHeight);
      };
      v.onerror = () => !dead && setFailed(true);
      v.src = src;
      v.load();
    }
    return () => {
      dead = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [src, kind]);

  useEffect(() => {
    const c = canvas.current;
    const f = frame.current;
    if (!c || !f || !size) return;
    c.width = size[0];
    c.height = size[1];
    const g = c.getContext('2d');
    if (!g) return;
    g.drawImage(f, 0, 0);
    const lw = Math.max(2, size[0] / 200);
    g.lineWidth = lw;
    for (const b of faces) {
      g.strokeStyle = 'rgba(120,200,255,0.9)';
      g.strokeRect(b.x, b.y, b.width, b.height);
    }
    if (point) {
      const r = Math.max(8, size[0] / 40);
      g.strokeStyle = '#000';
      g.lineWidth = lw * 2.5;
      g.beginPath();
      g.arc(point[0], point[1], r, 0, Math.PI * 2);
      g.stroke();
      g.strokeStyle = '#ffd23f';
      g.lineWidth = lw * 1.2;
      g.beginPath();
      g.arc(point[0], point[1], r, 0, Math.PI * 2);
      g.moveTo(point[0] - r * 1.6, point[1]);
      g.lineTo(point[0] - r * 0.5, point[1]);
      g.moveTo(point[0] + r * 0.5, point[1]);
      g.lineTo(point[0] + r * 1.6, point[1]);
      g.moveTo(point[0], point[1] - r * 1.6);
      g.lineTo(point[0], point[1] - r * 0.5);
      g.moveTo(point[0], point[1] + r * 0.5);
      g.lineTo(point[0], point[1] + r * 1.6);
      g.stroke();
    }
  }, [size, faces, point]);

  const click = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!size) return;
    const r = e.currentTarget.getBoundingClientRect();
    const x = Math.round(((e.clientX - r.left) / r.width) * size[0]);
    const y = Math.round(((e.clientY - r.top) / r.height) * size[1]);
    const hit = faces.find((b) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height);
    onPoint(hit ? [Math.round(hit.x + hit.width / 2), Math.round(hit.y + hit.height / 2)] : [x, y]);
  };
  const key = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!size) return;
    const step = Math.max(1, Math.round(size[0] / 50)) * (e.shiftKey ? 4 : 1);
    const p = point ?? [Math.round(size[0] / 2), Math.round(size[1] / 2)];
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[e.key]) {
      e.preventDefault();
      onPoint([Math.max(0, Math.min(size[0] - 1, p[0] + moves[e.key][0])), Math.max(0, Math.min(size[1] - 1, p[1] + moves[e.key][1]))]);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onPoint(p as [number, number]);
    } else if (e.key === 'Escape' || e.key === 'Delete' || e.key === 'Backspace') onPoint(undefined);
  };

  if (failed) return <p className="problem">The browser could not show this file's first frame; it may still work on the server, but pick the face automatically.</p>;
  return (
    <div className="facepick">
      <canvas
        ref={canvas}
        className="frame"
        tabIndex={0}
        role="img"
        aria-label={point ? `First frame; face selected at ${point[0]}, ${point[1]}. Arrow keys move the point, Escape clears it.` : 'First frame; click the face to sync, or press Enter and use the arrow keys.'}
        data-testid="face-canvas"
        onClick={click}
        onKeyDown={key}
      />
      <div className="facepick-info small-text">
        {point ? (
          <>
            Face at <strong data-testid="face-point">{`${point[0]}, ${point[1]}`}</strong> (video pixels, frame 0){' '}
            <button type="button" className="link" onClick={() => onPoint(undefined)}>
              clear
            </button>
          </>
        ) : (
          <span className="muted">
            Click the face to sync{faces.length ? ` (${faces.length} face${faces.length > 1 ? 's' : ''} outlined)` : ''}. Without a click the server picks the
            speaker automatically.
          </span>
        )}
      </div>
    </div>
  );
}
