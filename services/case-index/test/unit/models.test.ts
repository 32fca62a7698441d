// The stored view keeps everything the fold produces: a field the schema does not name is
// dropped silently on write (as a part's stage and closure once were), and the API then shows
// less than the events tell. No database: mongoose casts a document without one.
import mongoose from 'mongoose';
import { caseIndexModels } from '../../src/data/models';
import { foldCase } from '../../src/use-cases/projection';
import type { CaseEventDoc } from '../../src/data/models';

const conn = mongoose.createConnection();
const { CaseView } = caseIndexModels(conn);
afterAll(() => conn.close());

const at = (day: number) => new Date(Date.parse('2026-12-01T01:00:00.000Z') + day * 86_400_000);
function ev(caseId: string, kind: string, day: number, type: string, body: object, workflowId = caseId): CaseEventDoc {
  return {
    _id: `${caseId}/${type}/${day}/${workflowId}`,
    caseId,
    type,
    caseKind: kind,
    jurisdiction: 'cn-zj-demo-city',
    occurredAt: at(day),
    producer: 'duban-worker',
    workflowId,
    body: { [type.charAt(0).toLowerCase() + type.slice(1)]: body },
    topic: 'duban.oversight.events',
    partition: 0,
    offset: day,
  };
}

/** The view as the API reads it back: stored, then plain. */
const stored = (view: object) => {
  const { _id, ...rest } = new CaseView({ _id: 'x', ...view }).toObject();
  return rest;
};

it('keeps every field of a view with unit parts, a ladder and links', () => {
  const id = 'review-opinion-2026-0001';
  const view = foldCase([
    ev(
      id,
      'review_opinion',
      0,
      'ReviewOpinionOpened',
      {
        items: [{ itemId: '1', list: 'issue', unit: 'edu-bureau', dueAt: at(5).toISOString() }],
        units: ['edu-bureau'],
        reportDueAt: at(30).toISOString(),
        sourceCaseId: 'supervision-plan-cn-zj-demo-city-2026',
      },
      `${id}.edu-bureau`,
    ),
    ev(
      id,
      'review_opinion',
      0,
      'ReviewOpinionOpened',
      { units: ['transport-bureau'], reportDueAt: at(30).toISOString() },
      `${id}.transport-bureau`,
    ),
    ev(
      id,
      'review_opinion',
      6,
      'OversightItemOverdue',
      { itemId: '1', unit: 'edu-bureau', dueAt: at(5).toISOString() },
      `${id}.edu-bureau`,
    ),
    ev(id, 'review_opinion', 9, 'ReviewOpinionClosed', { outcome: 'completed' }, `${id}.transport-bureau`),
    ev(
      id,
      'review_opinion',
      9,
      'LadderStepStarted',
      { ladderId: `${id}.edu-bureau-ladder-1`, step: 'publicBulletin' },
      `${id}.edu-bureau-ladder-1`,
    ),
  ]);
  expect(view.parts.map((p) => [p.unit, p.stage, p.closed])).toEqual([
    ['edu-bureau', 'opened', false],
    ['transport-bureau', 'closed', true],
  ]);
  expect(stored(view)).toEqual(view);
});

it('keeps every field of a suggestion and of a citizen opinion', () => {
  const s = 'suggestion-2026-0001';
  const suggestion = foldCase([
    ev(s, 'suggestion', 0, 'SuggestionSubmitted', {
      title: '建议',
      category: 'education',
      deputyId: 'deputy-001',
      submittedAt: at(0).toISOString(),
    }),
    ev(s, 'suggestion', 1, 'SuggestionAssigned', {
      leadUnit: 'edu-bureau',
      coHandlers: ['transport-bureau'],
      key: true,
      replyDueAt: at(90).toISOString(),
    }),
    ev(s, 'suggestion', 50, 'SuggestionReplied', { round: 1, grade: 'A', commitments: [{ commitmentId: 'c1' }] }),
    ev(s, 'suggestion', 60, 'SuggestionRated', { rating: 'satisfied' }),
    ev(s, 'suggestion', 61, 'SuggestionScored', { total: 92 }),
    ev(s, 'suggestion', 61, 'SuggestionClosed', { outcome: 'completed', finalRating: 'satisfied', finalGrade: 'A' }),
  ]);
  expect(stored(suggestion)).toEqual(suggestion);
  const o = 'opinion-2026-000001';
  const opinion = foldCase([
    ev(o, 'citizen_opinion', 0, 'CitizenOpinionSubmitted', {
      stationId: 'station-riverside',
      citizenId: 'citizen-001',
      dutyDeputyIds: ['deputy-001'],
      answerDueAt: at(7).toISOString(),
    }),
    ev(o, 'citizen_opinion', 8, 'CitizenOpinionOverdue', {
      stationId: 'station-riverside',
      dueAt: at(7).toISOString(),
    }),
  ]);
  expect(stored(opinion)).toEqual(opinion);
});
