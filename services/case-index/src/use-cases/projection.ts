// Folds a case's events into its view. Pure: the same events give the same view, in the order
// they happened (occurredAt, then the Kafka offset within the case's partition). Every kind
// goes through the shared rules (fold/generic.ts); a suggestion also through its own.
import type { CaseEventDoc } from '../data/models';
import { applyShared, num, partPending, settleParts, type Body, type ItemLedger } from './fold/generic';
import { applySuggestion, type CommitmentOutcome } from './fold/suggestion';
import { KIND_LABEL, NEVER, type CaseView } from './view';

export type { CaseView } from './view';

export function sortEvents(events: CaseEventDoc[]): CaseEventDoc[] {
  return [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || a.offset - b.offset);
}

function yearOf(caseId: string, openedAt: Date): number {
  const m = /-(20\d{2})(?=-|$)/.exec(caseId);
  return m ? Number(m[1]) : openedAt.getUTCFullYear();
}

export function foldCase(events: CaseEventDoc[]): CaseView {
  const sorted = sortEvents(events);
  const first = sorted[0];
  const view: CaseView = {
    caseId: first.caseId,
    kind: first.caseKind,
    jurisdiction: first.jurisdiction,
    stage: 'submitted',
    title: '',
    deputies: [],
    coHandlers: [],
    units: [],
    parts: [],
    key: false,
    sortDue: NEVER,
    overdue: false,
    caseOverdue: false,
    veryOverdue: false,
    commitments: { total: 0, kept: 0, missed: 0 },
    closed: false,
    openedAt: first.occurredAt,
    year: yearOf(first.caseId, first.occurredAt),
    links: [],
    lastEventAt: sorted[sorted.length - 1].occurredAt,
    eventCount: sorted.length,
  };
  const commitments = new Map<string, CommitmentOutcome>();
  const items: ItemLedger = new Map();
  const isSuggestion = view.kind === 'suggestion';

  for (const e of sorted) {
    const body = e.body as Record<string, Body | undefined>;
    const b = Object.values(body)[0] ?? {};
    const own = applySuggestion(view, e, body, commitments);
    if (isSuggestion) {
      // A suggestion's stages and clock are its own; links, closing and ratings are shared.
      applyShared(view, e, b, { who: false, clock: false, stage: false }, items);
    } else {
      applyShared(
        view,
        e,
        b,
        {
          who: true,
          clock: true,
          stage: !own && !e.type.startsWith('Ladder'),
        },
        items,
      );
    }
    if (e.type === 'LivelihoodCycleOpened') view.year = num(b.year) ?? view.year;
  }
  return finish(view, commitments, items);
}

function finish(view: CaseView, commitments: Map<string, CommitmentOutcome>, items: ItemLedger): CaseView {
  const outcomes = [...commitments.values()];
  view.commitments = {
    total: outcomes.length,
    kept: outcomes.filter((o) => o === 'kept').length,
    missed: outcomes.filter((o) => o === 'missed').length,
  };
  if (view.kind === 'suggestion') {
    // The current assignment: a re-assigned suggestion leaves its former unit.
    view.units = [...new Set([view.leadUnit, ...view.coHandlers].filter((u): u is string => !!u))];
    if (view.deputyId) view.deputies = [view.deputyId];
  } else {
    view.deputyId ??= view.deputies[0];
    view.coHandlers = view.units.filter((u) => u !== view.leadUnit);
    settleParts(view, items);
    const open = view.parts.filter((p) => p.dueAt && partPending(p, items)).map((p) => p.dueAt!.getTime());
    if (open.length) view.dueAt = new Date(Math.min(...open));
  }
  view.overdue = !view.closed && (view.caseOverdue || view.parts.some((p) => p.overdue));
  if (!view.overdue) view.veryOverdue = false;
  view.sortDue = !view.closed && view.dueAt ? view.dueAt : NEVER;
  if (!view.title) {
    const label = KIND_LABEL[view.kind] ?? view.kind;
    const who = view.kind === 'citizen_opinion' ? view.stationId : (view.subjectId ?? view.units.join('、'));
    view.title = who ? `${label} · ${who}` : label;
  }
  return view;
}
