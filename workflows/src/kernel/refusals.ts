// Refusals thrown by Update validators, typed for the HTTP layer (REJECTION → status).
import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal } from '../gates';
import { REJECTION } from './contracts';

const reject = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });
export const conflict = (message: string) => reject(REJECTION.conflict, message);
export const forbidden = (message: string) => reject(REJECTION.forbidden, message);
export const invalid = (message: string) => reject(REJECTION.invalid, message);
/** A second rating or vote by the same person: its own code, the same for every case kind. */
export const alreadyRated = (message: string) => reject(REJECTION.alreadyRated, message);
export const alreadyVoted = (message: string) => reject(REJECTION.alreadyVoted, message);
/** Throws what a gate (workflows/src/gates.ts) refused, typed for the HTTP layer. */
export function enforce(refused: Refusal | undefined): void {
  if (refused) throw reject(REJECTION[refused.type], refused.message);
}
