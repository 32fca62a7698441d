// One case view per case, the same fields for every kind (see docs/case-index.md).

/** A responsible unit's share of a case with several (a review opinion's parts, a co-unit). */
export interface Part {
  unit: string;
  dueAt?: Date;
  overdue: boolean;
  /** The unit answered for this round (its report, reply or progress). */
  answered: boolean;
  /** Where this unit's part stands, when the case runs in parts. */
  stage?: string;
  closed: boolean;
}

export interface CaseLink {
  caseId: string;
  /** How it relates: suggestion, letter, opinion, source, related, linked, project, cycle, ... */
  rel: string;
}

export interface CaseView {
  caseId: string;
  kind: string;
  jurisdiction: string;
  stage: string;
  /** A suggestion's own title; for other kinds one made of the kind and the unit. */
  title: string;
  category?: string;
  /** The deputy who owns the case (a suggestion's, a letter's). */
  deputyId?: string;
  /** Every deputy the case concerns (the owner; a station's deputies on duty). */
  deputies: string[];
  leadUnit?: string;
  coHandlers: string[];
  /** Every responsible unit: lead, co-handlers, each part's. */
  units: string[];
  parts: Part[];
  stationId?: string;
  citizenId?: string;
  /** What the case is about where that is not a unit: a regulation, an official, a deputies' group. */
  subjectId?: string;
  /** Key suggestion (重点建议). */
  key: boolean;
  /** When the next answer is due: the case's, or the earliest unanswered part's. */
  dueAt?: Date;
  /** dueAt, or far in the future when closed or nothing is due: the key lists sort by. */
  sortDue: Date;
  overdue: boolean;
  /** Overdue at the level of the case (a part's lateness is in its part). */
  caseOverdue: boolean;
  veryOverdue: boolean;
  grade?: string;
  satisfaction?: string;
  ratingAssumed?: boolean;
  /** The commitment ledger (承诺台账) of a suggestion. */
  commitments: { total: number; kept: number; missed: number };
  ladder?: { ladderId: string; step?: string; status: string };
  score?: number;
  closed: boolean;
  closedAt?: Date;
  closedOutcome?: string;
  submittedAt?: Date;
  openedAt: Date;
  /** The case's year (from its number, e.g. 2026 for opinion-2026-000003). */
  year: number;
  links: CaseLink[];
  lastEventAt: Date;
  eventCount: number;
}

export const NEVER = new Date('9999-12-31T00:00:00.000Z');

export const KIND_LABEL: Record<string, string> = {
  suggestion: '代表建议',
  citizen_opinion: '群众意见',
  liaison_letter: '代表联系函',
  review_opinion: '审议意见',
  resolution: '决议',
  inquiry: '质询案',
  investigation: '特定问题调查',
  supervision_plan: '监督工作计划',
  regulation_report: '法规实施情况报告',
  appointee_report: '任命人员履职报告',
  group_duty: '代表小组履职',
  livelihood_cycle: '民生实事项目票决',
  livelihood_project: '民生实事项目',
};
