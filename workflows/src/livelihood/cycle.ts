// The annual cycle of livelihood projects decided by the deputies' vote (民生实事项目票决制): one
// workflow a year per jurisdiction, started by a Temporal Schedule. Year-round collection of
// candidates (continuing as new so that its history stays small however many arrive), screening,
// the government's feasibility review, the ballot list (差额), the vote — whose ballots the
// livelihood service stores and counts; the workflow applies the policy's quorum, majority and tie
// rules to the count — and then one project workflow per elected project.
// Deterministic: the clock is the workflow's, every side effect is an activity.
// The parts: cycle-validate.ts and cycle-state.ts (pure checks and changes), cycle-handlers.ts.
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { localDateOf } from '@duban/domain/pure';
import { acts, eventChain, ms, untilMs } from '../case-kit';
import { CaseKind, CycleYear, DueAt, Jurisdiction, stageAttributes } from '../search-attributes';
import { describeCase, timer, upsertSearchAttributes } from '../ui';
import { cycleIdOf, type Candidate, type CycleInput, type CycleStage, type CycleState } from './definitions';
import { registerCycleHandlers, type CycleCase } from './cycle-handlers';
import { currentCycleVote } from './cycle-validate';

export async function livelihoodCycleWorkflow(input: CycleInput): Promise<CycleState> {
  const lp = input.policy.policy.livelihood;
  const nowIso = () => new Date().toISOString();

  // ---- state: carried over by continue-as-new, or new.
  let state: CycleState;
  if (input.carried) {
    state = input.carried;
    state.runs++;
  } else {
    const year = input.year ?? Number(localDateOf(new Date()).slice(0, 4));
    state = {
      cycleId: cycleIdOf(input.jurisdiction, year),
      jurisdiction: input.jurisdiction,
      year,
      stage: 'collecting',
      startedAt: nowIso(),
      collectionClosesAt: '',
      candidates: [],
      nextCandidateNo: 1,
      votes: [],
      elected: [],
      projects: [],
      runs: 1,
      eventsPublished: 0,
    };
  }
  // What the console's forms need of the policy (pure assignments: nothing for the history).
  state.feasibilityReviewer = lp.feasibilityReviewer;
  state.seats = lp.seats;
  state.ballotCandidates = lp.ballotCandidates;
  const candidate = (id: string) => state.candidates.find((c) => c.candidateId === id)!;

  // ---- publishing: one event per transition, in order, with a deterministic id.
  const publish = eventChain({
    caseId: state.cycleId,
    caseKind: 'livelihood_cycle',
    jurisdiction: state.jurisdiction,
    record: () => state.eventsPublished++,
  });
  describeCase(() => ({
    年度: state.year,
    候选项目: state.candidates.length,
    当选项目: state.projects?.length || undefined,
  }));
  function setStage(stage: CycleStage, dueAt?: string): void {
    state.stage = stage;
    upsertSearchAttributes([...stageAttributes(stage), ...(dueAt ? [{ key: DueAt, value: new Date(dueAt) }] : [])]);
  }
  upsertSearchAttributes([
    { key: CaseKind, value: 'livelihood_cycle' },
    { key: Jurisdiction, value: state.jurisdiction },
    { key: CycleYear, value: state.year },
    ...stageAttributes(state.stage),
  ]);
  const c: CycleCase = { input, state, lp, run: { closeRequested: false }, publish, setStage };
  registerCycleHandlers(c);

  // ---- continue-as-new while collecting or screening: the history stays small however many
  // candidates arrive. Everything the cycle knows travels in its state.
  const historyFull = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.historyLimit !== undefined && workflowInfo().historyLength >= input.historyLimit);
  async function continueIfFull(): Promise<void> {
    if (!historyFull()) return;
    await condition(allHandlersFinished);
    await publish.settled();
    await continueAsNew<typeof livelihoodCycleWorkflow>({ ...input, carried: state });
  }

  // 1. Collection, all year round until the policy's date (or staff close it early).
  if (!state.collectionClosesAt) {
    state.collectionClosesAt = await acts.computeDeadline({ from: state.startedAt, window: lp.collectionWindow });
    setStage('collecting', state.collectionClosesAt);
    await publish('opened', {
      livelihoodCycleOpened: {
        year: state.year,
        collectionClosesAt: state.collectionClosesAt,
        seats: lp.seats,
        ballotCandidates: lp.ballotCandidates,
      },
    });
  }
  while (state.stage === 'collecting') {
    const ended = await condition(
      () => c.run.closeRequested || historyFull(),
      untilMs(state.collectionClosesAt),
      timer('候选项目征集截止', state.collectionClosesAt),
    );
    if (!c.run.closeRequested && Date.now() < ms(state.collectionClosesAt)) {
      if (ended) await continueIfFull();
      continue;
    }
    const count = (s: Candidate['status']) => state.candidates.filter((c) => c.status === s).length;
    setStage('screening');
    await publish('collection-closed', {
      livelihoodCollectionClosed: {
        candidates: state.candidates.length,
        accepted: count('accepted'),
        rejected: count('rejected'),
        unscreened: count('proposed'),
      },
    });
  }

  // 2. Screening of what is left unscreened.
  while (state.stage === 'screening') {
    await condition(() => !state.candidates.some((c) => c.status === 'proposed') || historyFull());
    if (state.candidates.some((c) => c.status === 'proposed')) {
      await continueIfFull();
      continue;
    }
    await condition(allHandlersFinished);
    state.feasibilityDueAt = await acts.computeDeadline({ from: nowIso(), window: lp.feasibilityWindow });
    setStage('feasibility', state.feasibilityDueAt);
    await publish('feasibility-requested', {
      livelihoodFeasibilityRequested: {
        candidateIds: state.candidates.filter((c) => c.status === 'accepted').map((c) => c.candidateId),
        reviewer: lp.feasibilityReviewer,
        dueAt: state.feasibilityDueAt,
      },
    });
  }

  // 3. The government's feasibility review, within its window.
  if (state.stage === 'feasibility') {
    const pending = () => state.candidates.filter((c) => c.status === 'accepted' && !c.feasibility);
    await condition(
      () => pending().length === 0,
      untilMs(state.feasibilityDueAt!),
      timer('政府可行性论证期限', state.feasibilityDueAt, lp.feasibilityWindow),
    );
    await condition(allHandlersFinished);
    const late = pending();
    for (const c of late) c.status = 'notReviewed';
    if (late.length > 0)
      await publish('feasibility-overdue', {
        livelihoodFeasibilityOverdue: { candidateIds: late.map((c) => c.candidateId) },
      });
    setStage('ballotList');
  }

  // 4. The ballot list, then the vote: rounds until elected (revote without quorum, runoff on a tie).
  const voteDone = () => {
    const next = currentCycleVote(state)?.tally?.next;
    return next === 'elected' || next === 'noProjects';
  };
  await condition(() => voteDone() && allHandlersFinished());

  // 5. Implementation: each elected project its own workflow.
  if (state.elected.length === 0) {
    state.outcome = 'noProjects';
  } else {
    setStage('implementation');
    state.projects = state.elected.map((candidateId, i) => ({
      projectId: `${state.cycleId}-p${String(i + 1).padStart(2, '0')}`,
      candidateId,
      leadUnit: candidate(candidateId).feasibility!.leadUnit,
    }));
    await publish('elected', {
      livelihoodProjectsElected: {
        projectIds: state.projects.map((p) => p.projectId),
        candidateIds: state.projects.map((p) => p.candidateId),
      },
    });
    for (const p of state.projects) {
      const k = candidate(p.candidateId);
      await acts.startLivelihoodProject({
        projectId: p.projectId,
        cycleId: state.cycleId,
        cycleWorkflowId: workflowInfo().workflowId,
        jurisdiction: state.jurisdiction,
        year: state.year,
        candidateId: k.candidateId,
        title: k.title,
        category: k.category,
        leadUnit: k.feasibility!.leadUnit,
        coUnits: k.feasibility!.coUnits,
        budget: k.feasibility!.costEstimate,
        milestones: k.feasibility!.milestones,
        policy: input.policy,
      });
    }
    // The cycle's year ends when every project has been rated or carried over.
    await condition(() => state.projects.every((p) => !!p.settled));
    state.outcome = 'completed';
  }
  const settled = (s: string) => state.projects.filter((p) => p.settled === s).length;
  setStage('closed');
  await publish('closed', {
    livelihoodCycleClosed: {
      year: state.year,
      projects: state.projects.length,
      satisfactory: settled('satisfactory'),
      unsatisfactory: settled('unsatisfactory'),
      carriedOver: settled('carriedOver'),
      outcome: state.outcome,
    },
  });
  await condition(allHandlersFinished);
  return state;
}
