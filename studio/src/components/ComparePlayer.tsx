import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { clockPrecise } from '../format';

export type CompareMode = 'slider' | 'side';

/** How far the follower may drift from the leader before it is re-seeked (seconds). */
export const DRIFT_LIMIT = 0.08;

/** Where the follower (input) should be for the leader's (output) time; undefined = leave it. */
export function followerTime(leader: number, follower: number, followerDuration: number): number | undefined {
  if (!Number.isFinite(leader)) return undefined;
  // An input shorter than the output (loop/bounce/remap) holds its last frame.
  const want = Number.isFinite(followerDuration) && followerDuration > 0 ? Math.min(leader, followerDuration - 0.001) : leader;
  return !Number.isFinite(follower) || Math.abs(want - follower) > DRIFT_LIMIT ? Math.max(0, want) : undefined;
}

/** The clip of the top ("after") layer for a divider at `pos` percent: after is shown right of the divider. */
export function afterClip(pos: number): string {
  const p = Math.max(0, Math.min(100, pos));
  return `inset(0 0 0 ${p}%)`;
}

/** A square crop around a mouth box, grown by `pad` and kept inside the frame. */
export function closeUpRect(box: [number, number, number, number], frameW: number, frameH: number, pad = 1.8): [number, number, number, number] {
  const [x, y, w, h] = box;
  const side = Math.min(frameW, frameH, Math.max(24, Math.max(w, h) * pad));
  const cx = x + w / 2;
  const cy = y + h / 2;
  const sx = Math.max(0, Math.min(frameW - side, cx - side / 2));
  const sy = Math.max(0, Math.min(frameH - side, cy - side / 2));
  return [sx, sy, side, side];
}

/** The mouth box to zoom into: the report's edited region, else below the picked face point, else the lower middle. */
export function guessMouth(w: number, h: number, region?: [number, number, number, number], point?: [number, number]): [number, number, number, number] {
  if (region) return region;
  if (point) return [point[0] - w * 0.08, point[1] + h * 0.05, w * 0.16, h * 0.1];
  return [w * 0.4, h * 0.55, w * 0.2, h * 0.12];
}

