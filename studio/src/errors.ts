/** API errors in plain words, with what to do next. */
import { ApiError, type ErrorCatalogueEntry } from './api';

export interface PlainError {
  title: string;
  detail: string;
  next: string;
  code?: string;
}

const KNOWN: Array<{ match: RegExp; title: string; next: string }> = [
  { match: /network_error/, title: 'The server is not answering', next: 'Check that the server (npm start) is still running, then try again.' },
  { match: /^unauthori[sz]ed$|^401$/, title: 'The API key was not accepted', next: 'Paste the key that npm start printed on its first run, or make a new one with “resync keys create”.' },
  { match: /face_selection|no_face|face_not_found|noface/, title: 'No face was found to sync', next: 'Use a clip where the face is visible and frontal, or click directly on the face in the first frame.' },
  { match: /duration_greater|duration_exceeded|too_long|max_duration/, title: 'The input is too long', next: 'Trim the video or audio to a shorter piece, or split it into several generations.' },
  { match: /video_invalid|audio_invalid|image_invalid|unsupported_format|format|resolution_unsupported|asset_type_mismatch/, title: 'A file is in a format the server cannot read', next: 'Use an MP4/MOV/WebM video (or JPEG/PNG image) and a WAV/MP3/M4A/OGG/FLAC audio file.' },
  { match: /inaccessible/, title: 'An input could not be downloaded', next: 'Check that the URL is public and still valid, or upload the file instead.' },
  { match: /file_size|payload_too_large|413/, title: 'A file is too large', next: 'Compress or trim the file and upload it again.' },
  { match: /too_many_visual|dub_audio_conflict|input_validation|segments_invalid|trim_invalid/, title: 'The request is missing something or has too much', next: 'Pick exactly one video (or image) and one audio (or text).' },
  { match: /not_deletable|409/, title: 'This generation is still running', next: 'Wait until it has finished (or failed), then delete it.' },
  { match: /not_found|404/, title: 'Not found', next: 'It may have been deleted; refresh the library.' },
  { match: /rate_limit|concurrency/, title: 'Too many generations at once', next: 'Wait for one of the running generations to finish, then submit again.' },
  { match: /unsupported_model|plan_feature/, title: 'That model is not available here', next: 'Choose another model in the list.' },
  { match: /pipeline_failed|unknown_error|internal|500/, title: 'The generation failed on the server', next: 'Try again; if it keeps failing, try another clip or look at the server log.' },
];

export function explain(err: unknown, catalogue: ErrorCatalogueEntry[] = []): PlainError {
  let code: string | undefined;
  let detail: string;
  let status = 0;
  if (err instanceof ApiError) {
    code = err.code;
    detail = err.message;
    status = err.status;
  } else if (err && typeof err === 'object' && 'errorCode' in err) {
    const g = err as { errorCode?: string | null; error?: string | null };
    code = g.errorCode ?? undefined;
    detail = g.error ?? 'The generation failed.';
  } else {
    detail = err instanceof Error ? err.message : String(err);
  }
  const key = (code ?? (status === 401 ? 'unauthorized' : String(status))).toLowerCase();
  const hay = `${key} ${detail.toLowerCase()}`;
  const fromCatalogue = code ? catalogue.find((c) => c.code === code) : undefined;
  // our own advice for the codes people meet most; the server's catalogue for the rest
  const byCode = KNOWN.find((k) => k.match.test(key));
  const byText = KNOWN.find((k) => k.match.test(hay.replace(/\s+/g, '_')));
  const known = byCode ?? byText;
  const norm = (t: string) => t.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  const extra = fromCatalogue?.message && norm(fromCatalogue.message) !== norm(detail) ? ` (${fromCatalogue.message})` : '';
  return {
    title: known?.title ?? (status >= 500 ? 'The server had a problem' : 'Something went wrong'),
    detail: `${detail.charAt(0).toUpperCase()}${detail.slice(1)}${/[.!?]$/.test(detail) ? '' : '.'}${extra}`,
    next: byCode?.next ?? fromCatalogue?.suggestion ?? known?.next ?? 'Check the inputs and try again.',
    code,
  };
}
