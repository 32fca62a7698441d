// The gates the oversight, letter, duty and ladder workflows' validators apply, and the open
// actions the services derive from them: who may do what in which state. The workflow tests
// (workflows/test/*.workflow.test.ts) check that the validators refuse through these gates.
import {
  appointeeGates,
  inquiryGates,
  ladderGate,
  letterGates,
  openAppointeeActions,
  openGroupActions,
  openInquiryActions,
  openInvestigationActions,
  openLadderActions,
  openLetterActions,
  openPlanActions,
  openRegulationActions,
  openReviewOpinionActions,
  partReady,
  procedureAwaited,
  relatedPartGate,
  reviewOpinionGates,
  type AppointeeReportState,
  type InquiryState,
  type InvestigationState,
  type LadderState,
  type LiaisonLetterState,
  type RegulationReportState,
  type ReviewOpinionState,
  type SupervisionPlanState,
} from '../../src';

const staff = { role: 'staff', sub: 'clerk-1' };
const edu = { role: 'unit', sub: 'h1', unit: 'edu-bureau' };
const transport = { role: 'unit', sub: 'h2', unit: 'transport-bureau' };
const member = (sub: string) => ({ role: 'deputy', sub });

function part(over: Partial<ReviewOpinionState> = {}): ReviewOpinionState {
  return {
    caseId: 'review-opinion-2026-0001',
    kind: 'review_opinion',
    jurisdiction: 'cn-zj-demo-city',
    unit: 'edu-bureau',
    stage: 'rectifying',
    round: 1,
    items: [
      {
        itemId: '1',
        list: 'issue',
        description: 'a',
        dueAt: '2026-12-01T00:00:00Z',
        status: 'open',
        overdue: false,
        feedback: [],
      },
      {
        itemId: '2',
        list: 'supervision',
        description: 'b',
        dueAt: '2026-12-01T00:00:00Z',
        status: 'awaitingConfirmation',
        overdue: false,
        feedback: [{ no: 1, progress: 'done', done: true, evidence: ['doc-1'], at: '2026-11-01T00:00:00Z' }],
      },
      {
        itemId: '3',
        list: 'issue',
        description: 'c',
        dueAt: '2026-12-01T00:00:00Z',
        status: 'closed',
        overdue: false,
        feedback: [],
      },
    ],
    reportDueAt: '2026-12-31T00:00:00Z',
    reportOverdue: false,
    reports: [],
    votes: [],
    procedures: [],
    events: [],
    ...over,
  };
}

