import { afterEach, describe, expect, it, vi } from 'vitest';
import { mouthBox, runsOf, totalsOf, type ReportRow } from '../src/report';
import { ReportTimeline } from '../src/components/ReportTimeline';
import { $, click, mount, type Mounted } from './dom';

const rows: ReportRow[] = [
  ...Array.from({ length: 10 }, (_, i): ReportRow => ({ frame: i, action: 'pass', reason: 'silence' })),
  ...Array.from({ length: 20 }, (_, i): ReportRow => ({ frame: 10 + i, action: 'edit', region: [100 + i, 200, 40, 20] })),
  ...Array.from({ length: 5 }, (_, i): ReportRow => ({ frame: 30 + i, action: 'pass', reason: 'occluded' })),
  ...Array.from({ length: 5 }, (_, i): ReportRow => ({ frame: 35 + i, action: 'pass', reason: 'no-face' })),
  ...Array.from({ length: 10 }, (_, i): ReportRow => ({ frame: 40 + i, action: 'edit', region: [0, 0, 0, 0] })),
];

let m: Mounted | undefined;
afterEach(() => m?.unmount());

describe('report timeline', () => {
  it('merges frames into runs by kind and reason', () => {
    const shuffled = [...rows].reverse();
    expect(runsOf(shuffled)).toEqual([
      { kind: 'passed', start: 0, end: 10, reason: 'silence' },
      { kind: 'edited', start: 10, end: 30, reason: undefined },
      { kind: 'occluded', start: 30, end: 35, reason: 'occluded' },
      { kind: 'noface', start: 35, end: 40, reason: 'no-face' },
      { kind: 'edited', start: 40, end: 50, reason: undefined },
    ]);
    expect(totalsOf(rows)).toEqual({ edited: 30, passed: 10, occluded: 5, noface: 5 });
    // a gap in the frames starts a new run
    expect(runsOf([{ frame: 0, action: 'edit' }, { frame: 2, action: 'edit' }])).toHaveLength(2);
  });
  it('finds the mouth region from edited frames (ignoring empty regions)', () => {
    expect(mouthBox(rows)).toEqual([100, 200, 59, 20]);
    expect(mouthBox([{ frame: 0, action: 'pass' }])).toBeUndefined();
  });
  it('draws runs proportionally with totals and a playhead, and seeks on click', () => {
    const onSeek = vi.fn();
    m = mount(<ReportTimeline rows={rows} fps={25} time={1} syncConfidence={0.83} onSeek={onSeek} />);
    const runs = m.container.querySelectorAll<HTMLElement>('.run');
    expect(runs).toHaveLength(5);
    expect(runs[1].dataset.kind).toBe('edited');
    expect(runs[1].style.left).toBe('20%');
    expect(runs[1].style.width).toBe('40%');
    expect(runs[2].title).toMatch(/Occluded.*frames 30–34/);
    expect($(m.container, '[data-testid="legend-edited"]').textContent).toMatch(/Lips edited: 30/);
    expect($(m.container, '[data-testid="legend-noface"]').textContent).toMatch(/No face: 5/);
    expect(m.container.textContent).toMatch(/Sync confidence: 83%/);
    expect(($(m.container, '.playhead') as HTMLElement).style.left).toBe('50%'); // 1 s = frame 25 of 50
    const track = $(m.container, '[data-testid="report-track"]');
    track.getBoundingClientRect = () => ({ left: 0, top: 0, width: 500, height: 26, right: 500, bottom: 26, x: 0, y: 0, toJSON: () => ({}) });
    click(track, { clientX: 300, clientY: 10 });
    expect(onSeek).toHaveBeenCalledWith(30 / 25);
    track.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    expect(onSeek).toHaveBeenLastCalledWith(1 + 1 / 25);
  });
});
