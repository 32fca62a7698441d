// The citizen service's own documents. The only place a citizen's contact details are kept:
// workflows, events, memos and search attributes carry the opinion's and the citizen's ids.
import { counterModel, intakeKeyModel, pendingStartPaths, type PendingStart } from '@duban/platform';
import { Schema, type Connection } from 'mongoose';

export interface Contact {
  name?: string;
  phone?: string;
  email?: string;
}

/** startPending and intakeKey: stored, its workflow not yet known to be started (reconcileOpinions). */
export interface OpinionDoc extends PendingStart {
  _id: string; // case id, also the workflow id: "opinion-2026-000001"
  citizenId: string;
  jurisdiction: string;
  stationId: string;
  /** The station's deputies when it arrived: who may read it. */
  stationDeputies: string[];
  channel: 'station' | 'online';
  category: string;
  content: string;
  contact?: Contact;
  submittedAt: Date;
  policySources: { id: string; version: number }[];
  /** The liaison letter a deputy sent about it: its text stays here, the letter case has ids. */
  letter?: { letterId: string; unit: string; content: string; deputyId: string };
  suggestionId?: string;
}

export function citizenModels(conn: Connection) {
  const Opinion = conn.model<OpinionDoc>(
    'Opinion',
    new Schema<OpinionDoc>(
      {
        _id: String,
        citizenId: { type: String, required: true, index: true },
        jurisdiction: { type: String, required: true },
        stationId: { type: String, required: true, index: true },
        stationDeputies: { type: [String], default: [] },
        channel: { type: String, required: true },
        category: { type: String, required: true },
        content: { type: String, required: true },
        contact: { type: { _id: false, name: String, phone: String, email: String }, default: undefined },
        submittedAt: { type: Date, required: true },
        policySources: { type: [{ _id: false, id: String, version: Number }], default: [] },
        letter: {
          type: { _id: false, letterId: String, unit: String, content: String, deputyId: String },
          default: undefined,
        },
        suggestionId: String,
        ...pendingStartPaths,
      },
      { collection: 'opinions', versionKey: false },
    ),
  );
  const IntakeKey = intakeKeyModel(conn, 'OpinionIntakeKey');
  const Counter = counterModel(conn, 'OpinionCounter');
  return { Opinion, IntakeKey, Counter };
}
export type CitizenModels = ReturnType<typeof citizenModels>;
