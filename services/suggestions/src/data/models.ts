// The suggestions service's own documents.
import { counterModel, intakeKeyModel, pendingStartPaths } from '@duban/platform';
import { Schema, type Connection } from 'mongoose';

export interface SuggestionDoc {
  _id: string; // case id, also the workflow id
  deputyId: string;
  jurisdiction: string;
  title: string;
  content: string;
  category: string;
  submittedAt: Date;
  policySources: { id: string; version: number }[];
  /** The citizen opinion this suggestion was taken up from, if any. */
  sourceCaseId?: string;
  /** Stored, its workflow not yet known to be started (cleared once it is; see reconcileIntakes). */
  startPending?: boolean;
  /** The (deputy, Idempotency-Key) it was stored under, for the reconciler to tell a retry's abandoned copy. */
  intakeKey?: string;
}

export function suggestionModels(conn: Connection) {
  const Suggestion = conn.model<SuggestionDoc>(
    'Suggestion',
    new Schema<SuggestionDoc>(
      {
        _id: String,
        deputyId: { type: String, required: true, index: true },
        jurisdiction: { type: String, required: true },
        title: { type: String, required: true },
        content: { type: String, required: true },
        category: { type: String, required: true },
        submittedAt: { type: Date, required: true },
        policySources: { type: [{ _id: false, id: String, version: Number }], default: [] },
        sourceCaseId: String,
        ...pendingStartPaths,
      },
      { collection: 'suggestions', versionKey: false },
    ),
  );
  const IntakeKey = intakeKeyModel(conn, 'IntakeKey');
  const Counter = counterModel(conn, 'Counter');
  return { Suggestion, IntakeKey, Counter };
}
export type SuggestionModels = ReturnType<typeof suggestionModels>;
