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
  it('prefers the server catalogue’s suggestion', () => {
    const e = explain(new ApiError(409, { message: 'busy', errorCode: 'generation_not_deletable_while_processing' }), [
      { code: 'generation_not_deletable_while_processing', message: 'Still processing', suggestion: 'Wait for it to finish.' },
    ]);
    expect(e.next).toBe('Wait for it to finish.');
    expect(e.code).toBe('generation_not_deletable_while_processing');
  });
});
