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

/** Name → type, for registering them (infra.sh mirrors this list; a test checks both agree). */
export const SEARCH_ATTRIBUTES = [CaseKind, Stage, Unit, Jurisdiction, Satisfaction, DueAt, Overdue, AtRisk, CycleYear];
