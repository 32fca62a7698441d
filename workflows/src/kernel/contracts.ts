// What every case kind shares with its clients: who acts, how a refusal is typed, and the
// signals one case sends another (a ladder ending, a calendar published). Signals are matched
// by name, so where they are defined does not touch a recorded history.
import { defineSignal } from '@temporalio/workflow';

/** Who acts, as the service verified it from the token. */
export interface Actor {
  role: 'deputy' | 'unit' | 'staff' | 'citizen' | 'operator' | 'system';
  sub: string;
  unit?: string;
}

/** Failure types an Update validator uses; services map them to HTTP statuses. */
export { REJECTION } from '@duban/domain/pure';

/** Sent by an escalation ladder to the case that started it, when the ladder ends. */
export const ladderEndedSignal = defineSignal<[{ ladderId: string; outcome: 'resolved' | 'exhausted' }]>('ladderEnded');

/**
 * A year's official calendar was published: a reply deadline counted Monday–Friday only for that
 * year is counted again, and its timers follow the new date (from the calendar-recompute patch).
 */
export const calendarPublishedSignal = defineSignal<[{ year: number }]>('calendarPublished');
