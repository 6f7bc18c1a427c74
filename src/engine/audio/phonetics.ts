/**
 * Articulation targets from phoneme timings (IPA, as espeak-ng reports them). Used to make
 * training targets for synthetic speech and to check predictions in tests; nothing at run time
 * needs a transcript.
 *
 * Values follow the IPA vowel chart (openness → lip gap and jaw; rounding/spreading → width) and
 * place of articulation for consonants (bilabials close the lips, labiodentals put the lower lip
 * on the upper teeth, other consonants take a reduced version of the neighbouring vowels: the
 * lips are free while the tongue does the work).
 */
import { FEATURE_RATE } from './features.js';

export interface PhonemeEvent {
  /** IPA as espeak-ng writes it (stress marks allowed), '' for a pause. */
  ipa: string;
  /** Start time, seconds (for stops espeak marks the release). */
  start: number;
  end: number;
}

interface Target {
  lipGap: number;
  jaw: number;
  width: number;
}

const OPEN: Record<string, number> = {};
const setAll = (chars: string, v: number): void => {
  for (const c of chars) OPEN[c] = v;
};
setAll('iyɨʉɯuɪʏʊ', 0.3);
setAll('eøɘɵɤoə', 0.5);
setAll('ɚɜɞʌɛœɔ', 0.7);
setAll('æɐ', 0.85);
setAll('aɶäɑɒ', 1.0);
const ROUNDED = new Set('yʉuʏʊøɵoœɞɔɶɒw');
const SPREAD = new Set('iɪeɛæɨ');

const BILABIAL = new Set(['p', 'b', 'm', 'ɸ', 'β', 'ʙ']);
const LABIODENTAL = new Set(['f', 'v', 'ʋ', 'ɱ']);
/** Sibilants narrow the jaw; postalveolars protrude (round) the lips slightly. */
const SIBILANT = new Set(['s', 'z', 'ʃ', 'ʒ', 'ɕ', 'ʑ', 'ʂ', 'ʐ', 'ts', 'dz', 'tʃ', 'dʒ', 'tɕ', 'dʑ', 'tʂ', 'dʐ']);
const POSTALVEOLAR = new Set(['ʃ', 'ʒ', 'tʃ', 'dʒ', 'ʂ', 'ʐ', 'tʂ', 'dʐ']);

/** Strips stress, length and most diacritics: 'ˈɑː' → 'ɑ', 'ɔ̃' → 'ɔ', 's.' → 's'. */
export function basePhone(ipa: string): string {
  return ipa.normalize('NFD').replace(/[ˈˌːˑ.\u0300-\u036f\u02b0-\u02ff\u1dc0-\u1dff-]/g, '');
}

export function vowelChars(ipa: string): string[] {
  return [...basePhone(ipa)].filter((c) => c in OPEN && c !== 'w');
}

export function isVowel(ipa: string): boolean {
  return vowelChars(ipa).length > 0 && !BILABIAL.has(basePhone(ipa));
}

function vowelTarget(c: string): Target {
  const open = OPEN[c];
  return { lipGap: open, jaw: 0.85 * open + 0.05, width: ROUNDED.has(c) ? -0.8 : SPREAD.has(c) ? 0.5 : 0 };
}

export type Kind = 'pause' | 'vowel' | 'bilabial' | 'labiodental' | 'other';

export function phoneKind(ipa: string): Kind {
  const b = basePhone(ipa);
  if (!b) return 'pause';
  if (BILABIAL.has(b) || BILABIAL.has(b[0])) return 'bilabial';
  if (LABIODENTAL.has(b) || LABIODENTAL.has(b[0])) return 'labiodental';
  if (isVowel(ipa)) return 'vowel';
  return 'other';
}

export interface TargetTrack {
  /** Per 100 Hz frame, frame i at i / 100 s. */
  lipGap: Float32Array;
  jaw: Float32Array;
  width: Float32Array;
  closure: Float32Array;
  labiodental: Float32Array;
  voice: Float32Array;
}

/** Bilabial stops: the lips close this long before the release espeak reports. */
export const STOP_CLOSURE_LEAD = 0.06;

/**
 * Target articulation at 100 Hz for a phoneme sequence. Segment values are keyed at segment
 * centres and interpolated (coarticulation), contacts (closure, labiodental) are laid on top with
 * their own timing, and everything is smoothed with a ~25 ms zero-phase lowpass because lips
 * have mass.
 */
