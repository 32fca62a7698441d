// The annual cycle of livelihood projects decided by the deputies' vote (民生实事项目票决制): one
// workflow a year per jurisdiction, started by a Temporal Schedule. Year-round collection of
// candidates (continuing as new so that its history stays small however many arrive), screening,
// the government's feasibility review, the ballot list (差额), the vote — whose ballots the
// livelihood service stores and counts; the workflow applies the policy's quorum, majority and tie
// rules to the count — and then one project workflow per elected project.
// Deterministic: the clock is the workflow's, every side effect is an activity.
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { decideVote, localDateOf } from '@duban/domain/pure';
import { acts, actorName, conflict, eventChain, forbidden, invalid, ms, untilMs } from '../case-kit';
import { CaseKind, CycleYear, DueAt, Jurisdiction, stageAttributes } from '../search-attributes';
import { describeCase, timer, upsertSearchAttributes } from '../ui';
import { requireNonEmpty, type Actor } from '../kernel';
import {
  PROPOSER_KINDS,
  closeCollectionUpdate,
  cycleIdOf,
  cycleStateQuery,
  mergeCandidatesUpdate,
  openLivelihoodVoteUpdate,
  projectSettledSignal,
  proposeUpdate,
  publishBallotListUpdate,
  recordTallyUpdate,
  reviewFeasibilityUpdate,
  screenUpdate,
  type Candidate,
  type CycleInput,
  type CycleStage,
  type CycleState,
  type LivelihoodVoteRound,
} from './definitions';
import { CYCLE_ACTION_STAGES as STAGES, isBallotEligible, isFeasibilityReviewer, isLiveCandidate } from './rules';
import { isStaffActor } from '../gates';

