import { describe, expect, it } from 'vitest';
import { errorMessage } from './errors';

describe('errorMessage', () => {
  it('prefers the message of the server body', () => {
    expect(errorMessage({ message: 'Conflict', body: { statusCode: 409, message: 'course is idle', error: 'Conflict' } })).toBe('course is idle');
  });

  it('joins a list of field errors', () => {
    expect(errorMessage({ body: { message: ['title: is required', 'stage: must be a stage from 2 to 6'] } })).toBe(
      'title: is required; stage: must be a stage from 2 to 6',
    );
  });

  it('falls back to the error message, then to a translation key', () => {
    expect(errorMessage(new Error('Failed to fetch'))).toBe('Failed to fetch');
    expect(errorMessage({ body: null, message: '' })).toBe('ra.notification.http_error');
    expect(errorMessage(undefined, 'oops')).toBe('oops');
  });
});
