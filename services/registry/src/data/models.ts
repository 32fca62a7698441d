// The registry's own documents: jurisdiction policies, handling units, deputies, liaison stations,
// standing-committee members.
import { Schema, type Connection } from 'mongoose';
import type { CalendarYear, DutyEntry } from '@duban/domain';

export interface PolicyDoc {
  _id: string;
  name: string;
  level: string;
  parent?: string;
  drill?: boolean;
  settings: Record<string, unknown>;
  version: number;
  updatedAt: Date;
}

export interface UnitDoc {
  _id: string;
  name: string;
  kind: string;
  jurisdiction: string;
  /** Contact address for notifications. */
  email?: string;
}

export interface DeputyDoc {
  _id: string;
  name: string;
  jurisdiction: string;
  groups: string[];
  /** Contact address for notifications. */
  email?: string;
}

export interface StationDoc {
  _id: string;
  name: string;
  jurisdiction: string;
  deputies: string[];
  /** Duty roster: who is on duty when (absent: every deputy of the station). */
  duty?: DutyEntry[];
}

/**
 * A member of the standing committee (常委会组成人员): who may sign an inquiry, propose an
 * investigation, and vote on a report. The id is the member's subject in tokens (a deputy id).
 */
export interface CommitteeMemberDoc {
  _id: string;
  name: string;
  jurisdiction: string;
  /** chair (主任), viceChair (副主任), secretaryGeneral (秘书长) or member (委员). */
  position: string;
  /** false once the member has left; kept for the record, not counted. */
  active: boolean;
}

/** A year's official calendar: in `calendars` the current version (_id the year), in `calendar_versions` every version (_id "2027/v2"). */
export interface CalendarDoc extends CalendarYear {
  _id: string;
  version: number;
  /** "staff:clerk-1", "operator:ops-1", or "shipped" for a seeded file. */
  publishedBy: string;
  publishedAt: Date;
}

/**
 * One change to a unit, deputy, station or committee member (`registry_history`): who wrote it,
 * when, and the entry before and after (before null when it was created). A PUT that changes
 * nothing adds no change.
 */
export interface RegistryChangeDoc {
  _id: string;
  /** The collection's path name: units, deputies, stations, committee-members. */
  kind: string;
  entityId: string;
  at: Date;
  /** "staff:clerk-1", "operator:ops-1". */
  by: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

function calendarSchema(collection: string) {
  return new Schema<CalendarDoc>(
    {
      _id: String,
      country: { type: String, required: true },
      year: { type: Number, required: true },
      source: String,
      holidays: { type: [{ _id: false, name: String, days: [String] }], required: true },
      makeUpWorkingDays: { type: [String], required: true },
      rule: String,
      version: { type: Number, required: true },
      publishedBy: { type: String, required: true },
      publishedAt: { type: Date, required: true },
    },
    { collection, versionKey: false },
  );
}

export function registryModels(conn: Connection) {
  const Calendar = conn.model<CalendarDoc>('Calendar', calendarSchema('calendars'));
  const CalendarVersion = conn.model<CalendarDoc>('CalendarVersion', calendarSchema('calendar_versions'));
  const Policy = conn.model<PolicyDoc>(
    'Policy',
    new Schema<PolicyDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        level: { type: String, required: true },
        parent: String,
        drill: Boolean,
        settings: { type: Schema.Types.Mixed, required: true },
        version: { type: Number, required: true },
        updatedAt: { type: Date, required: true },
      },
      { collection: 'policies', versionKey: false, minimize: false },
    ),
  );
  const Unit = conn.model<UnitDoc>(
    'Unit',
    new Schema<UnitDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        kind: { type: String, required: true },
        jurisdiction: { type: String, required: true, index: true },
        email: String,
      },
      { collection: 'units', versionKey: false },
    ),
  );
  const Deputy = conn.model<DeputyDoc>(
    'Deputy',
    new Schema<DeputyDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        jurisdiction: { type: String, required: true, index: true },
        groups: { type: [String], default: [] },
        email: String,
      },
      { collection: 'deputies', versionKey: false },
    ),
  );
  const Station = conn.model<StationDoc>(
    'Station',
    new Schema<StationDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        jurisdiction: { type: String, required: true, index: true },
        deputies: { type: [String], default: [] },
        duty: {
          type: [
            { _id: false, deputy: String, from: String, to: String, weekdays: { type: [Number], default: undefined } },
          ],
          default: undefined,
        },
      },
      { collection: 'stations', versionKey: false },
    ),
  );
  const CommitteeMember = conn.model<CommitteeMemberDoc>(
    'CommitteeMember',
    new Schema<CommitteeMemberDoc>(
      {
        _id: String,
        name: { type: String, required: true },
        jurisdiction: { type: String, required: true, index: true },
        position: { type: String, required: true },
        active: { type: Boolean, required: true, default: true },
      },
      { collection: 'committee_members', versionKey: false },
    ),
  );
  const RegistryChange = conn.model<RegistryChangeDoc>(
    'RegistryChange',
    new Schema<RegistryChangeDoc>(
      {
        _id: String,
        kind: { type: String, required: true },
        entityId: { type: String, required: true },
        at: { type: Date, required: true },
        by: { type: String, required: true },
        before: { type: Schema.Types.Mixed, default: null },
        after: { type: Schema.Types.Mixed, required: true },
      },
      { collection: 'registry_history', versionKey: false, minimize: false },
    ).index({ kind: 1, entityId: 1, at: 1 }),
  );
  return { Policy, Unit, Deputy, Station, CommitteeMember, Calendar, CalendarVersion, RegistryChange };
}
export type RegistryModels = ReturnType<typeof registryModels>;
