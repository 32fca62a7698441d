// Citizens' opinions (民情快递) and liaison letters (代表联系函) on the time-skipping test
// server: the happy paths, each deadline, each refusal, and an opinion taken up as a
// suggestion with the link kept both ways.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { localDateOf, type DutyEntry, type EffectivePolicy } from '@duban/domain';
import { timestampDate, type Envelope } from '@duban/proto';
import {
  answerOpinionUpdate,
  beginForwardUpdate,
  letterStateQuery,
  linkSuggestionUpdate,
  opinionStateQuery,
  rateLetterUpdate,
  rateOpinionUpdate,
  replyLetterUpdate,
  sendLetterUpdate,
  stateQuery,
  ladderStateQuery,
  type Actor,
  type CitizenOpinionInput,
  type CitizenOpinionState,
  type LiaisonLetterState,
  type citizenOpinionWorkflow,
} from '../src';
import { createHarness, refusal, typesOf, type Harness } from './support/case-driver';
import { submitOpinion } from './scenarios/citizen';
import { testPolicy } from '../../tests/support/policy';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h?.teardown();
});

const policy: EffectivePolicy = testPolicy();
const DAY = 86_400_000;
const citizen: Actor = { role: 'citizen', sub: 'citizen-7f3a' };
const otherCitizen: Actor = { role: 'citizen', sub: 'citizen-0000' };
const onDuty: Actor = { role: 'deputy', sub: 'deputy-001' };
const offDuty: Actor = { role: 'deputy', sub: 'deputy-002' };
const eduUnit: Actor = { role: 'unit', sub: 'handler-1', unit: 'edu-bureau' };
const otherUnit: Actor = { role: 'unit', sub: 'handler-2', unit: 'transport-bureau' };

/** Today (local) deputy-001 is on duty; deputy-002 only from next year on. */
async function roster(): Promise<DutyEntry[]> {
  const today = localDateOf(new Date(await h.env.currentTimeMs()));
  const nextYear = `${Number(today.slice(0, 4)) + 1}-01-01`;
  return [
    { deputy: 'deputy-001', from: today, to: today },
    { deputy: 'deputy-002', from: nextYear },
  ];
}

async function submit(
  extra: Partial<CitizenOpinionInput> = {},
): Promise<WorkflowHandle<typeof citizenOpinionWorkflow>> {
  const caseId = `opinion-2026-${randomUUID().slice(0, 8)}`;
  const station = { deputies: ['deputy-001', 'deputy-002'], duty: await roster() };
  return submitOpinion(h, { caseId, citizenId: citizen.sub, category: 'transport', station, policy }, extra);
}

const opinion = (w: WorkflowHandle): Promise<CitizenOpinionState> => w.query(opinionStateQuery);
const letter = (id: string): Promise<LiaisonLetterState> => h.env.client.workflow.getHandle(id).query(letterStateQuery);

async function until<S extends { stage: string }>(
  read: () => Promise<S>,
  stage: string,
  step: Duration = '1 hour',
): Promise<S> {
  for (let i = 0; i < 2000; i++) {
    const s = await read().catch(() => undefined);
    if (s?.stage === stage) return s;
    await h.env.sleep(step);
  }
  throw new Error(`never reached ${stage}; it is ${(await read()).stage}`);
}

function eventsOf(caseId: string): Envelope[] {
  return h.published.filter((e) => e.caseId === caseId);
}

