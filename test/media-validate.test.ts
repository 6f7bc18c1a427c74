import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { openVideoInput, openAudioInput } from '../src/engine/media/validate.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { makeTempDir, makeClip, makeSine, ffmpeg, rejectsWith, collect } from './media-fixtures.js';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';

let dir = '';
let remove: () => Promise<void> = async () => {};
let good = ''; // 160×120 h264 + aac, faststart
before(async () => {
  ({ dir, remove } = await makeTempDir());
  good = await makeClip(join(dir, 'good.mp4'), { seconds: 2, audio: true, faststart: true });
});
after(() => remove());


test('valid video with audio, and a video with no audio, are accepted', async () => {
  const opened = await openVideoInput(good);
  assert.equal(opened.info.video!.width, 160);
  assert.equal(opened.fetched, false);
  await opened.cleanup();
  const silent = await makeClip(join(dir, 'silent.mp4'));
  const s = await openVideoInput(silent);
  assert.equal(s.info.audio, undefined);
  const a = await openAudioInput(good); // a video file's audio track is a valid audio input
  assert.equal(a.info.audio!.codec, 'aac');
});

test('missing file, directory and unsupported schemes are *_inaccessible', async () => {
  await rejectsWith(openVideoInput(join(dir, 'nope.mp4')), 'generation_input_video_inaccessible', /not found/);
  await rejectsWith(openAudioInput(join(dir, 'nope.wav')), 'generation_input_audio_inaccessible', /not found/);
  await rejectsWith(openVideoInput(dir), 'generation_input_video_inaccessible', /not a regular file/);
  await rejectsWith(openVideoInput(`file://${good}`), 'generation_input_video_inaccessible', /scheme "file:"/);
  await rejectsWith(openAudioInput('data:audio/wav;base64,UklGRg=='), 'generation_input_audio_inaccessible', /scheme "data:"/);
  await rejectsWith(openVideoInput('ftp://example.com/a.mp4'), 'generation_input_video_inaccessible', /scheme "ftp:"/);
  await rejectsWith(openVideoInput(''), 'generation_input_video_inaccessible');
});

test('zero-byte files are invalid', async () => {
  const empty = join(dir, 'empty.mp4');
  await writeFile(empty, '');
  await rejectsWith(openVideoInput(empty), 'generation_input_video_invalid', /empty/);
  await rejectsWith(openAudioInput(empty), 'generation_input_audio_invalid', /empty/);
});

test('a local file over maxBytes is too large', async () => {
  await rejectsWith(openVideoInput(good, { maxBytes: 1000 }), 'generation_input_too_large');
});

test('truncated files are invalid: moov missing, and data cut off under an intact moov', async () => {
  const plain = await makeClip(join(dir, 'plain.mp4'), { seconds: 2, audio: true }); // moov at the end
  const bytes = await readFile(plain);
  const head = join(dir, 'plain-30.mp4');
  await writeFile(head, bytes.subarray(0, Math.floor(bytes.length * 0.3)));
  await rejectsWith(openVideoInput(head), 'generation_input_video_invalid', /not readable media/);
  const fs = await readFile(good);
  const cut = join(dir, 'good-30.mp4');
  await writeFile(cut, fs.subarray(0, Math.floor(fs.length * 0.3)));
  await rejectsWith(openVideoInput(cut), 'generation_input_video_invalid', /truncated/);
  await rejectsWith(openAudioInput(cut), 'generation_input_audio_invalid', /truncated/);
});

test('audio-only file given as video says it has no video stream; video-only file given as audio has no audio stream', async () => {
  const wav = await makeSine(join(dir, 'tone.wav'));
  await rejectsWith(openVideoInput(wav), 'generation_input_video_invalid', /no video stream/);
  const silent = await makeClip(join(dir, 'silent2.mp4'));
  await rejectsWith(openAudioInput(silent), 'generation_input_audio_invalid', /no audio stream/);
  const ok = await openAudioInput(wav);
  assert.equal(ok.info.audio!.sampleRate, 48000);
});

test('a still image is a video input only with allowImage', async () => {
  const png = join(dir, 'face.png');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=64x48', '-frames:v', '1', png]);
  await rejectsWith(openVideoInput(png), 'generation_input_video_invalid', /still image/);
  const ok = await openVideoInput(png, { allowImage: true });
  assert.equal(ok.info.isStillImage, true);
  assert.equal(ok.info.video!.width, 64);
  // A '%d' in the name must not turn into an image-sequence pattern.
  const pat = join(dir, 'img%d.png');
  await writeFile(pat, await readFile(png));
  await writeFile(join(dir, 'img1.png'), 'not an image');
  const p = await openVideoInput(pat, { allowImage: true });
  assert.equal(p.info.video!.width, 64);
  await ok.cleanup();
  await p.cleanup();
});

