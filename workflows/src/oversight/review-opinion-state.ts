// A review-opinion track as a pure state machine: `validateTrack` is the gate (gates.ts) and then
// the input checks each Update validator makes; `applyTrack` changes the state for an accepted
// action and names its event; `voteResult` counts a closed vote. No workflow APIs: unit tests
// run it without a server (workflows/test/unit/review-opinion-state.test.ts).
import { RATINGS } from '@duban/domain/pure';
import type { EventBody } from '../activities';
import { firstRefusal, refusal, type Refusal } from '../gates';
import { nonEmpty } from '../kernel/text-guards';
import type {
  AssessReportInput,
  CastVoteInput,
  ConfirmItemInput,
  ItemFeedbackInput,
  LinkCaseInput,
  OpenVoteInput,
  ReviewOpinionInput,
  ReviewOpinionState,
  SubmitReportInput,
  TrackStage,
  VoteRound,
} from './definitions';
import { reviewOpinionGates as gates } from './gates';

export interface TrackEvent {
  stage?: TrackStage;
  /** The Overdue / DueAt attributes change with it. */
  refreshClock?: true;
  step: string;
  body: EventBody;
}

const MAX_EVIDENCE = 20;
const ms = (iso: string) => Date.parse(iso);

export function initialTrackState(input: ReviewOpinionInput): ReviewOpinionState {
  return {
    caseId: input.caseId,
    kind: input.kind,
    jurisdiction: input.jurisdiction,
    unit: input.unit,
    stage: 'rectifying',
    round: 1,
    items: [],
    reportDueAt: '',
    reportOverdue: false,
    reports: [],
    votes: [],
    procedures: [],
    events: [],
  };
}

function evidenceRefusal(evidence: unknown, field: string): Refusal | undefined {
  if (evidence === undefined) return undefined;
  if (!Array.isArray(evidence) || evidence.length > MAX_EVIDENCE)
    return refusal.invalid(`${field} must be a list of at most ${MAX_EVIDENCE} references`);
  for (const [i, e] of evidence.entries())
    if (typeof e !== 'string' || !e.trim() || e.length > 2000)
      return refusal.invalid(`${field}.${i} must be a reference (a document number, link or file name)`);
  return undefined;
}

/** Each check sees whether the track's deadlines are computed yet (`ready`). */
export const validateTrack = {
  itemFeedback: (s: ReviewOpinionState, f: ItemFeedbackInput, ready: boolean) =>
    firstRefusal(
      () => gates.itemFeedback(s, f?.by, f?.itemId, ready),
      () => nonEmpty(f.progress, 'progress'),
      () => evidenceRefusal(f.evidence, 'evidence'),
      () =>
        f.done && (f.evidence ?? []).length === 0
          ? refusal.invalid(
              'evidence must name the documents or records that show it: an item reported done needs them',
            )
          : undefined,
    ),

  confirmItem: (s: ReviewOpinionState, c: ConfirmItemInput, ready: boolean) =>
    firstRefusal(
      () => gates.confirmItem(s, c?.by, c?.itemId, ready),
      () => nonEmpty(c.note, 'note'),
      () => evidenceRefusal(c.evidence, 'evidence'),
    ),

  submitReport: (s: ReviewOpinionState, r: SubmitReportInput, ready: boolean) =>
    firstRefusal(
      () => gates.submitReport(s, r?.by, ready),
      () => nonEmpty(r.summary, 'summary'),
    ),

  assessReport: (s: ReviewOpinionState, a: AssessReportInput, ready: boolean) =>
    firstRefusal(
      () => gates.assessReport(s, a?.by, ready),
      () =>
        a.verdict !== 'accepted' && a.verdict !== 'poor'
          ? refusal.invalid('verdict must be accepted or poor')
          : undefined,
    ),

  openVote: (s: ReviewOpinionState, v: OpenVoteInput, ready: boolean) =>
    firstRefusal(
      () => gates.openVote(s, v?.by, ready),
      () =>
        !Array.isArray(v.electorate) || v.electorate.length === 0
          ? refusal.invalid('electorate must list the committee members who may vote')
          : undefined,
      () =>
        new Set(v.electorate).size !== v.electorate.length
          ? refusal.invalid('electorate lists a member twice')
          : undefined,
    ),

  castVote: (s: ReviewOpinionState, v: CastVoteInput, ready: boolean) =>
    firstRefusal(
      () => gates.castVote(s, v?.by, ready),
      () =>
        (RATINGS as readonly string[]).includes(v.vote)
          ? undefined
          : refusal.invalid(`vote must be one of ${RATINGS.join(', ')}`),
    ),

  linkCase: (s: ReviewOpinionState, l: LinkCaseInput, ready: boolean) =>
    firstRefusal(
      () => gates.linkCase(s, l?.by, ready),
      () =>
        l.kind !== 'inquiry' && l.kind !== 'investigation'
          ? refusal.invalid('kind must be inquiry or investigation')
          : undefined,
      () => nonEmpty(l.linkedCaseId, 'linkedCaseId'),
      () =>
        s.procedures.some((p) => p.linkedCaseId === l.linkedCaseId)
          ? refusal.conflict(`${l.linkedCaseId} is already linked`)
          : undefined,
    ),
};