describe('a review opinion part', () => {
  it('opens item feedback (open items only) and the report to its own unit', () => {
    expect(openReviewOpinionActions(part(), edu)).toEqual([
      { action: 'itemFeedback', itemId: '1' },
      { action: 'submitReport' },
    ]);
  });

  it('opens nothing to another unit, and refuses it as not its case', () => {
    expect(openReviewOpinionActions(part(), transport)).toEqual([]);
    expect(reviewOpinionGates.itemFeedback(part(), transport, '1')?.type).toBe('forbidden');
    expect(reviewOpinionGates.submitReport(part(), transport)?.message).toMatch(/assigned to edu-bureau/);
  });

  it('opens to staff the closure (销号) of items reported done, and nothing of the unit’s', () => {
    expect(openReviewOpinionActions(part(), staff)).toEqual([{ action: 'confirmItem', itemId: '2' }]);
    expect(reviewOpinionGates.confirmItem(part(), staff, '1')?.type).toBe('conflict');
    expect(reviewOpinionGates.confirmItem(part(), edu, '2')?.type).toBe('forbidden');
    expect(reviewOpinionGates.itemFeedback(part(), edu, '9')?.type).toBe('invalid');
  });

  it('once reported: staff assess or open the vote; the unit may not report twice', () => {
    const reported = part({
      stage: 'reported',
      reports: [{ round: 1, summary: 's', at: '2026-11-02T00:00:00Z', onTime: true }],
    });
    expect(openReviewOpinionActions(reported, staff).map((a) => a.action)).toEqual([
      'confirmItem',
      'assessReport',
      'openVote',
    ]);
    expect(openReviewOpinionActions(reported, edu)).toEqual([{ action: 'itemFeedback', itemId: '1' }]);
    const judged = part({ ...reported, reports: [{ ...reported.reports[0], verdict: 'accepted' }] });
    expect(reviewOpinionGates.assessReport(judged, staff)?.type).toBe('conflict');
  });

  it('while voting: each member of the electorate once', () => {
    const voting = part({
      stage: 'voting',
      reports: [{ round: 1, summary: 's', at: '2026-11-02T00:00:00Z', onTime: true }],
      votes: [{ round: 1, electorate: ['m1', 'm2'], closesAt: '2026-11-09T00:00:00Z', votes: { m1: 'satisfied' } }],
    });
    expect(openReviewOpinionActions(voting, member('m2'))).toEqual([{ action: 'castVote' }]);
    expect(openReviewOpinionActions(voting, member('m1'))).toEqual([]);
    expect(reviewOpinionGates.castVote(voting, member('m1'))?.message).toMatch(/already voted/);
    expect(reviewOpinionGates.castVote(voting, member('x'))?.type).toBe('forbidden');
  });

  it('takes nothing before its deadlines are known or once closed', () => {
    const opening = part({ reportDueAt: '' });
    expect(partReady(opening)).toBe(false);
    expect(openReviewOpinionActions(opening, edu)).toEqual([]);
    expect(reviewOpinionGates.submitReport(opening, edu)?.message).toMatch(/still opening/);
    expect(openReviewOpinionActions(part({ stage: 'closed' }), staff)).toEqual([]);
  });

  it('an inquiry may be filed for it only once it has escalated; a step the law leaves to people is awaited', () => {
    expect(relatedPartGate(part())?.type).toBe('conflict');
    const escalated = part({
      stage: 'inquiryDue',
      ladder: { ladderId: 'l', reason: 'r', step: 'inquiry' },
      procedures: [{ step: 'inquiry', needs: 'members', at: '2026-11-01T00:00:00Z' }],
    });
    expect(relatedPartGate(escalated)).toBeUndefined();
    expect(procedureAwaited(escalated, 'inquiry')).toBe(true);
    expect(procedureAwaited(escalated, 'investigation')).toBe(false);
  });
});

describe('an inquiry', () => {
  const inquiry = (over: Partial<InquiryState>): InquiryState => ({
    caseId: 'inquiry-2026-0001',
    jurisdiction: 'cn-zj-demo-city',
    unit: 'edu-bureau',
    subject: 's',
    signers: ['m1', 'm2'],
    minSigners: 2,
    stage: 'filed',
    round: 1,
    overdue: false,
    replies: [],
    ratings: [],
    roundResults: [],
    events: [],
    ...over,
  });
  it('goes to the chair council (staff), then the unit replies, then the filers rate once each', () => {
    expect(openInquiryActions(inquiry({}), staff)).toEqual(['decide']);
    expect(openInquiryActions(inquiry({}), edu)).toEqual([]);
    expect(openInquiryActions(inquiry({ stage: 'awaitingReply', mode: 'written' }), edu)).toEqual(['reply']);
    expect(openInquiryActions(inquiry({ stage: 'awaitingReply', mode: 'written' }), staff)).toEqual([]);
    // An oral reply at the session is recorded by staff.
    expect(openInquiryActions(inquiry({ stage: 'awaitingReply', mode: 'oral' }), staff)).toEqual(['reply']);
    const rating = inquiry({
      stage: 'rating',
      ratingDueAt: '2026-12-01T00:00:00Z',
      ratings: [{ round: 1, memberId: 'm1', satisfied: true, at: '2026-11-01T00:00:00Z' }],
    });
    expect(openInquiryActions(rating, member('m2'))).toEqual(['rate']);
    expect(inquiryGates.rate(rating, member('m1'))?.type).toBe('alreadyRated');
    expect(inquiryGates.rate(rating, member('m9'))?.type).toBe('forbidden');
  });
});

