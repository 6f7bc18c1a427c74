/**
 * Encoder-settings experiment: how much of the edited mouth's fine texture an encoder setting keeps.
 * It re-encodes a lossless generation output (`resync generate ... --crf 0 --report r.json`) with
 * each variant and reports, over the frames the report says were edited, the Laplacian variance of
 * the green channel inside each frame's edit region relative to the lossless frame's ("detail
 * kept"), the bit rate and the encode time.
 *
 *   npx tsc -p . && node dist/scripts/experiment-encoder.js --video lossless.mp4 --report r.json
 *       [--codec libx265] [--pix-fmt yuv420p10le] [--preset veryfast]
 *       [--variants "crf=18;crf=15;crf=15:aq-mode=3:no-sao=1:deblock=-1,-1"]
 *
 * A variant is `crf=N` followed by the encoder's own parameters (x265-params or x264-params).
 *
 * Session 11 (M003 as the benchmark's derived 10-bit HLG copy ← W040, lossless HEVC output,
 * libx265 veryfast): x265's defaults kept 0.73 of the detail at CRF 18 (2.1 Mbit/s) and 0.80 at
 * CRF 15 (3.2 Mbit/s); at CRF 16, SAO off 0.84, aq-mode 3 0.83, both 0.90, both with deblock −1
 * 0.93; that at CRF 15 0.95 (3.4 Mbit/s), at CRF 14 0.96 (3.7 Mbit/s); psy-rd 3 and psy-rdoq 1
 * alone changed nothing at veryfast, which switches RDOQ off. With RDOQ back on (CRF 15, on top of
 * the three): rdoq-level 2 + psy-rdoq 1.0 1.06 (3.7 Mbit/s), psy-rdoq 0.5 1.04 (3.7 Mbit/s),
 * rdoq-level 1 + psy-rdoq 1.0 1.10 (4.1 Mbit/s); cutree off 0.98 at 4.8 Mbit/s; aq-strength 1.2,
 * deblock −2, psy-rd 2.5 with rd 3: 0.96 or less. Adopted: X265_TUNING at the x264 CRF number
 * (encode-args.ts), with rdoq-level 2 and psy-rdoq 0.5: 1.04, about as much texture as the
 * lossless frames.
 *
 * Session 15 (faster x265 presets with X265_TUNING, same lossless output, one run while another
 * job shared the CPU, so times are only comparable within it): superfast at CRF 15 kept 0.99 of
 * the detail at 1.9 Mbit/s in 13.7 s, at CRF 13 1.03 at 2.6 Mbit/s in 14.5 s, against veryfast
 * CRF 15's 1.07 at 3.6 Mbit/s in 21.5 s; ultrafast CRF 15 0.97. The whole frame's PSNR against the
 * lossless frames (ffmpeg's psnr filter, by hand): veryfast CRF 15 56.9 dB (luma), superfast
 * CRF 13 54.5 dB, CRF 12 55.1 dB. A third less encoder time for 2–2.4 dB less fidelity: not
 * adopted, as 10-bit input is mostly graded or HDR footage whose owners want the quality.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { mediaTools } from '../src/engine/media/tools.js';
import type { GenerateReport } from '../src/engine/generate/report.js';
import { arg } from './lib/args.js';

/** Per frame: the variance of the 4-neighbour Laplacian of green inside the edit region (NaN where nothing was edited). */
async function regionDetail(path: string, rep: GenerateReport): Promise<number[]> {
  const { width: W, height: H } = rep.output;
  const out: number[] = [];
  for await (const f of decodeVideoFrames(path, { width: W, height: H })) {
    const r = rep.perFrame[f.index]?.region;
    if (!r || r[2] < 3 || r[3] < 3) {
      out.push(NaN);
      continue;
    }
    const g = (x: number, y: number): number => f.data[(y * W + x) * 3 + 1];
    let s = 0, s2 = 0, n = 0;
    for (let y = r[1] + 1; y < r[1] + r[3] - 1; y++) {
      for (let x = r[0] + 1; x < r[0] + r[2] - 1; x++) {
        const l = 4 * g(x, y) - g(x - 1, y) - g(x + 1, y) - g(x, y - 1) - g(x, y + 1);
        s += l;
        s2 += l * l;
        n++;
      }
    }
    out.push(s2 / n - (s / n) ** 2);
  }
  return out;
}

const video = arg('video', '');
const reportPath = arg('report', '');
if (!video || !reportPath) throw new Error('--video (a lossless generation output) and --report (its report) are required');
const codec = arg('codec', 'libx265');
const pixFmt = arg('pix-fmt', 'yuv420p10le');
const preset = arg('preset', 'veryfast');
const variants = arg('variants', 'crf=18;crf=15;crf=15:aq-mode=3:no-sao=1:deblock=-1,-1').split(';');
const rep = JSON.parse(readFileSync(reportPath, 'utf8')) as GenerateReport;
const ref = await regionDetail(video, rep);
const dir = mkdtempSync(join(tmpdir(), 'resync-encoder-exp-'));
try {
  for (const v of variants) {
    const [crfPart, ...params] = v.split(':');
    const crf = crfPart.replace(/^crf=/, '');
    const out = join(dir, 'out.mp4');
    const paramFlag = codec === 'libx265' ? '-x265-params' : '-x264-params';
    const t = performance.now();
    execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-i', video, '-an', '-c:v', codec, '-preset', preset, '-crf', crf, '-pix_fmt', pixFmt,
      ...(params.length || codec === 'libx265' ? [paramFlag, ['log-level=error', ...params].join(':')] : []), out]);
    const seconds = (performance.now() - t) / 1000;
    const got = await regionDetail(out, rep);
    const kept = got.map((g, i) => g / ref[i]).filter(Number.isFinite);
    const mean = kept.reduce((s, x) => s + x, 0) / Math.max(1, kept.length);
    console.log(`${v.padEnd(44)} detail kept ${mean.toFixed(3)}  ${Math.round((statSync(out).size * 8) / 1000 / rep.output.duration)} kbit/s  ${seconds.toFixed(1)} s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
