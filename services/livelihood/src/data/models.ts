// The livelihood service's own documents: ballots (secret: stored, never served), the votes they
// belong to (roll, window, status) and where each cycle's workflow is.
import { Schema, type Connection } from 'mongoose';

/** One deputy's ballot in one vote. `_id` = "<voteId>:<deputyId>": a second ballot hits the key. */
export interface BallotDoc {
  _id: string;
  voteId: string;
  choices: string[];
  castAt: Date;
}

export interface VoteDoc {
  /** The first round's vote id is the cycle id; later rounds "<cycleId>-r<n>". */
  _id: string;
  cycleId: string;
  round: number;
  candidates: string[];
  seats: number;
  /** The deputies of this congress when the vote opened (the roll). */
  electorate: string[];
  present: number;
  status: 'open' | 'closed';
  openedAt: Date;
  closesAt: Date;
  closedAt?: Date;
}

export interface CycleRefDoc {
  /** The cycle id "livelihood-<jurisdiction>-<year>". */
  _id: string;
  workflowId: string;
  jurisdiction: string;
  year: number;
  currentVoteId?: string;
}

export function livelihoodModels(conn: Connection) {
  const Ballot = conn.model<BallotDoc>(
    'Ballot',
    new Schema<BallotDoc>(
      {
        _id: String,
        voteId: { type: String, required: true, index: true },
        choices: { type: [String], required: true },
        castAt: { type: Date, required: true },
      },
      { collection: 'ballots', versionKey: false },
    ),
  );
  const Vote = conn.model<VoteDoc>(
    'Vote',
    new Schema<VoteDoc>(
      {
        _id: String,
        cycleId: { type: String, required: true },
        round: { type: Number, required: true },
        candidates: { type: [String], required: true },
        seats: { type: Number, required: true },
        electorate: { type: [String], required: true },
        present: { type: Number, required: true },
        status: { type: String, required: true },
        openedAt: { type: Date, required: true },
        closesAt: { type: Date, required: true },
        closedAt: Date,
      },
      { collection: 'votes', versionKey: false },
    ),
  );
  const CycleRef = conn.model<CycleRefDoc>(
    'CycleRef',
    new Schema<CycleRefDoc>(
      {
        _id: String,
        workflowId: { type: String, required: true },
        jurisdiction: { type: String, required: true },
        year: { type: Number, required: true },
        currentVoteId: String,
      },
      { collection: 'cycles', versionKey: false },
    ),
  );
  return { Ballot, Vote, CycleRef };
}
export type LivelihoodModels = ReturnType<typeof livelihoodModels>;
