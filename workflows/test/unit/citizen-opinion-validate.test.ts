// A citizen opinion's pure checks, given / when / then: who may act on it and when, which
// retries pass, and that the first refusal wins (workflows/src/citizen/opinion-validate.ts).
import type { CitizenOpinionInput, CitizenOpinionState } from '../../src';
import { initialOpinionState, stillOpen, validateOpinion } from '../../src/citizen/opinion-validate';

const NOW = new Date('2026-03-02T02:00:00.000Z'); // 2026-03-02 local
const citizen = { role: 'citizen', sub: 'citizen-7f3a' } as const;
const onDuty = { role: 'deputy', sub: 'deputy-001' } as const;
const offDuty = { role: 'deputy', sub: 'deputy-002' } as const;
const staff = { role: 'staff', sub: 'clerk-1' } as const;

/** deputy-001 is on duty today; deputy-002 belongs to the station but only from next year. */
function input(over: Partial<CitizenOpinionInput> = {}): CitizenOpinionInput {
  return {
    caseId: 'opinion-2026-000001',
    jurisdiction: 'cn-test-city',
    stationId: 'station-riverside',
    citizenId: citizen.sub,
    channel: 'online',
    category: 'transport',
    submittedAt: NOW.toISOString(),
    station: {
      deputies: ['deputy-001', 'deputy-002'],
      duty: [
        { deputy: 'deputy-001', from: '2026-03-02', to: '2026-03-02' },
        { deputy: 'deputy-002', from: '2027-01-01' },
      ],
    },
    policy: {},
    ...over,
  } as CitizenOpinionInput;
}

function given(over: Partial<CitizenOpinionState> = {}): CitizenOpinionState {
  return { ...initialOpinionState(input(), NOW), ...over };
}

describe('a new opinion', () => {
  it('given a roster, when the opinion arrives, then it reaches only the deputies on duty that day', () => {
    const s = initialOpinionState(input(), NOW);
    expect(s).toMatchObject({ stage: 'submitted', dutyDeputyIds: ['deputy-001'], overdue: false, events: [] });
    expect(s.caseId).toBe('opinion-2026-000001');
  });

  it('given a station without a roster, when the opinion arrives, then every deputy of the station is on duty', () => {
    const s = initialOpinionState(input({ station: { deputies: ['deputy-001', 'deputy-002'] } }), NOW);
    expect(s.dutyDeputyIds).toEqual(['deputy-001', 'deputy-002']);
  });
});

describe('answering', () => {
  it('given an open opinion, when the deputy on duty answers, then it passes', () => {
    expect(validateOpinion.answer(input(), given(), { by: onDuty, text: '已答复。' }, NOW)).toBeUndefined();
  });

  it('given an open opinion, when a deputy off duty answers, then it is forbidden and names who is on duty', () => {
    expect(validateOpinion.answer(input(), given(), { by: offDuty, text: '已答复。' }, NOW)).toEqual({
      type: 'forbidden',
      message: 'deputy deputy-002 is not on duty at station station-riverside today (on duty: deputy-001)',
    });
  });

  it('given nobody on duty today, when a deputy answers, then the refusal says nobody is', () => {
    const nobody = input({
      station: { deputies: ['deputy-001'], duty: [{ deputy: 'deputy-001', from: '2027-01-01' }] },
    });
    expect(validateOpinion.answer(nobody, given(), { by: onDuty, text: '已答复。' }, NOW)?.message).toMatch(
      /\(on duty: nobody\)$/,
    );
  });

  it('given an open opinion, when staff answer, then only a deputy may', () => {
    expect(validateOpinion.answer(input(), given(), { by: staff, text: '已答复。' }, NOW)?.type).toBe('forbidden');
  });

  it('given an open opinion, when the answer is one character, then the text is invalid', () => {
    expect(validateOpinion.answer(input(), given(), { by: onDuty, text: ' 好 ' }, NOW)).toEqual({
      type: 'invalid',
      message: 'text must be at least 2 characters',
    });
  });

  it('given an answered opinion, when an off-duty deputy sends a bad answer, then the duty check wins', () => {
    const s = given({ stage: 'awaitingRating' });
    expect(validateOpinion.answer(input(), s, { by: offDuty, text: '' }, NOW)?.type).toBe('forbidden');
    expect(validateOpinion.answer(input(), s, { by: onDuty, text: '' }, NOW)).toEqual({
      type: 'conflict',
      message: 'opinion-2026-000001 is awaitingRating; an answer is only possible before a deputy took it up',
    });
  });

  it('given an overdue opinion, when the deputy on duty answers, then it is still open', () => {
    expect(stillOpen(given({ stage: 'overdue' }), 'an answer')).toBeUndefined();
  });
});

