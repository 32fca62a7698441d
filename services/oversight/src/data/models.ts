// The oversight service's own documents: one per review opinion, resolution, inquiry or
// investigation (what was filed, by whom, under which policy), intake keys, id counters, and
// one document per member's vote (its unique _id makes a second vote fail).
import { counterModel, intakeKeyModel, pendingStartPaths, type PendingStart } from '@duban/platform';
import type { Actor } from '@duban/workflows';
import { Schema, type Connection } from 'mongoose';

export type OversightKind = 'review_opinion' | 'resolution' | 'inquiry' | 'investigation';

export interface OversightItemDoc {
  itemId: string;
  list: 'issue' | 'supervision';
  description: string;
  unit: string;
  dueAt?: string;
}

/** startPending, intakeKey: stored, its workflows not yet known to be started (reconcileCases). */
export interface OversightCaseDoc extends PendingStart {
  _id: string; // case id: review-opinion-2026-0001, resolution-…, inquiry-…, investigation-…
  kind: OversightKind;
  jurisdiction: string;
  title: string;
  /** The text filed: the report reviewed, the inquiry's content, the question. */
  content?: string;
  openedAt: Date;
  openedBy: string;
  /** Review opinions and resolutions: the items and the units (one workflow per unit). */
  items: OversightItemDoc[];
  units: string[];
  /** Inquiries: the signers; investigations: the proposers. */
  members: string[];
  source?: { caseId: string; itemId?: string };
  policySources: { id: string; version: number }[];
  /** What starting its workflows needs beyond the fields above: who opened it; an investigation's proposer side and roster size. */
  start?: { by: Actor; proposedBy?: 'members' | 'chairCouncil'; memberCount?: number };
  /** The hash of the request stored under intakeKey (for the reconciler to claim the key). */
  intakeHash?: string;
}

/** "<workflowId>/<round>/<memberId>": one vote per member per round. */
export interface VoteDoc {
  _id: string;
  vote: string;
  idempotencyKey?: string;
  at: Date;
}

export function oversightModels(conn: Connection) {
  const Case = conn.model<OversightCaseDoc>(
    'OversightCase',
    new Schema<OversightCaseDoc>(
      {
        _id: String,
        kind: { type: String, required: true },
        jurisdiction: { type: String, required: true },
        title: { type: String, required: true },
        content: String,
        openedAt: { type: Date, required: true },
        openedBy: { type: String, required: true },
        items: {
          type: [{ _id: false, itemId: String, list: String, description: String, unit: String, dueAt: String }],
          default: [],
        },
        units: { type: [String], default: [] },
        members: { type: [String], default: [] },
        source: { type: { _id: false, caseId: String, itemId: String }, required: false },
        policySources: { type: [{ _id: false, id: String, version: Number }], default: [] },
        start: {
          type: { _id: false, by: { type: Object }, proposedBy: String, memberCount: Number },
          default: undefined,
        },
        ...pendingStartPaths,
        intakeHash: String,
      },
      { collection: 'oversight_cases', versionKey: false },
    ),
  );
  const IntakeKey = intakeKeyModel(conn, 'OversightIntakeKey');
  const Counter = counterModel(conn, 'OversightCounter');
  const Vote = conn.model<VoteDoc>(
    'MemberVote',
    new Schema<VoteDoc>(
      {
        _id: String,
        vote: { type: String, required: true },
        idempotencyKey: String,
        at: { type: Date, required: true },
      },
      { collection: 'member_votes', versionKey: false },
    ),
  );
  return { Case, IntakeKey, Counter, Vote };
}
export type OversightModels = ReturnType<typeof oversightModels>;
