// Custom search attributes, shared by every case kind so that the dev server's few slots
// suffice and one query answers across kinds. Registered by deploy/local/infra.sh at start.
// No personal data goes here.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const CaseKind = defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD);
export const Stage = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const Unit = defineSearchAttributeKey('Unit', SearchAttributeType.KEYWORD);
export const Jurisdiction = defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD);
export const Satisfaction = defineSearchAttributeKey('Satisfaction', SearchAttributeType.KEYWORD);
export const DueAt = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
export const Overdue = defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL);
export const AtRisk = defineSearchAttributeKey('AtRisk', SearchAttributeType.BOOL);
export const CycleYear = defineSearchAttributeKey('CycleYear', SearchAttributeType.INT);
/** When the case entered its current Stage: "stuck in a stage for more than N days" is one query. */
export const StageSince = defineSearchAttributeKey('StageSince', SearchAttributeType.DATETIME);

/** Name → type, for registering them (infra.sh mirrors this list; a test checks both agree). */
export const SEARCH_ATTRIBUTES = [
  CaseKind,
  Stage,
  StageSince,
  Unit,
  Jurisdiction,
  Satisfaction,
  DueAt,
  Overdue,
  AtRisk,
  CycleYear,
];

/**
 * A stage change's attributes: the Stage and since when. In workflow code `new Date()` is the
 * workflow's clock (replay-safe); in a service or an activity it is the real one.
 */
export function stageAttributes(stage: string) {
  return [
    { key: Stage, value: stage },
    { key: StageSince, value: new Date() },
  ] as const;
}
