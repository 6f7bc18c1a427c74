import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openVideoInput, openAudioInput } from '../src/engine/media/validate.js';
import { resolveInput } from '../src/engine/media/input.js';
import { forbiddenAddressReason, parseIPv6 } from '../src/engine/media/address-guard.js';
import { makeTempDir, makeClip, makeSine, rejectsWith } from './media-fixtures.js';

let dir = '';
let remove: () => Promise<void> = async () => {};
let server: http.Server;
let port = 0;
let clip: Buffer;
let wav: Buffer;
const hits: string[] = [];

before(async () => {
  ({ dir, remove } = await makeTempDir());
  clip = await readFile(await makeClip(join(dir, 'clip.mp4'), { seconds: 1, audio: true, faststart: true }));
  wav = await readFile(await makeSine(join(dir, 'tone.wav')));
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const u = new URL(req.url ?? '/', 'http://x');
    switch (u.pathname) {
      case '/clip.bin': // no telling extension, wrong content type: content is sniffed
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': clip.length });
        res.end(clip);
        return;
      case '/tone':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(wav);
        return;
      case '/to-loopback': // redirect to a loopback address
        res.writeHead(302, { location: `http://127.0.0.1:${port}/clip.bin` });
        res.end();
        return;
      case '/to-relative':
        res.writeHead(301, { location: '/clip.bin' });
        res.end();
        return;
      case '/loop':
        res.writeHead(302, { location: '/loop' });
        res.end();
        return;
      case '/to-file':
        res.writeHead(302, { location: `file://${join(dir, 'clip.mp4')}` });
        res.end();
        return;
      case '/big-declared':
        res.writeHead(200, { 'content-length': 50_000_000 });
        res.write(clip.subarray(0, 1000));
        return; // never finishes: the client must give up on the header alone
      case '/big-chunked': {
        res.writeHead(200);
        let sent = 0;
        const push = (): void => {
          if (sent > 5_000_000 || res.destroyed) {
            res.end();
            return;
          }
          sent += 64 * 1024;
          res.write(Buffer.alloc(64 * 1024, 1), () => setImmediate(push));
        };
        res.write(clip.subarray(0, 4096));
        push();
        return;
      }
      case '/slow':
        res.writeHead(200, { 'content-length': clip.length });
        res.write(clip.subarray(0, 100));
        setTimeout(() => res.destroyed || res.end(clip.subarray(100)), 5000).unref();
        return;
      case '/html':
        res.writeHead(200, { 'content-type': 'video/mp4' });
        res.end('<!doctype html><html><head><title>Login</title></head><body>Please sign in</body></html>');
        return;
      case '/playlist':
        res.writeHead(200, { 'content-type': 'video/mp4' });
        res.end(`#EXTM3U\n#EXTINF:1,\n${join(dir, 'clip.mp4')}\n`);
        return;
      case '/empty':
        res.writeHead(200, { 'content-length': 0 });
        res.end();
        return;
      default:
        res.writeHead(404);
        res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await remove();
});

const local = (path: string): string => `http://127.0.0.1:${port}${path}`;
const allow = { allowHosts: ['127.0.0.1'] };


test('allowed URL: fetched by content (not extension), probed, and cleaned up', async () => {
  const opened = await openVideoInput(local('/clip.bin'), allow);
  assert.equal(opened.fetched, true);
  assert.ok(opened.path.endsWith('.mp4'), opened.path);
  assert.equal(opened.info.video!.width, 160);
  assert.ok(existsSync(opened.path));
  await opened.cleanup();
  assert.ok(!existsSync(opened.path));
  const audio = await openAudioInput(local('/tone'), { allowPrivate: true });
  assert.ok(audio.path.endsWith('.wav'));
  assert.equal(audio.info.audio!.sampleRate, 48000);
  await audio.cleanup();
  const relative = await resolveInput(local('/to-relative'), 'video', allow);
  assert.equal(relative.sizeBytes, clip.length);
  await relative.cleanup();
});

test('loopback is refused by default, by IP literal and by a name resolving to it', async () => {
  const before = hits.length;
  await rejectsWith(openVideoInput(local('/clip.bin')), 'generation_input_video_inaccessible', /127\.0\.0\.1 is loopback/);
  await rejectsWith(openAudioInput(`http://localhost:${port}/tone`), 'generation_input_audio_inaccessible', /localhost resolves to .* loopback/);
  await rejectsWith(openVideoInput(`http://[::1]:${port}/clip.bin`), 'generation_input_video_inaccessible', /loopback/);
  await rejectsWith(openVideoInput(`http://[::ffff:127.0.0.1]:${port}/clip.bin`), 'generation_input_video_inaccessible', /IPv4-mapped loopback/);
  await rejectsWith(openVideoInput(`http://2130706433:${port}/clip.bin`), 'generation_input_video_inaccessible', /loopback/);
  await rejectsWith(openVideoInput('http://169.254.169.254/latest/meta-data/'), 'generation_input_video_inaccessible', /link-local/);
  assert.equal(hits.length, before, 'no request may reach the server');
});

test('a redirect to a loopback address is refused even when the first host was allowed', async () => {
  await rejectsWith(
    openVideoInput(`http://localhost:${port}/to-loopback`, { allowHosts: ['localhost'] }),
    'generation_input_video_inaccessible',
    /127\.0\.0\.1 is loopback/,
  );
  await rejectsWith(openVideoInput(local('/to-file'), allow), 'generation_input_video_inaccessible', /unsupported scheme "file:"/);
  await rejectsWith(openVideoInput(local('/loop'), { ...allow, maxRedirects: 2 }), 'generation_input_video_inaccessible', /more than 2 times/);
});

test('DNS answers with any private address are refused before connecting', async () => {
  let asked = 0;
  const resolver = async (): Promise<Array<{ address: string; family: number }>> => {
    asked++;
    return [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.7', family: 4 }];
  };
  await rejectsWith(resolveInput('http://media.example/clip.mp4', 'video', { resolver }), 'generation_input_video_inaccessible', /media\.example resolves to 10\.0\.0\.7/);
  assert.equal(asked, 1);
});

test('size and time limits: declared and streamed oversize bodies, a stalled server', async () => {
  await rejectsWith(openVideoInput(local('/big-declared'), { ...allow, maxBytes: 1_000_000 }), 'generation_input_too_large', /50000000 bytes/);
  await rejectsWith(openVideoInput(local('/big-chunked'), { ...allow, maxBytes: 1_000_000 }), 'generation_input_too_large', /over the 1000000-byte limit/);
  const t0 = Date.now();
  await rejectsWith(openVideoInput(local('/slow'), { ...allow, timeoutMs: 600 }), 'generation_input_timeout');
  assert.ok(Date.now() - t0 < 3000);
  await rejectsWith(openVideoInput(local('/slow'), { ...allow, idleTimeoutMs: 300 }), 'generation_input_timeout', /stopped sending/);
});

test('HTML pages, playlists, empty bodies and HTTP errors', async () => {
  await rejectsWith(openVideoInput(local('/html'), allow), 'generation_input_video_invalid', /HTML page/);
  await rejectsWith(openVideoInput(local('/playlist'), allow), 'generation_input_video_invalid', /playlist/);
  await rejectsWith(openAudioInput(local('/empty'), allow), 'generation_input_audio_invalid', /empty/);
  await rejectsWith(openVideoInput(local('/missing'), allow), 'generation_input_video_inaccessible', /HTTP 404/);
  await rejectsWith(openVideoInput(`http://127.0.0.1:1/x.mp4`, allow), 'generation_input_video_inaccessible', /ECONNREFUSED/);
});

test('RESYNC_ALLOW_PRIVATE_URLS=1 permits local addresses', async () => {
  process.env.RESYNC_ALLOW_PRIVATE_URLS = '1';
  try {
    const r = await resolveInput(local('/clip.bin'), 'video');
    assert.equal(r.sizeBytes, clip.length);
    await r.cleanup();
  } finally {
    delete process.env.RESYNC_ALLOW_PRIVATE_URLS;
  }
});

test('address classification', () => {
  const refused = [
    '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
    '100.127.255.255', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::', '::1', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'fe80::1%eth0',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '2002:7f00:1::1', '::127.0.0.1', 'not-an-ip',
  ];
  const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '100.63.255.255', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
  for (const a of refused) assert.ok(forbiddenAddressReason(a), `${a} should be refused`);
  for (const a of allowed) assert.equal(forbiddenAddressReason(a), undefined, `${a} should be allowed`);
  assert.deepEqual(parseIPv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
  assert.deepEqual(parseIPv6('1::'), [1, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(parseIPv6('1:2'), undefined);
});