describe('an investigation and the supervision plan', () => {
  it('staff decide, then report once while investigating', () => {
    const inv = (over: Partial<InvestigationState>): InvestigationState => ({
      caseId: 'investigation-2026-0001',
      jurisdiction: 'cn-zj-demo-city',
      question: 'q',
      stage: 'proposed',
      decisionDueAt: '2026-12-01T00:00:00Z',
      overdue: false,
      committeeMembers: [],
      events: [],
      ...over,
    });
    expect(openInvestigationActions(inv({}), staff)).toEqual(['decide']);
    expect(openInvestigationActions(inv({}), member('m1'))).toEqual([]);
    expect(openInvestigationActions(inv({ stage: 'investigating' }), staff)).toEqual(['report']);
    expect(
      openInvestigationActions(inv({ stage: 'investigating', report: { summary: 's', at: 'x', onTime: true } }), staff),
    ).toEqual([]);
  });

  it('a plan takes topics until closed, adoption while collecting, review opinions for items at their session', () => {
    const plan: SupervisionPlanState = {
      caseId: 'supervision-plan-cn-zj-demo-city-2026',
      jurisdiction: 'cn-zj-demo-city',
      year: 2026,
      stage: 'adopted',
      adoptionDueAt: '2026-03-01T00:00:00Z',
      overdue: false,
      topics: [],
      nextYearTopics: [],
      items: [
        { itemId: 'P1', topicId: 'T1', unit: 'edu-bureau', sessionAt: 'x', weight: 'key', status: 'due' },
        { itemId: 'P2', topicId: 'T2', unit: 'edu-bureau', sessionAt: 'y', weight: 'key', status: 'scheduled' },
      ],
      events: [],
    };
    expect(openPlanActions(plan, staff)).toEqual([
      { action: 'proposeTopic' },
      { action: 'itemReviewOpinion', itemId: 'P1' },
    ]);
    expect(openPlanActions({ ...plan, stage: 'collecting', items: [] }, staff).map((a) => a.action)).toEqual([
      'proposeTopic',
      'adopt',
    ]);
    expect(openPlanActions(plan, edu)).toEqual([]);
  });
});

describe('a liaison letter', () => {
  const letter = (over: Partial<LiaisonLetterState>): LiaisonLetterState => ({
    letterId: 'opinion-2026-000001-letter-1',
    opinionId: 'opinion-2026-000001',
    jurisdiction: 'cn-zj-demo-city',
    citizenId: 'citizen-001',
    deputyId: 'deputy-001',
    unit: 'edu-bureau',
    stage: 'sent',
    sentAt: 'x',
    replyDueAt: 'y',
    overdue: false,
    ratings: {},
    ladders: [],
    events: [],
    ...over,
  });
  it('is answered by its department, then rated once by the citizen and once by the deputy', () => {
    expect(openLetterActions(letter({}), edu)).toEqual(['reply']);
    expect(openLetterActions(letter({}), transport)).toEqual([]);
    expect(openLetterActions(letter({}), { role: 'citizen', sub: 'citizen-001' })).toEqual([]);
    const replied = letter({
      stage: 'awaitingRating',
      reply: { by: 'unit:h1', text: 't', at: 'z', onTime: true },
      ratings: { citizen: { rating: 'satisfied', assumed: false, at: 'z' } },
    });
    expect(openLetterActions(replied, edu)).toEqual([]);
    expect(letterGates.reply(replied, edu)?.message).toMatch(/already answered/);
    expect(openLetterActions(replied, member('deputy-001'))).toEqual(['rate']);
    expect(letterGates.rate(replied, { role: 'citizen', sub: 'citizen-001' })?.type).toBe('alreadyRated');
    expect(letterGates.rate(replied, member('deputy-002'))?.type).toBe('forbidden');
  });
});

