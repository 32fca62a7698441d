// How long an activity may run and how it is retried: the same for every case kind and for
// scheduled and local activities. Options are not part of a recorded command's identity, so one
// place for them changes no history.
import type { ActivityOptions } from '@temporalio/workflow';

export const ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
} as const satisfies ActivityOptions;
