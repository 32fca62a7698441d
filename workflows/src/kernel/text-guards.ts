// Input checks on free text, named for what they check. Which one a field uses is part of its
// kind's API (a citizen's text needs two characters, a unit's reply summary one), so each kind
// keeps the check it was released with. The plain forms return a refusal (pure state modules);
// the require forms throw it (validators).
import { refusal, type Refusal } from '../gates';
import { enforce } from './refusals';

/** A string with at least one character that is not white space. */
export function nonEmpty(text: unknown, field: string): Refusal | undefined {
  if (typeof text !== 'string' || !text.trim()) return refusal.invalid(`${field} must not be empty`);
  return undefined;
}

/** A string with at least two characters once trimmed. */
export function atLeast2Chars(text: unknown, field: string): Refusal | undefined {
  if (typeof text !== 'string' || text.trim().length < 2)
    return refusal.invalid(`${field} must be at least 2 characters`);
  return undefined;
}

export const requireNonEmpty = (text: unknown, field: string): void => enforce(nonEmpty(text, field));
export const requireAtLeast2Chars = (text: unknown, field: string): void => enforce(atLeast2Chars(text, field));
