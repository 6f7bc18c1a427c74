/**
 * The shared development clips (../shared/data, research-only footage, never copied into the
 * repository). Benchmarks read them by path; they are absent on a user's fresh clone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface SharedClip {
  /** Path relative to data/, e.g. raw/filby89__spectre/M003_level_1_disgusted_015.mp4 */
  rel: string;
  path: string;
  name: string;
  resolution: string;
  fps: number;
  duration: number;
  hasAudio: boolean;
  ownSyncedAudio: boolean;
  language: string;
  view: string;
}

export function findSharedData(): string | undefined {
  const candidates = [process.env.RESYNC_SHARED_DATA, resolve(process.cwd(), '../shared/data'), resolve(process.cwd(), '../../shared/data')];
  return candidates.find((c): c is string => !!c && existsSync(join(c, 'SOURCES.md')));
}

/** Parses the video table of SOURCES.md. */
export function listSharedVideos(dataDir: string): SharedClip[] {
  const text = readFileSync(join(dataDir, 'SOURCES.md'), 'utf8');
  const section = text.split('## Videos')[1] ?? '';
  const rows: SharedClip[] = [];
  for (const line of section.split('\n')) {
    if (!line.startsWith('| raw/')) continue;
    const cells = line.split('|').map((c) => c.trim());
    // | local path | source repo | path in repo | commit | licence | resolution | fps | dur | has audio | language | view | framing | occlusion | faces | speaking | own synced audio | notes |
    const rel = cells[1];
    if (!/\.(mp4|mpg|mov|mkv|webm|avi)$/i.test(rel)) continue;
    const path = join(dataDir, rel);
    if (!existsSync(path)) continue;
    rows.push({
      rel,
      path,
      name: rel.replace(/^raw\//, '').replace(/\.[^.]+$/, ''),
      resolution: cells[6],
      fps: Number(cells[7]),
      duration: Number(cells[8]),
      hasAudio: /^yes/i.test(cells[9]),
      language: cells[10],
      view: cells[11],
      ownSyncedAudio: /\*\*YES/.test(cells[16] ?? ''),
    });
  }
  return rows;
}
