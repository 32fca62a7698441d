// The vote's side that the service owns: ballots are stored here (secret: never served), one per
// deputy per vote by the unique `_id`, and counted here; the workflow applies the policy's rules
// to the count. The digest lets anyone holding the ballots check that the count is theirs.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { countBallots } from '@duban/domain';
import { HttpError, isDuplicateKey } from '@duban/platform';
import type { LivelihoodModels, VoteDoc } from '../data/models';

export interface Count {
  voteId: string;
  ballotsCast: number;
  counts: Record<string, number>;
  ballotsDigest: string;
}

/** sha256 over the ballots' choices (each sorted), in a canonical order: no deputy ids. */
export function digestOf(ballots: { choices: string[] }[]): string {
  const lines = ballots.map((b) => [...b.choices].sort().join(',')).sort();
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

/** Counts a vote's stored ballots. */
export async function countVote(models: LivelihoodModels, voteId: string): Promise<Count> {
  const ballots = await models.Ballot.find({ voteId }, { choices: 1 }).lean();
  return { voteId, ...countBallots(ballots), ballotsDigest: digestOf(ballots) };
}

/**
 * The body a ballot in this vote must have: at least one and at most `seats` of the vote's
 * candidates. The actions endpoint serves it (as JSON Schema) for the ballot form, and
 * castBallot judges every ballot by it: one place for what a ballot may be.
 */
export function ballotBodyOf(vote: Pick<VoteDoc, 'candidates' | 'seats'>) {
  const list = vote.candidates.length ? vote.candidates : ['-'];
  return z
    .object({
      choices: z
        .array(z.enum(list as [string, ...string[]]))
        .min(1)
        .max(vote.seats)
        .refine((c) => new Set(c).size === c.length, { message: 'repeated' }),
    })
    .strict();
}

/**
 * A refusal of a ballot: every one names the field `choices` (the ballot's one field), so the
 * console shows it beside the candidates whatever the reason.
 */
const choicesError = (status: number, code: string, message: string) =>
  new HttpError(status, code, message, [{ path: 'choices', message }]);

/** Why this deputy may not vote in this vote now (closed, or not on its roll); undefined if they may. */
export function ballotRefusal(vote: VoteDoc, deputyId: string, now = new Date()): HttpError | undefined {
  if (vote.status !== 'open' || now.getTime() > vote.closesAt.getTime())
    return choicesError(409, 'vote_closed', `vote ${vote._id} is closed; no more ballots are taken`);
  if (!vote.electorate.includes(deputyId))
    return choicesError(403, 'not_in_electorate', `${deputyId} is not a deputy of this congress and may not vote`);
  return undefined;
}

/** The key of a deputy's one ballot in a vote. */
export const ballotIdOf = (voteId: string, deputyId: string) => `${voteId}:${deputyId}`;

/**
 * Stores one ballot, or refuses it with a clear error and stores nothing: the vote is not open,
 * the caller is not on its roll, too many or unknown or repeated choices (named as the field
 * `choices`), or a ballot from this deputy is already there (the unique `_id`).
 */
export async function castBallot(
  models: LivelihoodModels,
  vote: VoteDoc,
  deputyId: string,
  choices: string[],
  now = new Date(),
): Promise<void> {
  const refusal = ballotRefusal(vote, deputyId, now);
  if (refusal) throw refusal;
  const parsed = ballotBodyOf(vote).safeParse({ choices });
  if (!parsed.success) {
    const codes = new Set(parsed.error.issues.map((i) => i.code));
    if (codes.has('too_small')) throw choicesError(400, 'bad_request', 'a ballot chooses at least one candidate');
    if (codes.has('too_big'))
      throw choicesError(
        400,
        'too_many_choices',
        `a ballot chooses at most ${vote.seats} candidates (the seats); this one chooses ${choices.length}`,
      );
    const unknown = choices.filter((c) => !vote.candidates.includes(c));
    if (unknown.length > 0) throw choicesError(400, 'not_on_list', `not on this vote's list: ${unknown.join(', ')}`);
    throw choicesError(400, 'bad_request', 'a ballot names each candidate at most once');
  }
  try {
    await models.Ballot.create({ _id: ballotIdOf(vote._id, deputyId), voteId: vote._id, choices, castAt: now });
  } catch (err) {
    if (isDuplicateKey(err))
      throw choicesError(409, 'already_voted', `${deputyId} has already cast a ballot in vote ${vote._id}`);
    throw err;
  }
}