describe('a citizen opinion', () => {
  test('reaches the deputies on duty; one answers, the citizen rates, the case closes', async () => {
    const w = await submit();
    await until(() => opinion(w), 'submitted', '1 second');
    const s0 = await opinion(w);
    expect(s0.dutyDeputyIds).toEqual(['deputy-001']);

    const s1 = await w.executeUpdate(answerOpinionUpdate, {
      args: [{ by: onDuty, text: '已联系交通部门，下周增设公交站牌。' }],
    });
    expect(s1.stage).toBe('awaitingRating');
    expect(s1.handledBy).toBe('deputy-001');
    expect(s1.onTime).toBe(true);

    await w.executeUpdate(rateOpinionUpdate, { args: [{ by: citizen, rating: 'basicallySatisfied' }] });
    const done = await w.result();
    expect(done.stage).toBe('closed');
    expect(done.closedOutcome).toBe('answered');
    expect(done.rating).toMatchObject({ rating: 'basicallySatisfied', assumed: false });
    expect(typesOf(h.published, done.caseId)).toEqual([
      'CitizenOpinionSubmitted',
      'CitizenOpinionAnswered',
      'CitizenOpinionRated',
      'CitizenOpinionClosed',
    ]);
    const submitted = eventsOf(done.caseId)[0];
    expect(submitted.actor).toBe(`citizen:${citizen.sub}`);
    expect(submitted.body.case).toBe('citizenOpinionSubmitted');
    expect(eventsOf(done.caseId).map((e) => e.eventId)).toEqual([
      `${done.caseId}/submitted`,
      `${done.caseId}/answered`,
      `${done.caseId}/rated`,
      `${done.caseId}/closed`,
    ]);
  });

  test('refuses a deputy not on duty, a rating by another citizen, a second answer; nothing changes', async () => {
    const w = await submit();
    await until(() => opinion(w), 'submitted', '1 second');
    expect(await refusal(w.executeUpdate(answerOpinionUpdate, { args: [{ by: offDuty, text: '我来答复。' }] }))).toBe(
      'NotYourCase',
    );
    expect(
      await refusal(
        w.executeUpdate(answerOpinionUpdate, {
          args: [{ by: { role: 'deputy', sub: 'deputy-999' }, text: '我来答复。' }],
        }),
      ),
    ).toBe('NotYourCase');
    expect(await refusal(w.executeUpdate(rateOpinionUpdate, { args: [{ by: citizen, rating: 'satisfied' }] }))).toBe(
      'StageConflict',
    );
    expect((await opinion(w)).stage).toBe('submitted');
    expect((await opinion(w)).handledBy).toBeUndefined();

    await w.executeUpdate(answerOpinionUpdate, { args: [{ by: onDuty, text: '已答复群众。' }] });
    expect(await refusal(w.executeUpdate(answerOpinionUpdate, { args: [{ by: onDuty, text: '再答一次。' }] }))).toBe(
      'StageConflict',
    );
    expect(
      await refusal(w.executeUpdate(rateOpinionUpdate, { args: [{ by: otherCitizen, rating: 'unsatisfied' }] })),
    ).toBe('NotYourCase');
    expect(
      await refusal(w.executeUpdate(rateOpinionUpdate, { args: [{ by: citizen, rating: 'great' as never }] })),
    ).toBe('InvalidInput');
    const s = await opinion(w);
    expect(s.rating).toBeUndefined();
    expect(s.answer?.text).toBe('已答复群众。');

    // No rating within the window counts as the policy says.
    const done = await until(() => opinion(w), 'closed', '1 day');
    expect(done.rating).toMatchObject({ rating: policy.policy.citizen.noRatingCountsAs, assumed: true });
  });

  test('no deputy acting within the answer window marks it overdue; a late answer still closes it', async () => {
    const start = await h.env.currentTimeMs();
    const w = await submit({ station: { deputies: ['deputy-001'] } });
    const s = await until(() => opinion(w), 'overdue', '1 day');
    const dueAt = Date.parse(s.answerDueAt);
    // 10 working days: at least two weeks of calendar.
    expect(dueAt - start).toBeGreaterThanOrEqual(13 * DAY);
    const overdue = eventsOf(s.caseId).find((e) => e.type === 'CitizenOpinionOverdue')!;
    expect(overdue.actor).toBe('system');
    expect(overdue.body.case === 'citizenOpinionOverdue' && timestampDate(overdue.body.value.dueAt!).getTime()).toBe(
      dueAt,
    );
    const desc = await w.describe();
    expect(desc.searchAttributes.Overdue).toEqual([true]);
    expect(desc.searchAttributes.CaseKind).toBeUndefined(); // set by the service at start, not by the test

    const late = await w.executeUpdate(answerOpinionUpdate, { args: [{ by: onDuty, text: '迟到的答复。' }] });
    expect(late.onTime).toBe(false);
    await w.executeUpdate(rateOpinionUpdate, { args: [{ by: citizen, rating: 'unsatisfied' }] });
    expect((await w.result()).closedOutcome).toBe('answered');
  });
});

