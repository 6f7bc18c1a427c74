/**
 * The Studio end to end in headless Chromium (playwright-core + Debian's chromium, which .ci/run
 * installs): `npm start`'s server with a fresh data directory, the key it prints, the fixture face
 * clip and a speech WAV uploaded through the page, the face clicked, the generation submitted and
 * followed to COMPLETED, the result played, the comparison slider moved, and the generation deleted.
 * Screenshots of every step go to RESYNC_STUDIO_SHOTS (default /tmp/resync-studio-shots), at laptop
 * (1280×800) and phone (390×844) widths.
 *
 * Skips with a message when Chromium, the built Studio or the API server is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { faceClip, speechWav } from './generate-fixtures.js';
import { mediaTools } from '../src/engine/media/tools.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.RESYNC_CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.RESYNC_STUDIO_SHOTS || '/tmp/resync-studio-shots';
const STUDIO_INDEX = join(ROOT, 'dist', 'studio', 'index.html');
const CLI_MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SERVER_BUILT = existsSync(join(ROOT, 'dist', 'src', 'server', 'server.js')) && existsSync(CLI_MAIN) && /commands\/serve\.js/.test(readFileSync(CLI_MAIN, 'utf8'));

function whyNot(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium; set RESYNC_CHROMIUM to use another)`;
  if (!existsSync(STUDIO_INDEX)) return 'the Studio is not built (npm run build:studio)';
  if (!SERVER_BUILT) return 'the API server is not built or `resync serve` is not wired into the CLI yet';
  return undefined;
}

const KEY_RE = /\b(rsk_[A-Za-z0-9_-]{16,})/;

async function findKeyFile(dir: string): Promise<string | undefined> {
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    if (e.isFile() && e.name.length < 80 && !/\.(db|sqlite|mp4|wav|db-wal|db-shm)$/i.test(e.name)) {
      const m = KEY_RE.exec(await readFile(p, 'utf8').catch(() => ''));
      if (m) return m[1];
    }
  }
  return undefined;
}

interface Served {
  base: string;
  key: string;
  log: () => string;
  stop: () => Promise<void>;
  /** Synchronous last resort (process exit): SIGKILL if still running. */
  kill: () => void;
}

/**
 * `npm start` (node bin/resync.js serve) on a free port and a fresh data directory. The key is
 * the one it prints on first run (or saves in the data directory); without one, a key is made
 * in the data directory the way `resync keys create` does.
 */
async function startServer(dataDir: string): Promise<Served> {
  let out = '';
  const proc: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin', 'resync.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--preset', 'ultrafast'], {
    cwd: dataDir,
    env: { ...process.env, RESYNC_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  proc.unref();
  (proc.stdout as unknown as { unref?: () => void }).unref?.();
  (proc.stderr as unknown as { unref?: () => void }).unref?.();
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null) return;
    proc.kill('SIGTERM');
    await new Promise<void>((r) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        r();
      }, 10_000);
      proc.once('exit', () => {
        clearTimeout(timer);
        r();
      });
    });
  };
  const t0 = Date.now();
  let base: string | undefined;
  while (!base) {
    if (proc.exitCode !== null) throw new Error(`resync serve exited (${proc.exitCode}):\n${out}`);
    if (Date.now() - t0 > 60_000) {
      await stop();
      throw new Error(`resync serve did not say where it listens within 60 s:\n${out}`);
    }
    base = /listening on (http:\/\/\S+?)[\s)]/.exec(out)?.[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 300));
  let key = KEY_RE.exec(out)?.[1] ?? (await findKeyFile(dataDir));
  if (!key) {
    const { openDb } = await import('../src/server/db.js');
    const { createKey } = await import('../src/server/keys.js');
    const db = openDb(dataDir);
    try {
      key = createKey(db, 'studio-e2e').key;
    } finally {
      db.close();
    }
  }
  const r = await fetch(`${base}/v2/generations?limit=1`, { headers: { 'x-api-key': key } });
  if (!r.ok) {
    await stop();
    throw new Error(`the key does not work (HTTP ${r.status}):\n${out}`);
  }
  return { base, key, log: () => out, stop, kill: () => void (proc.exitCode === null && proc.kill('SIGKILL')) };
}