const unitIdPattern = /^[a-z0-9][a-z0-9-]{1,63}$/;
const localDatePattern = /^\d{4}-\d{2}-\d{2}$/;

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
  const byId = new Map<string, Candidate>(state.candidates.map((c) => [c.candidateId, c]));
  let closeRequested = false;

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

  // ---- validators' helpers
  const requireStaff = (by: Actor) => {
    if (!isStaffActor(by)) throw forbidden('only committee staff may do this');
  };
  const requireStage = (allowed: readonly CycleStage[], what: string) => {
    if (!allowed.includes(state.stage))
      throw conflict(`${state.cycleId} is ${state.stage}; ${what} is possible only when ${allowed.join(' or ')}`);
  };
  const candidate = (id: string) => {
    const c = byId.get(id);
    if (!c) throw invalid(`no candidate ${id} in ${state.cycleId}`);
    return c;
  };
  const currentVote = (): LivelihoodVoteRound | undefined => state.votes[state.votes.length - 1];

  setHandler(cycleStateQuery, () => state);

  setHandler(
    proposeUpdate,
    async (p) => {
      const candidateId = `c${String(state.nextCandidateNo++).padStart(4, '0')}`;
      const c: Candidate = {
        candidateId,
        title: p.title.trim(),
        category: p.category,
        proposers: [p.proposer],
        proposedAt: nowIso(),
        status: 'proposed',
      };
      state.candidates.push(c);
      byId.set(candidateId, c);
      await publish(
        `proposed/${candidateId}`,
        {
          livelihoodCandidateProposed: {
            candidateId,
            proposerKind: p.proposer.kind,
            proposerId: p.proposer.id,
            category: p.category,
          },
        },
        actorName(p.by),
      );
      return c;
    },
    {
      validator: (p) => {
        requireStage(STAGES.propose, 'proposing a candidate');
        if (!p.by) throw forbidden('a proposal must name who proposes');
        if (!p.proposer || !(PROPOSER_KINDS as readonly string[]).includes(p.proposer.kind) || !p.proposer.id)
          throw invalid(`proposer must be one of ${PROPOSER_KINDS.join(', ')} with an id`);
        requireNonEmpty(p.title, 'title');
        requireNonEmpty(p.category, 'category');
      },
    },
  );

  setHandler(
    mergeCandidatesUpdate,
    async (m) => {
      const into = byId.get(m.into)!;
      for (const id of m.merge) {
        const c = byId.get(id)!;
        c.status = 'merged';
        c.mergedInto = m.into;
        for (const p of c.proposers)
          if (!into.proposers.some((q) => q.kind === p.kind && q.id === p.id)) into.proposers.push(p);
      }
      await publish(
        `merged/${m.into}/${m.merge.join('+')}`,
        {
          livelihoodCandidatesMerged: {
            intoCandidateId: m.into,
            mergedCandidateIds: m.merge,
            proposers: into.proposers.length,
            reason: m.reason,
          },
        },
        actorName(m.by),
      );
      return into;
    },
    {
      validator: (m) => {
        requireStaff(m.by);
        requireStage(STAGES.merge, 'merging duplicates');
        requireNonEmpty(m.reason, 'reason');
        if (!Array.isArray(m.merge) || m.merge.length === 0) throw invalid('merge must list the duplicates');
        if (new Set(m.merge).size !== m.merge.length || m.merge.includes(m.into))
          throw invalid('merge must list distinct duplicates, not the surviving candidate');
        const into = candidate(m.into);
        if (!isLiveCandidate(into))
          throw conflict(`candidate ${m.into} is ${into.status}; merge into a live candidate`);
        for (const id of m.merge) {
          const c = candidate(id);
          if (c.status === 'merged') throw conflict(`candidate ${id} is already merged into ${c.mergedInto}`);
        }
      },
    },
  );

  setHandler(
    screenUpdate,
    async (s) => {
      const c = byId.get(s.candidateId)!;
      c.status = s.decision === 'accept' ? 'accepted' : 'rejected';
      c.screenReason = s.reason?.trim() || undefined;
      await publish(
        `screened/${c.candidateId}`,
        {
          livelihoodCandidateScreened: {
            candidateId: c.candidateId,
            accepted: s.decision === 'accept',
            reason: c.screenReason ?? '',
            proposerIds: c.proposers.map((p) => `${p.kind}:${p.id}`),
          },
        },
        actorName(s.by),
      );
      return c;
    },
    {
      validator: (s) => {
        requireStaff(s.by);
        requireStage(STAGES.screen, 'screening');
        if (s.decision !== 'accept' && s.decision !== 'reject') throw invalid('decision must be accept or reject');
        if (s.decision === 'reject') requireNonEmpty(s.reason, 'reason');
        const c = candidate(s.candidateId);
        if (c.status !== 'proposed') throw conflict(`candidate ${s.candidateId} is already ${c.status}`);
      },
    },
  );

  setHandler(
    closeCollectionUpdate,
    async () => {
      closeRequested = true;
      await condition(() => state.stage !== 'collecting');
      return state.stage;
    },
    {
      validator: (c) => {
        requireStaff(c.by);
        requireStage(STAGES.closeCollection, 'closing the collection');
      },
    },
  );

  setHandler(
    reviewFeasibilityUpdate,
    async (f) => {
      const c = byId.get(f.candidateId)!;
      const onTime = !state.feasibilityDueAt || Date.now() <= ms(state.feasibilityDueAt);
      c.feasibility = {
        feasible: f.feasible,
        costEstimate: f.costEstimate,
        leadUnit: f.leadUnit,
        coUnits: (f.coUnits ?? []).filter((u) => u !== f.leadUnit),
        milestones: f.milestones ?? [],
        note: f.note.trim(),
        reviewedAt: nowIso(),
        onTime,
      };
      await publish(
        `feasibility/${c.candidateId}`,
        {
          livelihoodFeasibilityReviewed: {
            candidateId: c.candidateId,
            feasible: f.feasible,
            costEstimate: String(Math.round(f.costEstimate)),
            leadUnit: f.leadUnit,
            coUnits: c.feasibility.coUnits,
            onTime,
          },
        },
        actorName(f.by),
      );
      return c;
    },
    {
      validator: (f) => {
        if (!isFeasibilityReviewer(f.by, lp.feasibilityReviewer))
          throw forbidden(`only ${lp.feasibilityReviewer} (the policy's feasibilityReviewer) reviews feasibility`);
        requireStage(STAGES.feasibility, 'a feasibility review');
        const c = candidate(f.candidateId);
        if (c.status !== 'accepted') throw conflict(`candidate ${f.candidateId} is ${c.status}, not accepted`);
        if (c.feasibility) throw conflict(`candidate ${f.candidateId} has been reviewed already`);
        if (typeof f.feasible !== 'boolean') throw invalid('feasible must be true or false');
        if (!Number.isFinite(f.costEstimate) || f.costEstimate < 0)
          throw invalid('costEstimate must be yuan, 0 or more');
        if (!unitIdPattern.test(f.leadUnit ?? '')) throw invalid('leadUnit must be a unit id');
        for (const u of f.coUnits ?? []) if (!unitIdPattern.test(u)) throw invalid(`coUnits: "${u}" is not a unit id`);
        for (const [i, m] of (f.milestones ?? []).entries()) {
          requireNonEmpty(m.name, `milestones.${i}.name`);
          if (!localDatePattern.test(m.dueDate)) throw invalid(`milestones.${i}.dueDate must be YYYY-MM-DD`);
        }
        requireNonEmpty(f.note, 'note');
      },
    },
  );

  setHandler(
    publishBallotListUpdate,
    async (b) => {
      state.ballotList = [...b.candidateIds];
      state.votes.push({
        round: 1,
        voteId: state.cycleId,
        kind: 'vote',
        candidates: [...b.candidateIds],
        seats: lp.seats,
      });
      setStage('awaitingVote');
      await publish(
        'ballot-list',
        { livelihoodBallotListPublished: { candidateIds: b.candidateIds, seats: lp.seats } },
        actorName(b.by),
      );
      return state.ballotList;
    },
    {
      validator: (b) => {
        requireStaff(b.by);
        requireStage(STAGES.ballotList, 'publishing the ballot list');
        if (!Array.isArray(b.candidateIds)) throw invalid('candidateIds must list the candidates');
        if (new Set(b.candidateIds).size !== b.candidateIds.length) throw invalid('candidateIds must be distinct');
        if (b.candidateIds.length !== lp.ballotCandidates)
          throw invalid(
            `candidateIds must name ${lp.ballotCandidates} candidates for ${lp.seats} seats (差额, policy livelihood.ballotCandidates); it names ${b.candidateIds.length}`,
          );
        for (const id of b.candidateIds) {
          const c = candidate(id);
          if (!isBallotEligible(c)) throw invalid(`candidate ${id} is not an accepted candidate found feasible`);
        }
      },
    },
  );

  setHandler(
    openLivelihoodVoteUpdate,
    async (o) => {
      const v = currentVote()!;
      v.electorate = o.electorate;
      v.present = o.present;
      v.openedAt = nowIso();
      v.closesAt = await acts.computeDeadline({ from: v.openedAt, window: lp.vote.window });
      setStage('voting', v.closesAt);
      await publish(
        `vote/${v.round}/opened`,
        {
          livelihoodVoteOpened: {
            round: v.round,
            voteId: v.voteId,
            candidateIds: v.candidates,
            seats: v.seats,
            electorate: o.electorate,
            present: o.present,
            closesAt: v.closesAt,
          },
        },
        actorName(o.by),
      );
      return v;
    },
    {
      validator: (o) => {
        requireStaff(o.by);
        requireStage(STAGES.openVote, 'opening the vote');
        if (!Number.isInteger(o.electorate) || o.electorate < 1) throw invalid('electorate must be at least 1 deputy');
        if (!Number.isInteger(o.present) || o.present < 0 || o.present > o.electorate)
          throw invalid('present must be between 0 and the electorate');
      },
    },
  );

  setHandler(
    recordTallyUpdate,
    async (t) => {
      const v = currentVote()!;
      const costs = Object.fromEntries(
        state.candidates.map((c) => [c.candidateId, c.feasibility?.costEstimate ?? Number.MAX_SAFE_INTEGER]),
      );
      const rounds = state.votes.length;
      const base = {
        candidates: v.candidates,
        seats: v.seats,
        electorate: v.electorate!,
        present: v.present!,
        ballotsCast: t.ballotsCast,
        counts: t.counts,
        costs,
      };
      let decision = decideVote({ ...base, rules: lp.vote });
      // No round left for a runoff: the lower cost estimate breaks the tie.
      if (decision.tied.length > 0 && rounds >= lp.vote.maxRounds)
        decision = decideVote({ ...base, rules: { ...lp.vote, tieRule: 'lowerCost' } });
      let next: NonNullable<LivelihoodVoteRound['tally']>['next'];
      if (!decision.quorumMet)
        next = lp.vote.onQuorumFailure === 'revote' && rounds < lp.vote.maxRounds ? 'revote' : 'noProjects';
      else if (decision.tied.length > 0) next = 'runoff';
      else next = 'elected';
      v.tally = {
        ballotsCast: t.ballotsCast,
        counts: t.counts,
        ballotsDigest: t.ballotsDigest,
        decision,
        next,
        at: nowIso(),
      };
      state.elected.push(...decision.elected);
      if (next === 'revote' || next === 'runoff') {
        const round = rounds + 1;
        state.votes.push({
          round,
          voteId: `${state.cycleId}-r${round}`,
          kind: next,
          candidates: next === 'revote' ? v.candidates : decision.tied,
          seats: next === 'revote' ? v.seats : decision.seatsLeft,
        });
        setStage('awaitingVote');
      }
      await publish(
        `vote/${v.round}/tallied`,
        {
          livelihoodVoteTallied: {
            round: v.round,
            voteId: v.voteId,
            electorate: v.electorate!,
            present: v.present!,
            ballotsCast: t.ballotsCast,
            quorumMet: decision.quorumMet,
            results: decision.ranked.map((r) => ({ candidateId: r.candidateId, votes: r.votes, passed: r.passed })),
            elected: decision.elected,
            tied: decision.tied,
            next,
            ballotsDigest: t.ballotsDigest,
          },
        },
        actorName(t.by),
      );
      return v;
    },
    {
      validator: (t) => {
        requireStaff(t.by);
        requireStage(STAGES.recordTally, 'recording the count');
        const v = currentVote()!;
        if (t.voteId !== v.voteId) throw conflict(`the open vote is ${v.voteId}, not ${t.voteId}`);
        if (!Number.isInteger(t.ballotsCast) || t.ballotsCast < 0 || t.ballotsCast > v.electorate!)
          throw invalid(`ballotsCast must be between 0 and the electorate (${v.electorate})`);
        let total = 0;
        for (const [id, n] of Object.entries(t.counts ?? {}) as [string, number][]) {
          if (!v.candidates.includes(id)) throw invalid(`counts name ${id}, which is not on this round's list`);
          if (!Number.isInteger(n) || n < 0 || n > t.ballotsCast) throw invalid(`counts.${id} must be 0..ballotsCast`);
          total += n;
        }
        if (total > t.ballotsCast * v.seats) throw invalid('counts add up to more choices than the ballots allow');
        requireNonEmpty(t.ballotsDigest, 'ballotsDigest');
      },
    },
  );

  setHandler(projectSettledSignal, ({ projectId, outcome }) => {
    const p = state.projects.find((x) => x.projectId === projectId);
    if (p) p.settled = outcome;
  });

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
      () => closeRequested || historyFull(),
      untilMs(state.collectionClosesAt),
      timer('候选项目征集截止', state.collectionClosesAt),
    );
    if (!closeRequested && Date.now() < ms(state.collectionClosesAt)) {
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
    const next = currentVote()?.tally?.next;
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
      leadUnit: byId.get(candidateId)!.feasibility!.leadUnit,
    }));
    await publish('elected', {
      livelihoodProjectsElected: {
        projectIds: state.projects.map((p) => p.projectId),
        candidateIds: state.projects.map((p) => p.candidateId),
      },
    });
    for (const p of state.projects) {
      const c = byId.get(p.candidateId)!;
      await acts.startLivelihoodProject({
        projectId: p.projectId,
        cycleId: state.cycleId,
        cycleWorkflowId: workflowInfo().workflowId,
        jurisdiction: state.jurisdiction,
        year: state.year,
        candidateId: c.candidateId,
        title: c.title,
        category: c.category,
        leadUnit: c.feasibility!.leadUnit,
        coUnits: c.feasibility!.coUnits,
        budget: c.feasibility!.costEstimate,
        milestones: c.feasibility!.milestones,
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