describe('taking it up as a suggestion', () => {
  it('given an open opinion, when the deputy on duty takes it up, then it passes', () => {
    expect(validateOpinion.beginForward(input(), given(), { by: onDuty }, NOW)).toBeUndefined();
  });

  it('given it is being forwarded by deputy-001, when deputy-001 asks again, then the retry passes', () => {
    const s = given({ stage: 'forwarding', handledBy: 'deputy-001' });
    expect(validateOpinion.beginForward(input(), s, { by: onDuty }, NOW)).toBeUndefined();
  });

  it('given it is being forwarded, when another deputy on duty asks, then it is a conflict', () => {
    const s = given({ stage: 'forwarding', handledBy: 'deputy-009' });
    expect(validateOpinion.beginForward(input(), s, { by: onDuty }, NOW)?.type).toBe('conflict');
  });
});

describe('linking the suggestion', () => {
  const forwarding = () => given({ stage: 'forwarding', handledBy: 'deputy-001' });

  it('given it is being forwarded, when its deputy links a suggestion, then it passes', () => {
    expect(validateOpinion.link(forwarding(), { by: onDuty, suggestionId: 'suggestion-2026-0001' })).toBeUndefined();
  });

  it('given any stage, when the id is not a suggestion id, then it is invalid first', () => {
    expect(validateOpinion.link(given({ stage: 'closed' }), { by: staff, suggestionId: 'opinion-2026-1' })).toEqual({
      type: 'invalid',
      message: 'suggestionId must look like suggestion-2026-0001',
    });
  });

  it('given the suggestion is already linked, when it is linked again, then the retry passes in any stage', () => {
    const s = given({ stage: 'closed', suggestionId: 'suggestion-2026-0001' });
    expect(validateOpinion.link(s, { by: staff, suggestionId: 'suggestion-2026-0001' })).toBeUndefined();
  });

  it('given an open opinion, when a suggestion is linked, then it must be taken up first', () => {
    expect(validateOpinion.link(given(), { by: onDuty, suggestionId: 'suggestion-2026-0001' })).toEqual({
      type: 'conflict',
      message: 'opinion-2026-000001 is submitted; link a suggestion after taking it up as one',
    });
  });

  it('given it is being forwarded, when another deputy links, then only the one who took it up may', () => {
    expect(validateOpinion.link(forwarding(), { by: offDuty, suggestionId: 'suggestion-2026-0001' })).toEqual({
      type: 'forbidden',
      message: 'only deputy deputy-001, who took it up, links its suggestion',
    });
  });
});

describe('sending a liaison letter', () => {
  it('given an open opinion, when the deputy on duty writes to a unit, then it passes', () => {
    expect(validateOpinion.sendLetter(input(), given(), { by: onDuty, unit: 'edu-bureau' }, NOW)).toBeUndefined();
  });

  it('given an open opinion, when the unit is not a unit id, then it is invalid', () => {
    for (const unit of ['Edu Bureau', 'e', '-edu', ''])
      expect(validateOpinion.sendLetter(input(), given(), { by: onDuty, unit }, NOW)).toEqual({
        type: 'invalid',
        message: 'unit must be a lowercase unit id like "edu-bureau"',
      });
  });

  it('given a letter was sent, when another is sent, then it is a conflict', () => {
    const s = given({ stage: 'letterSent' });
    expect(validateOpinion.sendLetter(input(), s, { by: onDuty, unit: 'edu-bureau' }, NOW)?.type).toBe('conflict');
  });
});

describe('rating the answer', () => {
  const answered = () => given({ stage: 'awaitingRating', handledBy: 'deputy-001' });

  it('given an answer awaits rating, when the citizen rates it, then it passes', () => {
    expect(validateOpinion.rate(input(), answered(), { by: citizen, rating: 'satisfied' })).toBeUndefined();
  });

  it('given an answer awaits rating, when another citizen rates it, then it is forbidden', () => {
    const other = { role: 'citizen', sub: 'citizen-0000' } as const;
    expect(validateOpinion.rate(input(), answered(), { by: other, rating: 'satisfied' })).toEqual({
      type: 'forbidden',
      message: 'only the citizen who sent the opinion rates the answer',
    });
  });

  it('given it is rated, when the citizen rates again, then it is already rated (before the stage check)', () => {
    const s = given({ stage: 'closed', rating: { rating: 'satisfied', assumed: false, at: NOW.toISOString() } });
    expect(validateOpinion.rate(input(), s, { by: citizen, rating: 'unsatisfied' })?.type).toBe('alreadyRated');
  });

  it('given no answer yet, when the citizen rates, then there is nothing to rate', () => {
    expect(validateOpinion.rate(input(), given(), { by: citizen, rating: 'satisfied' })).toEqual({
      type: 'conflict',
      message: 'opinion-2026-000001 is submitted; nothing to rate',
    });
  });

  it('given an answer awaits rating, when the rating is unknown, then it lists the ratings', () => {
    expect(validateOpinion.rate(input(), answered(), { by: citizen, rating: 'great' as never })).toEqual({
      type: 'invalid',
      message: 'rating must be one of satisfied, basicallySatisfied, unsatisfied',
    });
  });
});
