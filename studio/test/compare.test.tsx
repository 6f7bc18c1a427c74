import { afterEach, describe, expect, it } from 'vitest';
import { ComparePlayer, afterClip, closeUpRect, followerTime, guessMouth } from '../src/components/ComparePlayer';
import { $, click, mount, setValue, type Mounted } from './dom';

let m: Mounted | undefined;
afterEach(() => m?.unmount());

describe('comparison player logic', () => {
  it('keeps the input within the drift limit of the output, holding its last frame when shorter', () => {
    expect(followerTime(1.0, 1.05, 3)).toBeUndefined();
    expect(followerTime(1.0, 1.5, 3)).toBe(1.0);
    expect(followerTime(5, 0, 3)).toBeCloseTo(2.999);
    expect(followerTime(5, 2.999, 3)).toBeUndefined();
    expect(followerTime(2, NaN, NaN)).toBe(2);
  });
  it('clips the after layer at the divider', () => {
    expect(afterClip(50)).toBe('inset(0 0 0 50%)');
    expect(afterClip(-5)).toBe('inset(0 0 0 0%)');
    expect(afterClip(140)).toBe('inset(0 0 0 100%)');
  });
  it('zooms into a square around the mouth, inside the frame', () => {
    expect(closeUpRect([100, 200, 40, 20], 400, 480)).toEqual([84, 174, 72, 72]);
    const [x, y, w, h] = closeUpRect([380, 460, 40, 40], 400, 480);
    expect(x + w).toBeLessThanOrEqual(400);
    expect(y + h).toBeLessThanOrEqual(480);
    expect(guessMouth(400, 480, undefined, [200, 240])).toEqual([168, 264, 64, 48]);
  });
});

describe('comparison player', () => {
  it('moves the divider with the slider, switches to side by side keeping the same videos, and seeks both on the shared timeline', () => {
    m = mount(<ComparePlayer before="before.mp4" after="after.mp4" />);
    const wrap = $(m.container, '[data-testid="after-wrap"]');
    expect(wrap.style.clipPath).toBe('inset(0 0 0 50%)');
    setValue($(m.container, '[data-testid="compare-slider"]') as HTMLInputElement, '20');
    expect($(m.container, '[data-testid="after-wrap"]').style.clipPath).toBe('inset(0 0 0 20%)');
    expect($(m.container, '.divider').style.left).toBe('20%');

    const before = $(m.container, '[data-testid="before-video"]') as HTMLVideoElement;
    const after = $(m.container, '[data-testid="after-video"]') as HTMLVideoElement;
    expect(before.muted).toBe(true);
    expect(after.muted).toBe(false);

    const side = [...m.container.querySelectorAll('button')].find((b) => b.textContent === 'Side by side')!;
    click(side);
    expect($(m.container, '[data-testid="compare-stage"]').className).toContain('side');
    expect(m.container.querySelector('[data-testid="compare-slider"]')).toBeNull();
    expect($(m.container, '[data-testid="after-wrap"]').style.clipPath).toBe('');
    expect($(m.container, '[data-testid="before-video"]')).toBe(before); // not remounted: playback position is kept
    expect($(m.container, '[data-testid="after-video"]')).toBe(after);

    Object.defineProperty(after, 'duration', { value: 4, configurable: true });
    Object.defineProperty(before, 'duration', { value: 3, configurable: true });
    after.dispatchEvent(new Event('loadedmetadata'));
    setValue($(m.container, '[data-testid="timeline"]') as HTMLInputElement, '3.5');
    expect(after.currentTime).toBeCloseTo(3.5);
    expect(before.currentTime).toBeCloseTo(2.999); // the shorter input holds its last frame
  });
  it('switches the sound between the output and the original', () => {
    m = mount(<ComparePlayer before="b.mp4" after="a.mp4" />);
    const sel = $(m.container, 'select[aria-label="Sound"]') as HTMLSelectElement;
    const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
    const before = $(m.container, '[data-testid="before-video"]') as HTMLVideoElement;
    const after = $(m.container, '[data-testid="after-video"]') as HTMLVideoElement;
    setter.call(sel, 'original');
    sel.dispatchEvent(new Event('change', { bubbles: true }));
    // effects flush in act(); dispatch outside act, so re-render via a click on the same control
    click(sel);
    expect(after.muted).toBe(true);
    expect(before.muted).toBe(false);
  });
  it('shows only the output (no slider) when there is no input to compare', () => {
    m = mount(<ComparePlayer after="a.mp4" />);
    expect(m.container.querySelector('[data-testid="compare-slider"]')).toBeNull();
    expect($(m.container, '[data-testid="after-wrap"]').style.clipPath).toBe('inset(0 0 0 0%)');
  });
});
