// Cases that became overdue, month by month (逐月超期): a case becomes overdue at its first
// overdue event — a type ending in "Overdue" or "Missing", the rule the case index's overdue
// flag follows (SuggestionOverdue, OversightItemOverdue, InquiryOverdue, AppointeeReportMissing,
// GroupDutyMissing …). Later overdue events of the same case (very overdue, another round,
// another part or item) do not count it again. The fold keeps that instant in the case's facts
// (score_cases.overdueAt), so redelivery and a rebuild give the same figures; the months are
// counted at read time, in Beijing time like every period of this service. Pure.
import type { ScoreEventDoc } from '../data/models';
import { periodsOf } from './periods';

const OVERDUE_TYPE = /(Overdue|Missing)$/;

export const isOverdueEvent = (type: string): boolean => OVERDUE_TYPE.test(type);

/** The case's first overdue event, of events sorted as the fold sorts them. */
export function firstOverdue(sorted: ScoreEventDoc[]): { at: Date; type: string } | undefined {
  const e = sorted.find((x) => isOverdueEvent(x.type));
  return e ? { at: e.occurredAt, type: e.type } : undefined;
}

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** The instants a Beijing calendar year starts and ends (end exclusive). */
export function yearRange(year: number): { from: Date; to: Date } {
  return {
    from: new Date(Date.UTC(year, 0, 1) - BEIJING_OFFSET_MS),
    to: new Date(Date.UTC(year + 1, 0, 1) - BEIJING_OFFSET_MS),
  };
}

export interface OverdueMonth {
  /** "2026-01" … "2026-12". */
  month: string;
  total: number;
  /** Case kind → cases that became overdue that month. */
  byKind: Record<string, number>;
}

export interface OverdueByMonth {
  year: string;
  months: OverdueMonth[];
  total: number;
  byKind: Record<string, number>;
}

/** Counts each case once, in the Beijing month of its overdueAt; twelve months, empty ones too. */
export function overdueByMonth(year: number, facts: { kind: string; overdueAt?: Date | null }[]): OverdueByMonth {
  const y = String(year).padStart(4, '0');
  const months: OverdueMonth[] = Array.from({ length: 12 }, (_, i) => ({
    month: `${y}-${String(i + 1).padStart(2, '0')}`,
    total: 0,
    byKind: {},
  }));
  const byKind: Record<string, number> = {};
  let total = 0;
  for (const f of facts) {
    if (!f.overdueAt) continue;
    const [fy, , month] = periodsOf(f.overdueAt);
    if (fy !== y) continue;
    const m = months[Number(month.slice(5)) - 1];
    const kind = f.kind || 'unknown';
    m.total += 1;
    m.byKind[kind] = (m.byKind[kind] ?? 0) + 1;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    total += 1;
  }
  return { year: y, months, total, byKind };
}