describe('a liaison letter', () => {
  test('the department replies in time; the citizen and the deputy rate; letter and opinion close', async () => {
    const w = await submit();
    await until(() => opinion(w), 'submitted', '1 second');
    expect(
      await refusal(w.executeUpdate(sendLetterUpdate, { args: [{ by: offDuty, unit: 'transport-bureau' }] })),
    ).toBe('NotYourCase');
    expect(await refusal(w.executeUpdate(sendLetterUpdate, { args: [{ by: onDuty, unit: 'Not A Unit' }] }))).toBe(
      'InvalidInput',
    );
    const sent = await w.executeUpdate(sendLetterUpdate, { args: [{ by: onDuty, unit: 'edu-bureau' }] });
    expect(sent.stage).toBe('letterSent');
    const letterId = sent.letter!.letterId;
    expect(letterId).toBe(`${sent.caseId}-letter-1`);
    const l0 = await until(() => letter(letterId), 'sent', '1 second');
    // 1 month to reply.
    expect(Date.parse(l0.replyDueAt) - Date.parse(l0.sentAt)).toBeGreaterThanOrEqual(28 * DAY);
    const lh = h.env.client.workflow.getHandle(letterId);

    expect(await refusal(lh.executeUpdate(rateLetterUpdate, { args: [{ by: citizen, rating: 'satisfied' }] }))).toBe(
      'StageConflict',
    );
    expect(await refusal(lh.executeUpdate(replyLetterUpdate, { args: [{ by: otherUnit, text: '已处理。' }] }))).toBe(
      'NotYourCase',
    );
    expect((await letter(letterId)).reply).toBeUndefined();

    await h.env.sleep('3 days');
    const replied = await lh.executeUpdate(replyLetterUpdate, { args: [{ by: eduUnit, text: '已安排增设护学岗。' }] });
    expect(replied.stage).toBe('awaitingRating');
    expect(replied.reply?.onTime).toBe(true);
    expect(await refusal(lh.executeUpdate(replyLetterUpdate, { args: [{ by: eduUnit, text: '再次答复。' }] }))).toBe(
      'StageConflict',
    );

    expect(
      await refusal(lh.executeUpdate(rateLetterUpdate, { args: [{ by: otherCitizen, rating: 'unsatisfied' }] })),
    ).toBe('NotYourCase');
    expect(await refusal(lh.executeUpdate(rateLetterUpdate, { args: [{ by: offDuty, rating: 'unsatisfied' }] }))).toBe(
      'NotYourCase',
    );
    await lh.executeUpdate(rateLetterUpdate, { args: [{ by: citizen, rating: 'satisfied' }] });
    expect(await refusal(lh.executeUpdate(rateLetterUpdate, { args: [{ by: citizen, rating: 'unsatisfied' }] }))).toBe(
      'AlreadyRated',
    );
    await lh.executeUpdate(rateLetterUpdate, { args: [{ by: onDuty, rating: 'basicallySatisfied' }] });

    const closedLetter = (await lh.result()) as LiaisonLetterState;
    expect(closedLetter.ratings.citizen).toMatchObject({ rating: 'satisfied', assumed: false });
    expect(closedLetter.ratings.deputy).toMatchObject({ rating: 'basicallySatisfied', assumed: false });
    expect(typesOf(h.published, letterId)).toEqual([
      'LiaisonLetterSent',
      'LiaisonLetterReplied',
      'LiaisonLetterRated',
      'LiaisonLetterRated',
      'LiaisonLetterClosed',
    ]);
    const done = await w.result();
    expect(done.closedOutcome).toBe('letterClosed');
    expect(done.letter).toMatchObject({ letterId, unit: 'edu-bureau', outcome: 'rated' });
    expect(typesOf(h.published, done.caseId)).toEqual([
      'CitizenOpinionSubmitted',
      'CitizenOpinionLetterSent',
      'CitizenOpinionClosed',
    ]);
    const letterDesc = await lh.describe();
    expect(letterDesc.searchAttributes.CaseKind).toEqual(['liaison_letter']);
    expect(letterDesc.searchAttributes.Unit).toEqual(['edu-bureau']);
  });

  test('an unanswered letter is reminded, then climbs the ladder; a late reply and no ratings still close it', async () => {
    const w = await submit();
    await until(() => opinion(w), 'submitted', '1 second');
    const { letter: l } = await w.executeUpdate(sendLetterUpdate, { args: [{ by: onDuty, unit: 'edu-bureau' }] });
    const letterId = l!.letterId;
    const escalated = await until(() => letter(letterId), 'escalated', '1 day');
    expect(escalated.overdue).toBe(true);
    const ladderId = `${letterId}-ladder-1`;
    expect(escalated.ladders).toEqual([{ ladderId }]);
    const types = typesOf(h.published, letterId);
    expect(types).toEqual([
      'LiaisonLetterSent',
      'LiaisonLetterReminder',
      'LiaisonLetterOverdue',
      'LadderStarted',
      'LadderStepStarted',
    ]);
    const ladder = await h.env.client.workflow.getHandle(ladderId).query(ladderStateQuery);
    expect(ladder).toMatchObject({ caseId: letterId, unit: 'edu-bureau', status: 'climbing' });
    const lh = h.env.client.workflow.getHandle(letterId);
    const desc = await lh.describe();
    expect(desc.searchAttributes.Overdue).toEqual([true]);
    expect(desc.searchAttributes.Stage).toEqual(['escalated']);

    const late = await lh.executeUpdate(replyLetterUpdate, { args: [{ by: eduUnit, text: '迟复：已整改。' }] });
    expect(late.reply?.onTime).toBe(false);
    const closed = await until(() => letter(letterId), 'closed', '1 day');
    expect(closed.ratings.citizen).toMatchObject({ assumed: true, rating: policy.policy.citizen.noRatingCountsAs });
    expect(closed.ratings.deputy).toMatchObject({ assumed: true });
    expect((await w.result()).closedOutcome).toBe('letterClosed');
  });
});

