/**
 * Speaker profile straight from a video of the person speaking: the face stage tracks their
 * mouth, the video's own audio is decoded, and adapt.ts fits the profile. The usual dubbing case.
 */
import { analyzeVideo } from '../face/analyze.js';
import { decodeAudio } from '../media/decode-audio.js';
import { ResyncError } from '../errors.js';
import { fitSpeakerProfile, mouthSeriesFromTrack } from './adapt.js';
import { SAMPLE_RATE } from './features.js';
import type { SpeakerProfile } from './types.js';

export async function speakerProfileFromVideo(path: string): Promise<SpeakerProfile> {
  const [doc, pcm] = await Promise.all([analyzeVideo(path, {}), decodeAudio(path, { sampleRate: SAMPLE_RATE })]);
  if (doc.selectedTrackId === null) throw new ResyncError('generation_no_face_detected');
  const series = mouthSeriesFromTrack(doc);
  const profile = fitSpeakerProfile(pcm.samples, series);
  if (profile.frames < 25) throw new ResyncError('generation_no_face_detected', 'the mouth is visible in too few frames to learn the speaker from');
  return profile;
}