const itemOf = (s: ReviewOpinionState, itemId: string) => s.items.find((i) => i.itemId === itemId)!;
export const currentVote = (s: ReviewOpinionState) => s.votes.find((v) => v.round === s.round);

/** The changes an accepted action makes; `at` is the workflow's clock as an ISO instant. */
export const applyTrack = {
  itemFeedback(s: ReviewOpinionState, f: ItemFeedbackInput, at: string): TrackEvent {
    const it = itemOf(s, f.itemId);
    const no = it.feedback.length + 1;
    it.feedback.push({ no, progress: f.progress.trim(), done: f.done, evidence: f.evidence ?? [], at });
    if (f.done) it.status = 'awaitingConfirmation';
    return {
      step: `item/${it.itemId}/feedback/${no}`,
      body: { oversightItemFeedback: { itemId: it.itemId, unit: s.unit, feedbackNo: no, done: f.done } },
    };
  },

  /** A confirmed item closes with the unit's and staff's evidence; a refused one opens again. */
  confirmItem(s: ReviewOpinionState, c: ConfirmItemInput, by: string, at: string): TrackEvent {
    const it = itemOf(s, c.itemId);
    if (!c.confirm) {
      it.status = 'open';
      return {
        step: `item/${it.itemId}/reopened/${it.feedback.length}`,
        body: { oversightItemReopened: { itemId: it.itemId, unit: s.unit } },
      };
    }
    const unitEvidence = it.feedback[it.feedback.length - 1]?.evidence ?? [];
    it.status = 'closed';
    it.closure = { by, evidence: [...unitEvidence, ...(c.evidence ?? [])], note: c.note.trim(), at };
    return {
      refreshClock: true,
      step: `item/${it.itemId}/closed`,
      body: { oversightItemClosed: { itemId: it.itemId, unit: s.unit, evidenceCount: it.closure.evidence.length } },
    };
  },

  submitReport(s: ReviewOpinionState, r: SubmitReportInput, at: string): TrackEvent {
    const onTime = ms(at) <= ms(s.reportDueAt);
    s.reports.push({ round: s.round, summary: r.summary.trim(), at, onTime });
    return {
      stage: 'reported',
      refreshClock: true,
      step: `report/${s.round}`,
      body: { handlingReportSubmitted: { unit: s.unit, round: s.round, onTime } },
    };
  },

  assessReport(s: ReviewOpinionState, a: AssessReportInput): TrackEvent {
    s.reports.find((r) => r.round === s.round)!.verdict = a.verdict;
    return {
      step: `report/${s.round}/assessed`,
      body: { handlingReportAssessed: { unit: s.unit, round: s.round, verdict: a.verdict } },
    };
  },

  castVote(s: ReviewOpinionState, v: CastVoteInput): TrackEvent {
    const round = currentVote(s)!;
    round.votes[v.by.sub] = v.vote;
    return {
      step: `vote/${round.round}/cast/${v.by.sub}`,
      body: { satisfactionVoteCast: { unit: s.unit, round: round.round, memberId: v.by.sub, vote: v.vote } },
    };
  },

  linkCase(s: ReviewOpinionState, l: LinkCaseInput, at: string): TrackEvent {
    let proc = s.procedures.find((p) => p.step === l.kind && !p.linkedCaseId);
    if (!proc) {
      proc = { step: l.kind, needs: 'started before the ladder reached this step', at };
      s.procedures.push(proc);
    }
    proc.linkedCaseId = l.linkedCaseId;
    return {
      step: `linked/${l.linkedCaseId}`,
      body: { oversightCaseLinked: { unit: s.unit, linkedCaseId: l.linkedCaseId, linkedKind: l.kind } },
    };
  },
};

/** The count of a closed vote; no vote cast is no approval. */
export function voteResult(vote: VoteRound, passPercent: number): NonNullable<VoteRound['result']> {
  const votes = Object.values(vote.votes);
  const count = (c: string) => votes.filter((v) => v === c).length;
  const satisfied = count('satisfied');
  const basically = count('basicallySatisfied');
  const ratePercent = votes.length ? Math.round(((satisfied + basically) * 100) / votes.length) : 0;
  const passed = votes.length > 0 && ((satisfied + basically) * 100) / votes.length >= passPercent;
  return { satisfied, basicallySatisfied: basically, unsatisfied: count('unsatisfied'), ratePercent, passed };
}