describe('the duties', () => {
  it('a regulation report: the department files once requested, staff review it', () => {
    const reg: RegulationReportState = {
      caseId: 'regulation-report-r1',
      regulationId: 'r1',
      unit: 'edu-bureau',
      inForceOn: '2025-01-01',
      stage: 'inForce',
      requestAt: '2027-01-01T00:00:00Z',
      round: 1,
      overdue: false,
      reports: [],
      reviewOverdue: false,
      reviews: [],
      events: [],
    };
    expect(openRegulationActions(reg, edu)).toEqual([]);
    expect(openRegulationActions({ ...reg, stage: 'requested' }, edu)).toEqual(['fileReport']);
    expect(openRegulationActions({ ...reg, stage: 'underReview' }, staff)).toEqual(['review']);
    expect(openRegulationActions({ ...reg, stage: 'underReview' }, edu)).toEqual([]);
  });

  it('an appointee report: the department files, each member of the electorate votes once while open', () => {
    const ap: AppointeeReportState = {
      caseId: 'appointee-report-a1',
      appointmentId: 'a1',
      officialId: 'o1',
      unit: 'edu-bureau',
      stage: 'due',
      termEndsAt: 'x',
      flagAt: 'y',
      flagged: false,
      electorate: [],
      votes: {},
      events: [],
    };
    expect(openAppointeeActions(ap, edu)).toEqual(['fileReport']);
    const voting = {
      ...ap,
      stage: 'voting' as const,
      electorate: ['m1', 'm2'],
      voteDueAt: '2999-01-01T00:00:00Z',
      votes: { m1: 'satisfied' as const },
    };
    expect(openAppointeeActions(voting, member('m2'))).toEqual(['vote']);
    expect(appointeeGates.vote(voting, member('m1'))?.type).toBe('alreadyVoted');
    expect(openAppointeeActions({ ...voting, voteDueAt: '2000-01-01T00:00:00Z' }, member('m2'))).toEqual([]);
  });

  it('a group year: its members and staff record, until the year closes', () => {
    const year = {
      caseId: 'group-duty-g-2026',
      groupId: 'g',
      year: 2026,
      stage: 'open' as const,
      flagAt: 'x',
      yearEndsAt: 'y',
      records: [],
      missing: [],
      flagged: false,
      events: [],
    };
    expect(openGroupActions(year, member('d1'), ['d1'])).toEqual(['record']);
    expect(openGroupActions(year, member('d2'), ['d1'])).toEqual([]);
    expect(openGroupActions(year, staff, [])).toEqual(['record']);
    expect(openGroupActions({ ...year, stage: 'closed' }, staff, [])).toEqual([]);
  });
});

describe('an escalation ladder', () => {
  const ladder = (over: Partial<LadderState>): LadderState => ({
    ladderId: 'suggestion-2026-0001-ladder-1',
    caseId: 'suggestion-2026-0001',
    unit: 'edu-bureau',
    reason: 'r',
    status: 'climbing',
    current: 1,
    steps: [{ stepNo: 1, step: 'publicBulletin', owner: 'committee-staff', startedAt: 'x', dueAt: 'y' }],
    events: [],
    ...over,
  });
  it('staff resolve or escalate a climbing ladder while a step runs', () => {
    expect(openLadderActions(ladder({}), staff)).toEqual(['resolve', 'escalateNow']);
    expect(openLadderActions(ladder({}), edu)).toEqual([]);
    expect(openLadderActions(ladder({ status: 'resolved' }), staff)).toEqual([]);
    expect(ladderGate(ladder({}), staff, 'escalate', true)?.message).toMatch(/already being resolved or escalated/);
  });
});