export function targetsFromPhonemes(events: PhonemeEvent[], duration: number): TargetTrack {
  const n = Math.ceil(duration * FEATURE_RATE) + 1;
  const tr: TargetTrack = {
    lipGap: new Float32Array(n),
    jaw: new Float32Array(n),
    width: new Float32Array(n),
    closure: new Float32Array(n),
    labiodental: new Float32Array(n),
    voice: new Float32Array(n),
  };
  // Keyframes: [time, target]. Pauses key 'rest' at both ends so silence is flat.
  const keys: [number, Target][] = [];
  const rest: Target = { lipGap: 0, jaw: 0, width: 0 };
  const nearestVowel = (i: number): Target => {
    for (let d = 1; d < 4; d++) {
      for (const j of [i + d, i - d]) {
        const e = events[j];
        if (e && phoneKind(e.ipa) === 'vowel') return vowelTarget(vowelChars(e.ipa)[0]);
        if (e && phoneKind(e.ipa) === 'pause') break;
      }
    }
    return { lipGap: 0.4, jaw: 0.35, width: 0 };
  };
  events.forEach((e, i) => {
    const kind = phoneKind(e.ipa);
    const b = basePhone(e.ipa);
    const mid = (e.start + e.end) / 2;
    if (kind === 'pause') {
      keys.push([e.start + 0.03, rest], [e.end - 0.03, rest]);
    } else if (kind === 'vowel') {
      const vs = vowelChars(e.ipa);
      if (vs.length === 1) keys.push([mid, vowelTarget(vs[0])]);
      else vs.forEach((c, k) => keys.push([e.start + ((k + 0.5) / vs.length) * (e.end - e.start), vowelTarget(c)]));
    } else if (kind === 'bilabial') {
      const t = b === 'm' ? mid : e.start - STOP_CLOSURE_LEAD / 2;
      keys.push([t, { lipGap: 0, jaw: 0.15, width: 0 }]);
    } else if (kind === 'labiodental') {
      keys.push([mid, { lipGap: 0.08, jaw: 0.12, width: 0.1 }]);
    } else {
      const v = nearestVowel(i);
      const sib = SIBILANT.has(b) || SIBILANT.has(b.slice(0, 2));
      const round = POSTALVEOLAR.has(b) || POSTALVEOLAR.has(b.slice(0, 2)) || b === 'w' || b === 'ɥ';
      keys.push([
        mid,
        {
          lipGap: sib ? 0.12 : 0.15 + 0.45 * v.lipGap,
          jaw: sib ? 0.08 : 0.1 + 0.5 * v.jaw,
          width: round ? -0.6 : sib ? 0.3 : 0.6 * v.width,
        },
      ]);
    }
    if (kind !== 'pause') {
      const a = Math.max(0, Math.floor(e.start * FEATURE_RATE));
      const z = Math.min(n, Math.ceil(e.end * FEATURE_RATE));
      for (let k = a; k < z; k++) tr.voice[k] = 1;
    }
  });
  keys.sort((a, b) => a[0] - b[0]);
  const chans = ['lipGap', 'jaw', 'width'] as const;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = i / FEATURE_RATE;
    while (j < keys.length - 1 && keys[j + 1][0] <= t) j++;
    const [t0, a] = keys[j] ?? [0, rest];
    const [t1, b] = keys[j + 1] ?? [t0, a];
    const f = t <= t0 ? 0 : t1 > t0 ? Math.min(1, (t - t0) / (t1 - t0)) : 0;
    const before = keys.length && t < keys[0][0];
    for (const c of chans) tr[c][i] = before ? 0 : a[c] + f * (b[c] - a[c]);
  }
  // Contacts with their own timing.
  for (const e of events) {
    const kind = phoneKind(e.ipa);
    if (kind !== 'bilabial' && kind !== 'labiodental') continue;
    const b = basePhone(e.ipa);
    const [from, to] = kind === 'bilabial' && b !== 'm' ? [e.start - STOP_CLOSURE_LEAD, e.start + 0.005] : [e.start, e.end];
    const arr = kind === 'bilabial' ? tr.closure : tr.labiodental;
    for (let k = Math.max(0, Math.round(from * FEATURE_RATE)); k < Math.min(n, Math.round(to * FEATURE_RATE)); k++) {
      arr[k] = 1;
      if (kind === 'bilabial') tr.lipGap[k] = 0;
      else tr.lipGap[k] = Math.min(tr.lipGap[k], 0.08);
    }
  }
  for (const c of ['lipGap', 'jaw', 'width', 'closure', 'labiodental'] as const) smoothZeroPhase(tr[c], 0.6);
  return tr;
}

/** Forward-backward one-pole lowpass (a = pole; 0.6 at 100 Hz ≈ 20 ms time constant). */
export function smoothZeroPhase(x: Float32Array, a: number): void {
  let y = x[0] ?? 0;
  for (let i = 0; i < x.length; i++) x[i] = y = a * y + (1 - a) * x[i];
  y = x[x.length - 1] ?? 0;
  for (let i = x.length - 1; i >= 0; i--) x[i] = y = a * y + (1 - a) * x[i];
}
