import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { DropZone } from '../src/components/DropZone';
import { mount, type Mounted } from './dom';

let m: Mounted | undefined;
afterEach(() => m?.unmount());

function drop(target: Element, file: File): void {
  const ev = new Event('drop', { bubbles: true, cancelable: true }) as Event & { dataTransfer: { files: File[] } };
  Object.defineProperty(ev, 'dataTransfer', { value: { files: [file] } });
  act(() => {
    target.dispatchEvent(ev);
  });
}

describe('drop zone', () => {
  it('refuses a wrong file in plain words and accepts the right one', () => {
    const onFile = vi.fn();
    m = mount(<DropZone slot="visual" label="Choose video…" accept="video/*" onFile={onFile} testId="dz" />);
    const zone = m.container.querySelector('[data-testid="dz"]')!;
    drop(zone, new File([new Uint8Array(10)], 'voice.wav', { type: 'audio/wav' }));
    expect(onFile).not.toHaveBeenCalled();
    expect(zone.querySelector('[role="alert"]')?.textContent).toMatch(/audio file: drop it on the voice track/);
    drop(zone, new File([new Uint8Array(10)], 'take.mp4', { type: 'video/mp4' }));
    expect(onFile).toHaveBeenCalledTimes(1);
    expect(onFile.mock.calls[0][1]).toMatchObject({ ok: true, kind: 'video' });
    expect(zone.querySelector('[role="alert"]')).toBeNull();
  });
  it('opens the file picker from a real button (keyboard reachable)', () => {
    m = mount(<DropZone slot="audio" label="Choose audio…" accept="audio/*" onFile={() => undefined} />);
    const input = m.container.querySelector('input[type="file"]') as HTMLInputElement;
    const clicked = vi.fn();
    input.addEventListener('click', clicked);
    const button = [...m.container.querySelectorAll('button')].find((b) => b.textContent === 'Choose audio…')!;
    expect(button.type).toBe('button');
    act(() => button.click());
    expect(clicked).toHaveBeenCalled();
  });
});