export function ComparePlayer({
  before,
  beforeKind = 'video',
  after,
  mouthRegion,
  facePoint,
  onTime,
  timelineExtra,
  seekRef,
}: {
  before?: string;
  beforeKind?: 'video' | 'image';
  after: string;
  mouthRegion?: [number, number, number, number];
  facePoint?: [number, number];
  onTime?: (t: number, duration: number) => void;
  timelineExtra?: ReactNode;
  /** Lets siblings (the report timeline) seek the shared timeline. */
  seekRef?: { current: ((t: number) => void) | null };
}) {
  const [mode, setMode] = useState<CompareMode>('slider');
  const [pos, setPos] = useState(50);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [size, setSize] = useState<[number, number]>([16, 9]);
  const [sound, setSound] = useState<'output' | 'original' | 'off'>('output');
  const [zoom, setZoom] = useState(true);
  const a = useRef<HTMLVideoElement>(null);
  const b = useRef<HTMLVideoElement>(null);
  const closeUp = useRef<HTMLCanvasElement>(null);

  const sync = useCallback(() => {
    const av = a.current;
    const bv = b.current;
    if (!av) return;
    setTime(av.currentTime);
    onTime?.(av.currentTime, av.duration);
    if (bv) {
      const t = followerTime(av.currentTime, bv.currentTime, bv.duration);
      if (t !== undefined) bv.currentTime = t;
      if (!av.paused && bv.paused && av.currentTime < (bv.duration || Infinity)) bv.play().catch(() => undefined);
      if (av.paused && !bv.paused) bv.pause();
    }
  }, [onTime]);

  const seek = useCallback(
    (t: number) => {
      const av = a.current;
      if (!av) return;
      const d = Number.isFinite(av.duration) ? av.duration : duration;
      av.currentTime = Math.max(0, Math.min(d || t, t));
      if (b.current) {
        const ft = followerTime(av.currentTime, Number.NaN, b.current.duration);
        if (ft !== undefined) b.current.currentTime = ft;
      }
      setTime(av.currentTime);
      onTime?.(av.currentTime, d);
    },
    [duration, onTime],
  );
  if (seekRef) seekRef.current = seek;

  const toggle = () => {
    const av = a.current;
    if (!av) return;
    if (av.paused) {
      av.play().catch(() => undefined);
      b.current?.play().catch(() => undefined);
    } else {
      av.pause();
      b.current?.pause();
    }
  };

  useEffect(() => {
    if (a.current) a.current.muted = sound !== 'output';
    if (b.current) b.current.muted = sound !== 'original';
  }, [sound, mode]);

  // Mouth close-up: before and after crops, drawn each animation frame.
  useEffect(() => {
    if (!zoom) return;
    let raf = 0;
    const draw = () => {
      raf = requestAnimationFrame(draw);
      const c = closeUp.current;
      const av = a.current;
      const g = c?.getContext('2d');
      if (!c || !av || !g || !av.videoWidth) return;
      const [sx, sy, sw, sh] = closeUpRect(guessMouth(av.videoWidth, av.videoHeight, mouthRegion, facePoint), av.videoWidth, av.videoHeight);
      const half = c.width / 2;
      const bsrc: CanvasImageSource | null = beforeKind === 'image' ? (document.querySelector('img.before-layer') as HTMLImageElement | null) : b.current;
      try {
        if (bsrc) g.drawImage(bsrc, sx, sy, sw, sh, 0, 0, half - 1, c.height);
        g.drawImage(av, sx, sy, sw, sh, half + 1, 0, half - 1, c.height);
      } catch {
        /* not decodable yet */
      }
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [zoom, mouthRegion, facePoint, beforeKind, mode]);

  const beforeEl =
    before &&
    (beforeKind === 'image' ? (
      <img className="before-layer" src={before} alt="Input (before)" />
    ) : (
      <video ref={b} className="before-layer" src={before} muted playsInline preload="auto" aria-label="Input video (before)" data-testid="before-video" />
    ));
  const afterEl = (
    <video
      ref={a}
      className="after-layer"
      src={after}
      playsInline
      preload="auto"
      aria-label="Output video (after)"
      data-testid="after-video"
      onLoadedMetadata={(e) => {
        setDuration(e.currentTarget.duration);
        setSize([e.currentTarget.videoWidth || 16, e.currentTarget.videoHeight || 9]);
      }}
      onTimeUpdate={sync}
      onSeeked={sync}
      onPlay={() => {
        setPlaying(true);
        sync();
      }}
      onPause={() => {
        setPlaying(false);
        sync();
      }}
      onEnded={() => setPlaying(false)}
      onClick={toggle}
    />
  );

  return (
    <div className="compare" data-mode={mode}>
      <div className="compare-bar" role="toolbar" aria-label="Comparison">
        <div className="seg" role="group" aria-label="View">
          <button type="button" aria-pressed={mode === 'slider'} onClick={() => setMode('slider')}>
            Slider
          </button>
          <button type="button" aria-pressed={mode === 'side'} onClick={() => setMode('side')}>
            Side by side
          </button>
        </div>
        <label className="inline">
          Sound{' '}
          <select value={sound} onChange={(e) => setSound(e.target.value as typeof sound)} aria-label="Sound">
            <option value="output">output (new voice)</option>
            <option value="original">original video</option>
            <option value="off">off</option>
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={zoom} onChange={(e) => setZoom(e.target.checked)} /> Mouth close-up
        </label>
      </div>

      <div className={`view ${mode}`} style={{ ['--ar' as string]: `${size[0]} / ${size[1]}` }} data-testid="compare-stage">
        {before && (
          <figure className="pane before-pane">
            {beforeEl}
            <figcaption className="tag left">Before</figcaption>
          </figure>
        )}
        <figure className="pane after-pane" style={{ clipPath: mode === 'slider' ? afterClip(before ? pos : 0) : undefined }} data-testid="after-wrap">
          {afterEl}
          <figcaption className="tag right">After</figcaption>
        </figure>
        {before && mode === 'slider' && (
          <>
            <div className="divider" style={{ left: `${pos}%` }} aria-hidden>
              <span className="knob">⇔</span>
            </div>
            <input
              className="slider"
              type="range"
              min={0}
              max={100}
              step={1}
              value={pos}
              onChange={(e) => setPos(Number(e.target.value))}
              aria-label="Before/after divider (percent of width)"
              data-testid="compare-slider"
            />
          </>
        )}
      </div>

      <div className="transport">
        <button type="button" className="play" onClick={toggle} aria-label={playing ? 'Pause' : 'Play'} data-testid="play">
          {playing ? '❚❚' : '▶'}
        </button>
        <input
          className="timeline"
          type="range"
          min={0}
          max={duration || 0}
          step={0.01}
          value={Math.min(time, duration || 0)}
          onChange={(e) => seek(Number(e.target.value))}
          aria-label="Shared timeline (seconds)"
          aria-valuetext={`${clockPrecise(time)} of ${clockPrecise(duration)}`}
          data-testid="timeline"
        />
        <span className="time" data-testid="time">
          {clockPrecise(time)} / {clockPrecise(duration)}
        </span>
      </div>
      {timelineExtra}
      {zoom && (
        <figure className="closeup">
          <canvas ref={closeUp} width={480} height={240} aria-label="Mouth close-up: before on the left, after on the right" role="img" />
          <figcaption>
            Mouth close-up: <span>before</span> | <span>after</span>
          </figcaption>
        </figure>
      )}
    </div>
  );
}