test('a JPEG photo named .jpg or .jpeg is a still image input, decoded at its size', async () => {
  // ffmpeg's probe picks the refused image2 demuxer for these names; the guard names the JPEG one
  for (const name of ['photo.jpg', 'photo.JPEG', 'img%d.jpg']) {
    const jpg = join(dir, name);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=96x64', '-frames:v', '1', '-f', 'image2', '-update', '1', jpg]);
    const ok = await openVideoInput(jpg, { allowImage: true });
    assert.equal(ok.info.isStillImage, true, name);
    assert.equal(ok.info.video!.width, 96, name);
    const frames = await collect(decodeVideoFrames(jpg, { width: 96, height: 64 }));
    assert.equal(frames.length, 1, name);
    await ok.cleanup();
  }
  // a file that only claims to be a JPEG is still refused as not media
  const fake = join(dir, 'fake.jpg');
  await writeFile(fake, Buffer.alloc(2048, 7));
  await rejectsWith(openVideoInput(fake, { allowImage: true }), 'generation_input_video_invalid', /./);
});

test('unsupported codec and undecodable data are caught by decoding a frame', async () => {
  const bytes = Buffer.from(await readFile(good));
  // Same container, unknown sample entry: ffprobe still reads the header, no decoder exists.
  const badCodec = Buffer.from(bytes);
  const stsd = badCodec.indexOf('stsd');
  const avc1 = badCodec.indexOf('avc1', stsd);
  badCodec.write('zzzz', avc1, 'latin1');
  const p1 = join(dir, 'bad-codec.mp4');
  await writeFile(p1, badCodec);
  const info = await probeMedia(p1);
  assert.equal(info.video!.codec, 'unknown');
  await rejectsWith(openVideoInput(p1), 'generation_input_video_invalid', /does not decode.*(Decoder|codec)/i);
  // Intact index, garbage media data.
  const garbage = Buffer.from(bytes);
  const mdat = garbage.indexOf('mdat');
  garbage.fill(0x5a, mdat + 4);
  const p2 = join(dir, 'garbage.mp4');
  await writeFile(p2, garbage);
  await rejectsWith(openVideoInput(p2), 'generation_input_video_invalid', /does not decode/);
  await rejectsWith(openAudioInput(p2), 'generation_input_audio_invalid', /does not decode/);
});

test('absurd dimensions are refused; 4K UHD, DCI 4K and portrait 4K are accepted', async () => {
  const make = async (name: string, w: number, h: number): Promise<string> =>
    makeClip(join(dir, name), { width: w, height: h, source: 'color=c=gray', extra: ['-frames:v', '2'] });
  await rejectsWith(openVideoInput(await make('tiny.mp4', 8, 8)), 'generation_input_resolution_unsupported', /8×8/);
  await rejectsWith(openVideoInput(await make('wide.mp4', 4112, 64)), 'generation_input_resolution_unsupported', /4112×64/);
  for (const [w, h] of [[3840, 2160], [4096, 2160], [2160, 3840]]) {
    const ok = await openVideoInput(await make(`ok-${w}x${h}.mp4`, w, h));
    assert.equal(ok.info.video!.width, w);
    assert.equal(ok.info.video!.height, h);
  }
});

test('concat lists and m3u8 playlists are refused without reading the files they name', async () => {
  // The named file is a FIFO with no writer: opening it would block until the time limit, so a
  // quick "invalid" proves it was never opened.
  const fifo = join(dir, 'secret.mp4');
  execFileSync('mkfifo', [fifo]);
  const lists: Array<[string, string]> = [
    ['list.txt', `ffconcat version 1.0\nfile '${fifo}'\nfile '${good}'\n`],
    ['list2.txt', `file '${fifo}'\n`],
    ['play.m3u8', `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${fifo}\n#EXT-X-ENDLIST\n`],
    ['disguised.mp4', `#EXTM3U\n#EXTINF:2,\n${good}\n`],
  ];
  for (const [name, body] of lists) {
    const p = join(dir, name);
    await writeFile(p, body);
    const t0 = Date.now();
    await rejectsWith(openVideoInput(p, { probeTimeoutMs: 5000 }), 'generation_input_video_invalid', /playlist|list/);
    // Bypassing the sniff: ffprobe's demuxer whitelist alone refuses it, quickly.
    await rejectsWith(probeMedia(p, { timeoutMs: 5000 }), 'generation_input_video_invalid', /not accepted|not readable/);
    assert.ok(Date.now() - t0 < 4000, `${name} took ${Date.now() - t0} ms`);
  }
});

test('HTML and other text given as media is invalid', async () => {
  const html = join(dir, 'page.mp4');
  await writeFile(html, '<!DOCTYPE html><html><body>404 Not Found</body></html>');
  await rejectsWith(openVideoInput(html), 'generation_input_video_invalid', /HTML/);
  const txt = join(dir, 'notes.wav');
  await writeFile(txt, 'just some words\n');
  await rejectsWith(openAudioInput(txt), 'generation_input_audio_invalid', /text/);
  const bin = join(dir, 'random.bin');
  await writeFile(bin, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 0xff)));
  await rejectsWith(openVideoInput(bin), 'generation_input_video_invalid');
});

test('inputs under a subdirectory with spaces and quotes in the name still work', async () => {
  const sub = join(dir, "a dir with 'quotes'");
  await mkdir(sub);
  const p = join(sub, 'clip name.mp4');
  await writeFile(p, await readFile(good));
  const ok = await openVideoInput(p);
  assert.equal(ok.info.video!.height, 120);
});
