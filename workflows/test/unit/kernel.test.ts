// The workflow kernel's pure parts: event ids and the text guards every kind's validators use.
import { REJECTION, eventId, requireAtLeast2Chars, requireNonEmpty } from '../../src/kernel';

describe('eventId', () => {
  it('is "<prefix>/<step>", so a retried publish carries the same id', () => {
    expect(eventId('suggestion-2026-0001', 'assigned/1')).toBe('suggestion-2026-0001/assigned/1');
    expect(eventId('suggestion-2026-0001-ladder-1', 'step/2/started')).toBe(
      'suggestion-2026-0001-ladder-1/step/2/started',
    );
  });
});

describe('text guards', () => {
  const refusalOf = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      return { type: (err as { type: string }).type, message: (err as Error).message };
    }
    return undefined;
  };

  it('requireNonEmpty refuses blank and missing text and accepts one character', () => {
    expect(refusalOf(() => requireNonEmpty('  ', 'reason'))).toEqual({
      type: REJECTION.invalid,
      message: 'reason must not be empty',
    });
    expect(refusalOf(() => requireNonEmpty(undefined, 'note'))?.message).toBe('note must not be empty');
    expect(refusalOf(() => requireNonEmpty(7, 'note'))?.message).toBe('note must not be empty');
    expect(refusalOf(() => requireNonEmpty('x', 'note'))).toBeUndefined();
  });

  it('requireAtLeast2Chars refuses one character once trimmed and accepts two', () => {
    expect(refusalOf(() => requireAtLeast2Chars(' x ', 'text'))).toEqual({
      type: REJECTION.invalid,
      message: 'text must be at least 2 characters',
    });
    expect(refusalOf(() => requireAtLeast2Chars('好的', 'text'))).toBeUndefined();
  });
});
