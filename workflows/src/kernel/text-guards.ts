// Input checks on free text, named for what they check. Which one a field uses is part of its
// kind's API (a citizen's text needs two characters, a unit's reply summary one), so each kind
// keeps the check it was released with.
import { invalid } from './refusals';

/** A string with at least one character that is not white space. */
export function requireNonEmpty(text: unknown, field: string): void {
  if (typeof text !== 'string' || !text.trim()) throw invalid(`${field} must not be empty`);
}

/** A string with at least two characters once trimmed. */
export function requireAtLeast2Chars(text: unknown, field: string): void {
  if (typeof text !== 'string' || text.trim().length < 2) throw invalid(`${field} must be at least 2 characters`);
}
