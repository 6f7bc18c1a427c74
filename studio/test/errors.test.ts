import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api';
import { explain } from '../src/errors';

describe('errors in plain words', () => {
  it('explains the common API errors with a next step', () => {
    const fmt = explain(new ApiError(422, { message: 'video could not be decoded', statusCode: 422, errorCode: 'generation_input_video_invalid' }));
    expect(fmt.title).toMatch(/format/);
    expect(fmt.next).toMatch(/MP4/);
    const face = explain({ errorCode: 'generation_input_face_selection_invalid', error: 'no face at the given point' });
    expect(face.title).toMatch(/No face/);
    expect(face.next).toMatch(/click/);
    const long = explain(new ApiError(422, { message: 'too long', errorCode: 'generation_input_duration_greater_than_max_duration' }));
    expect(long.title).toMatch(/too long/);
    expect(long.next).toMatch(/Trim/);
    expect(explain(new ApiError(401, { message: 'Unauthorized' })).title).toMatch(/key/);
    expect(explain(new ApiError(0, { message: 'x', errorCode: 'network_error' })).next).toMatch(/npm start/);
  });
  it('uses the server catalogue for codes it has no advice of its own for, without repeating the message', () => {
    const cat = [
      { code: 'webhook_url_invalid', message: 'The webhook URL is not valid', suggestion: 'Use an https URL.' },
      { code: 'generation_no_face_detected', message: 'No face was found in the video.', suggestion: 'See the message on the generation.' },
    ];
    const e = explain(new ApiError(400, { message: 'webhookUrl must be https', errorCode: 'webhook_url_invalid' }), cat);
    expect(e.next).toBe('Use an https URL.');
    expect(e.detail).toBe('WebhookUrl must be https. (The webhook URL is not valid)');
    expect(e.code).toBe('webhook_url_invalid');
    const f = explain({ errorCode: 'generation_no_face_detected', error: 'no face was found in the video' }, cat);
    expect(f.detail).toBe('No face was found in the video.');
    expect(f.next).toMatch(/face is visible/);
  });
});
