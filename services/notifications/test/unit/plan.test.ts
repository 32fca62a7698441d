import { create, EnvelopeSchema, timestampFromDate, type Envelope } from '@duban/proto';
import { caseFactsFrom, planMessages } from '../../src/use-cases/plan';
import { EVENT_TYPES } from '../../src/use-cases/event-types';

function env(body: Envelope['body']): Envelope {
  return create(EnvelopeSchema, { eventId: 'e', caseId: 'suggestion-2026-0001', type: 'x', body });
}
const due = timestampFromDate(new Date('2026-05-01T02:00:00Z'));

describe('who is told what', () => {
  it('knows every event type of the contract', () => {
    expect(EVENT_TYPES).toContain('SuggestionSubmitted');
    expect(EVENT_TYPES).toContain('ReplyReminderSent');
    expect(EVENT_TYPES).toContain('LadderExhausted');
    expect(EVENT_TYPES).toContain('ReviewOpinionOpened');
    // Every area adds its events to the contract: no fixed count, but no name twice.
    expect(EVENT_TYPES.length).toBeGreaterThanOrEqual(28);
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
    expect(EVENT_TYPES).toContain('LivelihoodVoteTallied');
  });

  it('remembers the deputy and title from the submission, the units from the assignment', () => {
    expect(
      caseFactsFrom(env({ case: 'suggestionSubmitted', value: { deputyId: 'deputy-001', title: 'T' } as never })),
    ).toEqual({ deputyId: 'deputy-001', title: 'T' });
    expect(
      caseFactsFrom(
        env({
          case: 'suggestionAssigned',
          value: { leadUnit: 'edu-bureau', coHandlers: ['transport-bureau'] } as never,
        }),
      ),
    ).toEqual({ leadUnit: 'edu-bureau', coHandlers: ['transport-bureau'] });
  });

  it('tells the deputy, the lead unit and each co-handler of an assignment', () => {
    const e = env({
      case: 'suggestionAssigned',
      value: { leadUnit: 'edu-bureau', coHandlers: ['transport-bureau'], replyDueAt: due } as never,
    });
    const msgs = planMessages(e, { deputyId: 'deputy-001', title: 'T' });
    expect(msgs.map((m) => [m.recipient, m.template])).toEqual([
      ['deputy:deputy-001', 'assignedDeputy'],
      ['unit:edu-bureau', 'assignedLead'],
      ['unit:transport-bureau', 'assignedCoHandler'],
    ]);
  });

  it('tells the deputy and department proposers of a livelihood candidate how screening went, not the citizens', () => {
    const e = env({
      case: 'livelihoodCandidateScreened',
      value: {
        candidateId: 'c0004',
        accepted: false,
        reason: '不属于民生实事范围',
        proposerIds: ['citizen:citizen-7', 'deputy:deputy-001', 'unit:health-commission', 'station:station-west'],
      } as never,
    });
    expect(planMessages(e, {}).map((m) => [m.recipient, m.template, m.data.reason])).toEqual([
      ['deputy:deputy-001', 'candidateRejectedProposer', '不属于民生实事范围'],
      ['unit:health-commission', 'candidateRejectedProposer', '不属于民生实事范围'],
    ]);
    const late = env({
      case: 'livelihoodProgressOverdue',
      value: { unit: 'edu-bureau', period: 3, dueAt: due, veryOverdue: false } as never,
    });
    expect(planMessages(late, {}).map((m) => [m.recipient, m.template])).toEqual([
      ['unit:edu-bureau', 'progressOverdueUnit'],
    ]);
  });

  it('sends a very overdue case to the unit and the staff; a reminder to the unit only', () => {
    const very = env({
      case: 'suggestionOverdue',
      value: { unit: 'edu-bureau', dueAt: due, veryOverdue: true } as never,
    });
    expect(planMessages(very, {}).map((m) => m.recipient)).toEqual(['unit:edu-bureau', 'staff']);
    const reminder = env({ case: 'replyReminderSent', value: { dueAt: due, reminderNo: 1 } as never });
    expect(planMessages(reminder, { leadUnit: 'edu-bureau' })).toEqual([
      expect.objectContaining({ recipient: 'unit:edu-bureau', template: 'reminderLead' }),
    ]);
  });

  it('tells the lead unit when a published calendar moves its reply deadline', () => {
    const moved = env({
      case: 'deadlineRecomputed',
      value: {
        deadline: 'reply',
        unit: 'edu-bureau',
        oldDueAt: due,
        newDueAt: timestampFromDate(new Date('2026-05-08T15:59:59.999Z')),
        calendarYear: 2027,
      } as never,
    });
    expect(planMessages(moved, { title: 'T' })).toEqual([
      {
        recipient: 'unit:edu-bureau',
        template: 'deadlineRecomputedLead',
        data: {
          caseId: 'suggestion-2026-0001',
          title: 'T',
          oldDueAt: '2026-05-01T02:00:00.000Z',
          newDueAt: '2026-05-08T15:59:59.999Z',
          calendarYear: 2027,
        },
      },
    ]);
  });

  it('tells the deputies on duty of a citizen opinion, by id only; the department and staff of an unanswered letter', () => {
    const arrived = env({
      case: 'citizenOpinionSubmitted',
      value: { stationId: 'station-riverside', dutyDeputyIds: ['deputy-001', 'deputy-002'], answerDueAt: due } as never,
    });
    const msgs = planMessages(arrived, {});
    expect(msgs.map((m) => [m.recipient, m.template])).toEqual([
      ['deputy:deputy-001', 'opinionArrivedDeputy'],
      ['deputy:deputy-002', 'opinionArrivedDeputy'],
    ]);
    expect(msgs[0].data).toMatchObject({ stationId: 'station-riverside', dueAt: '2026-05-01T02:00:00.000Z' });
    const sent = env({
      case: 'liaisonLetterSent',
      value: { opinionId: 'opinion-2026-000001', deputyId: 'deputy-001', unit: 'edu-bureau', replyDueAt: due } as never,
    });
    expect(caseFactsFrom(sent)).toEqual({ deputyId: 'deputy-001', leadUnit: 'edu-bureau' });
    const overdue = env({ case: 'liaisonLetterOverdue', value: { unit: 'edu-bureau', replyDueAt: due } as never });
    expect(planMessages(overdue, {}).map((m) => [m.recipient, m.template])).toEqual([
      ['unit:edu-bureau', 'letterOverdueUnit'],
      ['staff', 'letterOverdueStaff'],
    ]);
    const replied = env({ case: 'liaisonLetterReplied', value: { unit: 'edu-bureau', ratingDueAt: due } as never });
    expect(planMessages(replied, { deputyId: 'deputy-001' }).map((m) => m.recipient)).toEqual(['deputy:deputy-001']);
  });
});
