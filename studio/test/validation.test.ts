import { describe, expect, it } from 'vitest';
import { cleanFileName, validateDuration, validateFile } from '../src/validation';
import { checkJsonl } from '../src/components/Batches';

const f = (name: string, type: string, size = 1000) => ({ name, type, size });

describe('upload validation', () => {
  it('accepts videos and stills in the visual slot and says which', () => {
    expect(validateFile(f('clip.mp4', 'video/mp4'), 'visual')).toMatchObject({ ok: true, kind: 'video' });
    expect(validateFile(f('clip.mov', ''), 'visual')).toMatchObject({ ok: true, kind: 'video' });
    expect(validateFile(f('face.png', 'image/png'), 'visual')).toMatchObject({ ok: true, kind: 'image' });
    expect(validateFile(f('face.JPG', ''), 'visual')).toMatchObject({ ok: true, kind: 'image' });
  });
  it('refuses the wrong kind with a message that says where it goes', () => {
    const r = validateFile(f('voice.wav', 'audio/wav'), 'visual');
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/voice track/);
    const i = validateFile(f('face.png', 'image/png'), 'audio');
    expect(i.ok).toBe(false);
    expect(i.message).toMatch(/video slot/);
    expect(validateFile(f('notes.txt', 'text/plain'), 'visual').message).toMatch(/MP4/);
    expect(validateFile(f('notes.txt', 'text/plain'), 'audio').message).toMatch(/WAV/);
    expect(validateFile(f('anim.gif', 'image/gif'), 'visual').message).toMatch(/JPEG, PNG or WebP/);
  });
  it('refuses empty and oversized files', () => {
    expect(validateFile(f('a.wav', 'audio/wav', 0), 'audio').message).toMatch(/empty/);
    expect(validateFile(f('a.mp4', 'video/mp4', 6 * 1024 ** 3), 'visual').message).toMatch(/5 GB/);
  });
  it('takes the sound of a video as the voice track, with a note', () => {
    const r = validateFile(f('take2.mp4', 'video/mp4'), 'audio');
    expect(r).toMatchObject({ ok: true, kind: 'audio' });
    expect(r.message).toMatch(/sound of this video/);
  });
  it('checks durations and batch files', () => {
    expect(validateDuration(1.5, 'video').ok).toBe(true);
    expect(validateDuration(NaN, 'video').message).toMatch(/could not be read/);
    expect(validateDuration(3600, 'video').message).toMatch(/60 minutes.*30 minutes/);
    expect(validateFile(f('b.jsonl', ''), 'batch')).toMatchObject({ ok: true, kind: 'jsonl' });
    expect(validateFile(f('b.csv', 'text/csv'), 'batch').ok).toBe(false);
    expect(validateFile(f('b.jsonl', '', 6 * 1024 ** 2), 'batch').message).toMatch(/5 MB/);
  });
  it('checks JSONL lines', () => {
    expect(checkJsonl('{"request_id":"a","payload":{"model":"sync-3"}}\n\n{"payload":{}}\n')).toEqual({ lines: 2, problems: [] });
    const bad = checkJsonl('{"request_id":"a"}\nnot json\n');
    expect(bad.problems).toEqual(['line 1: no "payload" object', 'line 2: not valid JSON']);
    expect(checkJsonl('\n').problems).toEqual(['the file has no requests']);
  });
  it('makes safe output names', () => {
    expect(cleanFileName('My dub (final).mp4')).toBe('My_dub_final');
    expect(cleanFileName('ok-name_1')).toBe('ok-name_1');
    expect(cleanFileName('x'.repeat(300)).length).toBe(255);
  });
});