describe('a citizen letter turned into a suggestion', () => {
  test('the deputy on duty takes it up; the suggestion and the opinion name each other', async () => {
    const w = await submit();
    const s0 = await until(() => opinion(w), 'submitted', '1 second');
    expect(await refusal(w.executeUpdate(beginForwardUpdate, { args: [{ by: offDuty }] }))).toBe('NotYourCase');
    const begun = await w.executeUpdate(beginForwardUpdate, { args: [{ by: onDuty }] });
    expect(begun.stage).toBe('forwarding');
    // Repeating it (a retry) is harmless; another deputy may not take over.
    expect((await w.executeUpdate(beginForwardUpdate, { args: [{ by: onDuty }] })).stage).toBe('forwarding');
    expect(await refusal(w.executeUpdate(answerOpinionUpdate, { args: [{ by: onDuty, text: '直接答复。' }] }))).toBe(
      'StageConflict',
    );

    // What the suggestions service's intake does: start the suggestion with the source case id.
    const sh = await h.start(policy, { sourceCaseId: s0.caseId, deputyId: 'deputy-001' });
    const suggestionId = sh.workflowId;
    expect(await refusal(w.executeUpdate(linkSuggestionUpdate, { args: [{ by: offDuty, suggestionId }] }))).toBe(
      'NotYourCase',
    );
    const linked = await w.executeUpdate(linkSuggestionUpdate, { args: [{ by: onDuty, suggestionId }] });
    expect(linked.suggestionId).toBe(suggestionId);
    // The same link again is a harmless retry.
    await w.executeUpdate(linkSuggestionUpdate, { args: [{ by: onDuty, suggestionId }] });

    const done = await w.result();
    expect(done.closedOutcome).toBe('forwarded');
    expect(done.suggestionId).toBe(suggestionId);
    expect((await sh.query(stateQuery)).sourceCaseId).toBe(s0.caseId);
    const forwarded = eventsOf(s0.caseId).find((e) => e.type === 'CitizenOpinionForwarded')!;
    expect(forwarded.body.case === 'citizenOpinionForwarded' && forwarded.body.value.suggestionId).toBe(suggestionId);
    expect(typesOf(h.published, s0.caseId)).toEqual([
      'CitizenOpinionSubmitted',
      'CitizenOpinionForwarded',
      'CitizenOpinionClosed',
    ]);
    await sh.terminate('test done');
  });
});

describe('no personal data', () => {
  test('events, input and search attributes carry ids only', async () => {
    const w = await submit();
    await w.executeUpdate(answerOpinionUpdate, { args: [{ by: onDuty, text: '已答复。' }] });
    const desc = await w.describe();
    const history = JSON.stringify(await w.fetchHistory());
    // The input has no field for contact details at all.
    expect(Object.keys((await w.query(opinionStateQuery)) as object)).not.toEqual(
      expect.arrayContaining(['phone', 'name', 'email', 'contact']),
    );
    expect(history).not.toMatch(/phone|email|contact/i);
    expect(Object.keys(desc.searchAttributes).sort()).toEqual(expect.arrayContaining(['DueAt', 'Overdue', 'Stage']));
    await w.terminate('test done');
  });
});