test('Studio in headless Chromium: key, upload, face click, generate, play, compare, delete', { timeout: 8 * 60_000 }, async (t) => {
  const why = whyNot();
  if (why) {
    t.skip(`Studio browser test skipped: ${why}`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const work = await mkdtemp(join(tmpdir(), 'resync-studio-e2e-'));
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  const clip = faceClip(join(work, 'talking_head.mp4'), 1.5);
  const voice = (await speechWav(join(work, 'new_voice.wav'), 'hello there, my friend', 0.1, 0.1)).path;
  const dataDir = join(work, 'data');
  await mkdir(dataDir);
  const server = await startServer(dataDir);
  const profile = await mkdtemp(join(tmpdir(), 'resync-chromium-'));
  // a persistent context on a new, empty profile directory (Playwright owns --user-data-dir)
  // Never leave the server behind (a failed browser launch or a timed-out test would otherwise keep
  // this test file's process, and so the whole suite, from ending).
  process.once('exit', () => server.kill());
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    permissions: ['microphone'],
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  const consoleErrors: string[] = [];
  let step = 0;
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    const shot = async (name: string, full = true) => {
      step++;
      await page.screenshot({ path: join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: full });
    };
    const phone = async (name: string) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.waitForTimeout(300);
      await shot(`${name}-phone`);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.waitForTimeout(200);
    };

    // 1. The Studio at / asks for the key once.
    await page.goto(server.base + '/');
    await page.getByLabel('API key').waitFor();
    await shot('key');
    await page.getByLabel('API key').fill('rsk_wrong_key_for_the_test_000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').waitFor();
    assert.match(await page.getByRole('alert').innerText(), /key was not accepted/i);
    await shot('key-wrong');
    await page.getByLabel('API key').fill(server.key);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'New generation' }).waitFor();
    await shot('new-empty');
    await phone('new-empty');

    // ...and remembers it.
    await page.reload();
    await page.getByRole('heading', { name: 'New generation' }).waitFor();

    // 2. Upload the video and the audio; a wrong file is refused in plain words.
    await page.locator('input[data-slot="visual"]').setInputFiles(voice);
    assert.match(await page.getByTestId('drop-video').getByRole('alert').innerText(), /audio file.*voice track/i);
    await page.locator('input[data-slot="visual"]').setInputFiles(clip);
    const canvas = page.getByTestId('face-canvas');
    await canvas.waitFor();
    await page.waitForFunction(() => (document.querySelector('[data-testid="face-canvas"]') as HTMLCanvasElement | null)?.width === 400);
    await page.locator('input[data-slot="audio"]').setInputFiles(voice);
    await page.getByText('new_voice.wav').waitFor();

    // The server finds the face in the first frame (POST /v2/analyze/faces) and the picker outlines it.
    await page.getByText(/1 face outlined/).waitFor({ timeout: 30_000 });

    // 3. Click the face (in the fixture's 400×480 frame the face is left of centre, nose near (148, 240)).
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.37, y: box.height * 0.5 } });
    const pt = (await page.getByTestId('face-point').innerText()).split(',').map((s) => Number(s.trim()));
    // a click inside an outlined face selects that face: the point is the box centre (nose area)
    assert.ok(Math.abs(pt[0] - 148) <= 12 && Math.abs(pt[1] - 245) <= 15, `face point in video pixels: ${pt}`);
    // the face point also moves with the keyboard (arrow keys step 1/50 of the width)
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByTestId('face-point').innerText(), `${pt[0] + 8}, ${pt[1]}`);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.getByTestId('face-point').innerText(), `${pt[0]}, ${pt[1]}`);

    // 4. Settings and the estimate before submitting.
    await page.getByLabel('Model').selectOption('lipsync-2');
    await page.getByLabel('Sync mode').selectOption('cut_off');
    await page.getByTestId('estimate').getByText(/Estimated cost/).waitFor({ timeout: 15_000 });
    await page.getByLabel('Output file name').fill('studio_e2e_dub');
    await shot('new-filled');
    await phone('new-filled');

    // 5. Submit; progress shows while it runs; wait for COMPLETED.
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL(/#\/g\//);
    const id = decodeURIComponent(page.url().split('#/g/')[1]);
    const sent = await (await fetch(`${server.base}/v2/generate/${id}`, { headers: { 'x-api-key': server.key } })).json();
    assert.deepEqual(sent.options.active_speaker_detection, { auto_detect: false, frame_number: 0, coordinates: pt });
    assert.equal(sent.model, 'lipsync-2');
    await page.getByRole('progressbar').first().waitFor();
    await shot('progress');
    await page.getByTestId('after-video').waitFor({ timeout: 5 * 60_000 });
    const final = await (await fetch(`${server.base}/v2/generate/${id}`, { headers: { 'x-api-key': server.key } })).json();
    assert.equal(final.status, 'COMPLETED', JSON.stringify(final));

    // 6. Play the result: the output (with its audio) and the input advance together.
    await page.waitForFunction(() => ((document.querySelector('[data-testid="after-video"]') as HTMLVideoElement | null)?.readyState ?? 0) >= 2, undefined, { timeout: 20_000 });
    // The quality report (from the generation's reportUrl) is drawn as a timeline of its frames.
    const timeline = page.getByRole('figure', { name: 'Quality report timeline' });
    await timeline.waitFor({ timeout: 20_000 });
    const edited = Number(await page.getByTestId('legend-edited').locator('strong').textContent());
    const report = await (await fetch(final.reportUrl, { headers: { 'x-api-key': server.key } })).json();
    assert.equal(edited, report.frames.edited, 'the timeline shows the report of this generation');
    assert.ok(edited > 0);
    await shot('result');
    await page.getByTestId('play').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="after-video"]') as HTMLVideoElement).currentTime > 0.4, undefined, { timeout: 15_000 });
    const media = await page.evaluate(() => {
      const a = document.querySelector('[data-testid="after-video"]') as HTMLVideoElement;
      const b = document.querySelector('[data-testid="before-video"]') as HTMLVideoElement;
      return { a: a.currentTime, b: b.currentTime, aMuted: a.muted, bMuted: b.muted, w: a.videoWidth, h: a.videoHeight };
    });
    assert.equal(media.aMuted, false, 'the output plays with its audio');
    assert.equal(media.bMuted, true);
    assert.ok(media.w > 0 && media.h > 0, 'the output video decodes in the browser');
    assert.ok(Math.abs(media.a - media.b) < 0.35, `input follows output: ${media.a} vs ${media.b}`);
    await page.waitForFunction(() => (document.querySelector('[data-testid="after-video"]') as HTMLVideoElement).ended || (document.querySelector('[data-testid="after-video"]') as HTMLVideoElement).paused, undefined, { timeout: 15_000 });

    // 7. Move the comparison slider (drag on the picture), then seek and look at side by side.
    await page.getByTestId('timeline').fill('0.6');
    const stage = (await page.getByTestId('compare-stage').boundingBox())!;
    await page.mouse.click(stage.x + stage.width * 0.25, stage.y + stage.height * 0.5);
    const clipPath = await page.getByTestId('after-wrap').evaluate((e) => (e as HTMLElement).style.clipPath);
    const pos = Number(/inset\(0(?:px)? 0(?:px)? 0(?:px)? ([\d.]+)%\)/.exec(clipPath)?.[1]);
    assert.ok(pos > 15 && pos < 35, `divider moved to about a quarter: ${clipPath}`);
    await page.getByTestId('compare-slider').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(400);
    await shot('compare-slider');
    await phone('compare-slider');
    await page.getByRole('button', { name: 'Side by side' }).click();
    await page.waitForTimeout(300);
    await shot('compare-side');
    await page.getByRole('button', { name: 'Slider', exact: true }).click();

    // 8. Download with the chosen name.
    await page.getByLabel('Download as').fill('my_final_cut');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
    assert.equal(download.suggestedFilename(), 'my_final_cut.mp4');

    // 9. Re-run with other settings: the same inputs and face, another model; it runs while we go on.
    await page.getByRole('button', { name: 'Re-run with other settings' }).click();
    await page.getByRole('heading', { name: 'Re-run with other settings' }).waitFor();
    await page.getByTestId('face-point').waitFor();
    assert.equal(await page.getByTestId('face-point').innerText(), pt.join(', '));
    // the first run taught the Studio how long lipsync-2 takes here
    assert.match(await page.getByTestId('estimate-time').innerText({ timeout: 15_000 }), /About \d+:\d\d to make/);
    await page.getByLabel('Model').selectOption('sync-3');
    await page.getByLabel('Output file name').fill('studio_e2e_rerun');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL((u) => /#\/g\//.test(u.hash) && !u.hash.includes(id));
    const rerunId = decodeURIComponent(page.url().split('#/g/')[1]);
    const rerun = await (await fetch(`${server.base}/v2/generate/${rerunId}`, { headers: { 'x-api-key': server.key } })).json();
    assert.equal(rerun.model, 'sync-3');
    assert.deepEqual(rerun.input.map((i: { url: string }) => i.url), sent.input.map((i: { url: string }) => i.url), 'the re-run reuses the uploaded inputs');
    assert.deepEqual(rerun.options.active_speaker_detection.coordinates, pt);

    // 9b. A new one whose voice is recorded from the (fake) microphone, then replaced by typed text for
    //     the server's offline voice; it runs while we go on.
    await page.getByRole('link', { name: 'New' }).click();
    await page.getByRole('heading', { name: 'New generation' }).waitFor();
    await page.locator('input[data-slot="visual"]').setInputFiles(clip);
    await page.getByTestId('face-canvas').waitFor();
    await page.getByRole('tab', { name: 'Record' }).click();
    await page.getByRole('button', { name: /Record from microphone/ }).click();
    await page.getByRole('button', { name: /Stop recording/ }).waitFor();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: /Stop recording/ }).click();
    await page.getByText(/^recording\.(webm|ogg|m4a)$/).waitFor();
    await page.getByLabel('Voice track preview').waitFor();
    await shot('recorded');
    await page.getByRole('tab', { name: 'Type text' }).click();
    await page.getByLabel(/Text to speak/).fill('Good morning, everyone.');
    assert.equal(await page.getByLabel('Voice', { exact: true }).inputValue(), 'en-us');
    await page.getByLabel('Output file name').fill('studio_e2e_text');
    await shot('text');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL((u) => /#\/g\//.test(u.hash) && !u.hash.includes(id) && !u.hash.includes(rerunId));
    const textId = decodeURIComponent(page.url().split('#/g/')[1]);
    const textGen = await (await fetch(`${server.base}/v2/generate/${textId}`, { headers: { 'x-api-key': server.key } })).json();
    const said = textGen.input.find((i: { type: string }) => i.type === 'text');
    assert.equal(said?.provider?.script, 'Good morning, everyone.', JSON.stringify(textGen.input));
    assert.equal(said?.provider?.voiceId, 'en-us');

    // 10. A batch from a JSONL file (two requests on the uploaded inputs): metrics, then the results file.
    const jsonl = join(work, 'two_takes.jsonl');
    const lines = ['take_a', 'take_b'].map((rid, i) => JSON.stringify({ request_id: rid, endpoint: '/v2/generate', payload: { model: 'lipsync-2', input: sent.input, options: { sync_mode: 'cut_off', temperature: 0.3 + 0.4 * i }, outputFileName: rid } }));
    await writeFile(jsonl, lines.join('\n') + '\n');
    await page.getByRole('link', { name: 'Batches' }).click();
    await page.getByRole('heading', { name: 'Batches' }).waitFor();
    await page.locator('input[data-slot="batch"]').setInputFiles(jsonl);
    await page.getByText(/Submitted 2 requests/).waitFor();
    await page.locator('table.batches tbody tr').first().waitFor();
    await shot('batch-running');
    await page.locator('table.batches tbody tr').first().getByText('COMPLETED').waitFor({ timeout: 4 * 60_000 });
    assert.match(await page.locator('table.batches tbody tr').first().innerText(), /2✓ 2\/2/);
    await shot('batch-done');
    await phone('batch-done');
    const [results] = await Promise.all([page.waitForEvent('download'), page.locator('table.batches tbody tr').first().getByRole('button', { name: 'Download' }).click()]);
    const resultLines = (await readFile((await results.path())!, 'utf8')).trim().split('\n');
    assert.equal(resultLines.length, 2, 'one result line per request');

    // 10b. An API error in plain words: a clip without a face fails, and the page says what to do next.
    const noFace = join(work, 'empty_room.mp4');
    execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240:d=1.2:r=25', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', noFace]);
    await page.getByRole('link', { name: 'New' }).click();
    await page.getByRole('heading', { name: 'New generation' }).waitFor();
    await page.locator('input[data-slot="visual"]').setInputFiles(noFace);
    await page.getByTestId('face-canvas').waitFor();
    await page.locator('input[data-slot="audio"]').setInputFiles(voice);
    await page.getByText('new_voice.wav').waitFor();
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.waitForURL((u) => /#\/g\//.test(u.hash) && ![id, rerunId, textId].some((x) => u.hash.includes(x)));
    const failedId = decodeURIComponent(page.url().split('#/g/')[1]);
    const problem = page.getByRole('alert').filter({ hasText: 'What to do' });
    await problem.waitFor({ timeout: 3 * 60_000 });
    const said2 = await problem.innerText();
    assert.match(said2, /No face was found/i);
    assert.match(said2, /Code: generation_no_face_detected/);
    await shot('error-no-face');
    await phone('error-no-face');

    // 11. The library lists them all, filters by status; delete the first generation from its page.
    await page.getByRole('link', { name: 'Library' }).click();
    await page.locator(`li[data-id="${rerunId}"][data-status="COMPLETED"]`).waitFor({ timeout: 3 * 60_000 });
    await page.locator(`li[data-id="${textId}"][data-status="COMPLETED"]`).waitFor({ timeout: 3 * 60_000 });
    await page.locator(`li[data-id="${id}"]`).waitFor();
    await page.getByRole('button', { name: 'Completed', exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('li.lib-item').length >= 5 && [...document.querySelectorAll('li.lib-item')].every((e) => (e as HTMLElement).dataset.status === 'COMPLETED'));
    await page.waitForTimeout(800);
    await shot('library');
    await phone('library');
    await page.getByRole('button', { name: 'Failed', exact: true }).click();
    await page.locator(`li[data-id="${failedId}"][data-status="FAILED"]`).waitFor();
    assert.equal(await page.locator('li.lib-item').count(), 1, 'only the failed one under "Failed"');
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.locator(`li[data-id="${id}"]`).getByRole('button', { name: /^Open/ }).click();
    await page.getByTestId('after-video').waitFor();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId('confirm-delete').click();
    await page.waitForURL(/#\/library/);
    await page.locator(`li[data-id="${rerunId}"]`).waitFor();
    await page.locator(`li[data-id="${id}"]`).waitFor({ state: 'detached' });
    await shot('deleted');
    const gone = await fetch(`${server.base}/v2/generate/${id}`, { headers: { 'x-api-key': server.key } });
    assert.equal(gone.status, 404);

    // 12. After a reload the session's generations are still in the bar at the top (not the deleted one).
    await page.reload();
    await page.locator('.tray-item').filter({ hasText: 'studio_e2e_rerun' }).waitFor();
    await page.locator('.tray-item').filter({ hasText: 'studio_e2e_text' }).waitFor();
    assert.equal(await page.locator('.tray-item').filter({ hasText: 'studio_e2e_dub' }).count(), 0);

    assert.deepEqual(consoleErrors.filter((e) => !/favicon|Failed to load resource/.test(e)), [], 'no errors in the page');
  } catch (e) {
    throw new Error(`${(e as Error).stack}\n--- server log (tail) ---\n${server.log().slice(-3000)}`);
  } finally {
    await context.close();
    await server.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
});
