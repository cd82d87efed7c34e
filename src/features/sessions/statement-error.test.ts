import { describe, expect, it } from 'vitest';
import { MAX_OPENED_ERROR_CHARS } from './session.view.js';
import { ERROR_TEXT_CHARS, recordedError } from './statement-error.js';

describe('recordedError', () => {
  it('keeps the message, detail and hint as the server sent them when they are short', () => {
    const error = { code: '23505', message: 'duplicate key', detail: 'Key (id)=(1) already exists.', hint: 'h' };
    expect(recordedError(error)).toEqual({
      message: 'duplicate key',
      detail: 'Key (id)=(1) already exists.',
      hint: 'h',
    });
  });

  it('records nothing for an outcome that did not fail, or failed with no text', () => {
    expect(recordedError(undefined)).toBeUndefined();
    expect(recordedError({ code: '57014', message: '' })).toBeUndefined();
    expect(recordedError({ code: '57014', message: '', detail: '' })).toBeUndefined();
  });

  it('cuts each long part and says where and how long it was', () => {
    const long = 'x'.repeat(10_000);
    const kept = recordedError({ code: '22P02', message: long, detail: long, hint: 'short' });
    const note = ` [countersign: cut at ${ERROR_TEXT_CHARS} of 10000 characters]`;
    expect(kept).toEqual({
      message: 'x'.repeat(ERROR_TEXT_CHARS) + note,
      detail: 'x'.repeat(ERROR_TEXT_CHARS) + note,
      hint: 'short',
    });
    expect(kept!.message.length).toBeLessThan(MAX_OPENED_ERROR_CHARS);
  });

  it('never cuts a surrogate pair in half', () => {
    const message = `${'x'.repeat(ERROR_TEXT_CHARS - 1)}😀${'y'.repeat(100)}`;
    const kept = recordedError({ code: 'P0001', message })!.message;
    expect(kept.startsWith(`${'x'.repeat(ERROR_TEXT_CHARS - 1)} [countersign: cut at ${ERROR_TEXT_CHARS - 1} of`)).toBe(
      true,
    );
    expect(Buffer.from(kept, 'utf8').toString('utf8')).toBe(kept);
  });
});
