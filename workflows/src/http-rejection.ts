// How a refused action on a case reaches an HTTP caller. Every case workflow's Update
// validators refuse with an ApplicationFailure of a REJECTION type; the services map it to
// the same status codes, and an Update to a workflow that has ended to "case closed".
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { HttpError, forbidden, notFound } from '@duban/platform';
import { REJECTION } from './suggestion/definitions';

/** Maps a refused Update to an HTTP error (the case is unchanged); other errors pass through. */
export async function updateRejection(
  err: unknown,
  workflowId: string,
  describe: () => Promise<{ status: { name: string } }>,
): Promise<unknown> {
  if (err instanceof WorkflowNotFoundError) {
    // An Update to a case whose workflow has ended: the case is closed, not missing.
    const status = await describe().then(
      (d) => d.status.name,
      () => undefined,
    );
    if (status && status !== 'RUNNING')
      return new HttpError(
        409,
        'case_closed',
        `${workflowId} is closed (${status.toLowerCase()}); it takes no more actions`,
      );
    return notFound(`case ${workflowId}`);
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message } = err.cause;
    if (type === REJECTION.forbidden) return forbidden(message);
    if (type === REJECTION.conflict) return new HttpError(409, 'stage_conflict', message);
    if (type === REJECTION.invalid) return new HttpError(400, 'bad_request', message);
    if (type === REJECTION.alreadyRated) return new HttpError(409, 'already_rated', message);
    if (type === REJECTION.alreadyVoted) return new HttpError(409, 'already_voted', message);
  }
  return err;
}
