// The duties service's own documents: what was registered (each starts its duty's workflow)
// and the members' votes (one per member and case: the unique _id decides).
import { Schema, type Connection } from 'mongoose';

export interface RegulationDoc {
  _id: string; // regulation id
  title: string;
  jurisdiction: string;
  unit: string;
  inForceOn: string;
  caseId: string;
  registeredAt: Date;
}
export interface AppointmentDoc {
  _id: string; // appointment id
  officialId: string;
  unit: string;
  jurisdiction: string;
  termStart: string;
  termEnd?: string;
  caseId: string;
  registeredAt: Date;
}
export interface GroupDoc {
  _id: string; // group id
  jurisdiction: string;
  firstYear: number;
  registeredAt: Date;
}
export interface VoteDoc {
  _id: string; // "<caseId>/<memberId>"
  choice: string;
  idempotencyKey?: string;
  at: Date;
}

export function dutiesModels(conn: Connection) {
  const opts = (collection: string) => ({ collection, versionKey: false as const });
  const Regulation = conn.model<RegulationDoc>(
    'Regulation',
    new Schema<RegulationDoc>(
      {
        _id: String,
        title: { type: String, required: true },
        jurisdiction: { type: String, required: true },
        unit: { type: String, required: true },
        inForceOn: { type: String, required: true },
        caseId: { type: String, required: true },
        registeredAt: { type: Date, required: true },
      },
      opts('regulations'),
    ),
  );
  const Appointment = conn.model<AppointmentDoc>(
    'Appointment',
    new Schema<AppointmentDoc>(
      {
        _id: String,
        officialId: { type: String, required: true },
        unit: { type: String, required: true },
        jurisdiction: { type: String, required: true },
        termStart: { type: String, required: true },
        termEnd: String,
        caseId: { type: String, required: true },
        registeredAt: { type: Date, required: true },
      },
      opts('appointments'),
    ),
  );
  const Group = conn.model<GroupDoc>(
    'Group',
    new Schema<GroupDoc>(
      {
        _id: String,
        jurisdiction: { type: String, required: true },
        firstYear: { type: Number, required: true },
        registeredAt: { type: Date, required: true },
      },
      opts('groups'),
    ),
  );
  const Vote = conn.model<VoteDoc>(
    'DutyVote',
    new Schema<VoteDoc>(
      {
        _id: String,
        choice: { type: String, required: true },
        idempotencyKey: String,
        at: { type: Date, required: true },
      },
      opts('votes'),
    ),
  );
  return { Regulation, Appointment, Group, Vote };
}
export type DutiesModels = ReturnType<typeof dutiesModels>;
