// Folds a case's events into its view. Pure: the same events give the same view.
import type { CaseEventDoc, CaseViewDoc } from './models';

type Body = Record<string, Record<string, unknown> | undefined>;

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);

export function foldCase(events: CaseEventDoc[]): Omit<CaseViewDoc, '_id'> {
  const sorted = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
  const first = sorted[0];
  const view: Omit<CaseViewDoc, '_id'> = {
    kind: first.caseKind,
    jurisdiction: first.jurisdiction,
    stage: 'submitted',
    coHandlers: [],
    overdue: false,
    lastEventAt: sorted[sorted.length - 1].occurredAt,
    eventCount: sorted.length,
  };
  for (const e of sorted) {
    const body = e.body as Body;
    switch (e.type) {
      case 'SuggestionSubmitted': {
        const b = body.suggestionSubmitted ?? {};
        view.title = str(b.title);
        view.category = str(b.category);
        view.deputyId = str(b.deputyId);
        view.submittedAt = date(b.submittedAt);
        break;
      }
      case 'SuggestionAssigned': {
        const b = body.suggestionAssigned ?? {};
        view.stage = 'assigned';
        view.leadUnit = str(b.leadUnit);
        view.coHandlers = Array.isArray(b.coHandlers) ? (b.coHandlers as string[]) : [];
        view.dueAt = date(b.replyDueAt);
        view.overdue = false;
        break;
      }
      case 'SuggestionOverdue':
        view.stage = 'overdue';
        view.overdue = true;
        break;
      case 'SuggestionReplied': {
        const b = body.suggestionReplied ?? {};
        view.stage = 'replied';
        view.overdue = false;
        view.grade = str(b.grade);
        break;
      }
      default:
        // Events of kinds this index does not project still count in the timeline.
        break;
    }
  }
  return view;
}
