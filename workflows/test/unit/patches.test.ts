// The patches the workflows still carry, and which recorded histories still need each one's old
// path (docs/patches.md is the retirement plan). A history "needs the old path" of a patch when
// it is of a workflow type the patch applies to and records neither the patch's marker nor the
// marker of a later patch that implies it: replaying it runs the code the patch kept. When a
// patch is retired (deprecatePatch, then removal), its list here must first be empty.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { LOCAL_ACTIVITIES_PATCH } from '../../src/activity-proxies';
import { LADDER_EVENTS_SCHEDULED_PATCH } from '../../src/ladder/workflow';
import {
  CALENDAR_RECOMPUTE_PATCH,
  EVENTS_SCHEDULED_PATCH,
  SUGGESTION_V2_PATCH,
  SUGGESTION_V4_PATCH,
} from '../../src/suggestion/workflow';

const dir = path.join(__dirname, '../histories');

interface Recorded {
  file: string;
  type: string;
  markers: string[];
}

const recorded: Recorded[] = readdirSync(dir)
  .filter((f) => f.endsWith('.pb'))
  .sort()
  .map((file) => {
    const events = temporal.api.history.v1.History.decode(readFileSync(path.join(dir, file))).events ?? [];
    const markers = events
      .map((e) => e.markerRecordedEventAttributes)
      .filter((m) => m?.markerName === 'core_patch')
      .map((m) => {
        const data = Object.values(m!.details ?? {})[0]?.payloads?.[0]?.data;
        return (JSON.parse(Buffer.from(data ?? []).toString()) as { id: string }).id;
      });
    return { file, type: events[0].workflowExecutionStartedEventAttributes!.workflowType!.name!, markers };
  });

/** Each patch, the workflow types that ask it, and the later patches that imply it. */
const PATCHES = {
  [SUGGESTION_V2_PATCH]: { types: ['suggestionWorkflow'], impliedBy: [SUGGESTION_V4_PATCH] },
  [LOCAL_ACTIVITIES_PATCH]: {
    types: ['suggestionWorkflow', 'escalationLadderWorkflow'],
    impliedBy: [SUGGESTION_V4_PATCH],
  },
  [SUGGESTION_V4_PATCH]: { types: ['suggestionWorkflow'], impliedBy: [] },
  [EVENTS_SCHEDULED_PATCH]: { types: ['suggestionWorkflow'], impliedBy: [] },
  [LADDER_EVENTS_SCHEDULED_PATCH]: { types: ['escalationLadderWorkflow'], impliedBy: [] },
} as const;

const needingOldPath = (patch: keyof typeof PATCHES) =>
  recorded
    .filter((h) => (PATCHES[patch].types as readonly string[]).includes(h.type))
    .filter((h) => ![patch, ...PATCHES[patch].impliedBy].some((id) => h.markers.includes(id)))
    .map((h) => h.file);

it('knows every patch marker the recorded histories hold', () => {
  const seen = new Set(recorded.flatMap((h) => h.markers));
  expect([...seen].sort()).toEqual([...Object.keys(PATCHES), CALENDAR_RECOMPUTE_PATCH].sort());
});

it('suggestion-v2: the cases of the first release still replay on legacy-v1.ts', () => {
  expect(needingOldPath(SUGGESTION_V2_PATCH)).toEqual([
    'suggestion-v1-overdue-then-replied.pb',
    'suggestion-v1-replied-in-time.pb',
  ]);
});

it('local-activities: cases of the first two releases and their ladders still schedule every activity', () => {
  expect(needingOldPath(LOCAL_ACTIVITIES_PATCH)).toEqual([
    'suggestion-v1-overdue-then-replied.pb',
    'suggestion-v1-replied-in-time.pb',
    'suggestion-v2-commitments-kept-and-missed-ladder-1.pb',
    'suggestion-v2-commitments-kept-and-missed.pb',
    'suggestion-v2-merged.pb',
    'suggestion-v2-objection-reassigned-extension-paused.pb',
    'suggestion-v2-returned-revised-accepted-satisfied.pb',
    'suggestion-v2-unsatisfied-twice-ladder-resolved-ladder-1.pb',
    'suggestion-v2-unsatisfied-twice-ladder-resolved.pb',
  ]);
});

it('suggestion-v4-one-upsert: every suggestion case before it (v1, v2, v3) keeps its markers and upserts', () => {
  const before = needingOldPath(SUGGESTION_V4_PATCH);
  expect(before).toHaveLength(12);
  expect(before.every((f) => /^suggestion-v[123]-/.test(f))).toBe(true);
});

it('calendar-recompute: only a case that was told of a published calendar records it', () => {
  // The marker is recorded when the signal is handled, so no history lacks it where it matters:
  // retiring it needs no case to end, only the cases that recorded it (deprecatePatch keeps them).
  expect(recorded.filter((h) => h.markers.includes(CALENDAR_RECOMPUTE_PATCH)).map((h) => h.file)).toEqual([
    'suggestion-v4-calendar-recomputed.pb',
    'suggestion-v5-calendar-recomputed.pb',
  ]);
});

it('suggestion-events-scheduled: every suggestion case before it (v1 to v4) keeps its local publishing', () => {
  const before = needingOldPath(EVENTS_SCHEDULED_PATCH);
  expect(before).toHaveLength(19);
  expect(before.every((f) => /^suggestion-v[1234]-/.test(f))).toBe(true);
  // The v4 cases are the ones the patch changes: they published from local activities.
  expect(before.filter((f) => f.startsWith('suggestion-v4-'))).toHaveLength(7);
});

it('ladder-events-scheduled: every ladder before it publishes as it did; the v5 ladders record it', () => {
  const ladders = recorded.filter((h) => h.type === 'escalationLadderWorkflow').map((h) => h.file);
  const before = needingOldPath(LADDER_EVENTS_SCHEDULED_PATCH);
  expect(ladders.filter((f) => !before.includes(f))).toEqual([
    'suggestion-v5-commitments-kept-and-missed-ladder-1.pb',
    'suggestion-v5-unsatisfied-twice-ladder-resolved-ladder-1.pb',
  ]);
  expect(before.length).toBeGreaterThanOrEqual(8);
});
