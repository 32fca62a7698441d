// Every case kind folds into the same view: kind, stage, units, deputies, station, due date,
// overdue, satisfaction, links, closed. Each case is built by hand in the protobuf JSON form the
// index stores, with the fields its events really carry (proto/defs/duban/events/v1).
import { foldCase } from '../../src/use-cases/projection';
import type { CaseEventDoc } from '../../src/data/models';

const T0 = Date.parse('2026-12-01T01:00:00.000Z');
const at = (day: number) => new Date(T0 + day * 86_400_000).toISOString();
const lower = (t: string) => t.charAt(0).toLowerCase() + t.slice(1);

function caseOf(caseId: string, caseKind: string, steps: [number, string, Record<string, unknown>][]): CaseEventDoc[] {
  return steps.map(([day, type, body], i) => ({
    _id: `${caseId}/${lower(type)}/${i}`,
    caseId,
    type,
    caseKind,
    jurisdiction: 'cn-zj-demo-city',
    occurredAt: new Date(at(day)),
    producer: 'duban-worker',
    workflowId: caseId,
    body: { [lower(type)]: body },
    topic: 'duban.test.events',
    partition: 0,
    offset: i,
  }));
}

describe('every kind in one view', () => {
  it('a citizen opinion: the station and its deputies on duty, answered, rated, closed, linked to its letter', () => {
    const steps: [number, string, Record<string, unknown>][] = [
      [
        0,
        'CitizenOpinionSubmitted',
        {
          stationId: 'station-riverside',
          citizenId: 'citizen-001',
          channel: 'online',
          category: 'transport',
          dutyDeputyIds: ['deputy-001', 'deputy-002'],
          answerDueAt: at(7),
        },
      ],
    ];
    const open = foldCase(caseOf('opinion-2026-000003', 'citizen_opinion', steps));
    expect(open).toMatchObject({
      kind: 'citizen_opinion',
      stage: 'submitted',
      stationId: 'station-riverside',
      citizenId: 'citizen-001',
      deputies: ['deputy-001', 'deputy-002'],
      units: [],
      dueAt: new Date(at(7)),
      sortDue: new Date(at(7)),
      overdue: false,
      closed: false,
      title: '群众意见 · station-riverside',
      year: 2026,
    });

    steps.push([8, 'CitizenOpinionOverdue', { stationId: 'station-riverside', dueAt: at(7) }]);
    expect(foldCase(caseOf('opinion-2026-000003', 'citizen_opinion', steps))).toMatchObject({
      stage: 'submitted',
      overdue: true,
    });

    steps.push(
      [
        9,
        'CitizenOpinionLetterSent',
        { deputyId: 'deputy-001', letterId: 'opinion-2026-000003-letter-1', unit: 'edu-bureau', onTime: false },
      ],
      [20, 'CitizenOpinionRated', { rating: 'basicallySatisfied' }],
      [
        20,
        'CitizenOpinionClosed',
        { outcome: 'letter', rating: 'basicallySatisfied', letterId: 'opinion-2026-000003-letter-1' },
      ],
    );
    const closed = foldCase(caseOf('opinion-2026-000003', 'citizen_opinion', steps));
    expect(closed).toMatchObject({
      stage: 'closed',
      closed: true,
      closedAt: new Date(at(20)),
      closedOutcome: 'letter',
      overdue: false,
      satisfaction: 'basicallySatisfied',
      // The letter's unit answers the letter, not the opinion: the opinion stays the station's.
      units: [],
      deputyId: 'deputy-001',
      links: [{ caseId: 'opinion-2026-000003-letter-1', rel: 'letter' }],
      sortDue: new Date('9999-12-31T00:00:00.000Z'),
      eventCount: 5,
    });
  });

  it('a liaison letter: the unit answers for it, it climbs a ladder when late, links back to its opinion', () => {
    const view = foldCase(
      caseOf('opinion-2026-000003-letter-1', 'liaison_letter', [
        [
          0,
          'LiaisonLetterSent',
          { opinionId: 'opinion-2026-000003', deputyId: 'deputy-001', unit: 'edu-bureau', replyDueAt: at(15) },
        ],
        [10, 'LiaisonLetterReminder', { unit: 'edu-bureau', replyDueAt: at(15) }],
        [
          16,
          'LiaisonLetterOverdue',
          { unit: 'edu-bureau', replyDueAt: at(15), ladderId: 'opinion-2026-000003-letter-1-ladder-1' },
        ],
        [16, 'LadderStarted', { ladderId: 'opinion-2026-000003-letter-1-ladder-1' }],
        [16, 'LadderStepStarted', { ladderId: 'opinion-2026-000003-letter-1-ladder-1', step: 'publicBulletin' }],
      ]),
    );
    expect(view).toMatchObject({
      kind: 'liaison_letter',
      // Reminders, misses and the ladder's steps do not change the stage.
      stage: 'sent',
      leadUnit: 'edu-bureau',
      units: ['edu-bureau'],
      deputies: ['deputy-001'],
      deputyId: 'deputy-001',
      dueAt: new Date(at(15)),
      overdue: true,
      ladder: { ladderId: 'opinion-2026-000003-letter-1-ladder-1', step: 'publicBulletin', status: 'climbing' },
      links: [{ caseId: 'opinion-2026-000003', rel: 'opinion' }],
      title: '代表联系函 · edu-bureau',
    });
  });

  it('a review opinion with two unit parts: each unit its own due date and lateness; the vote judges it', () => {
    const steps: [number, string, Record<string, unknown>][] = [
      [
        0,
        'ReviewOpinionOpened',
        {
          items: [
            { itemId: 'i1', list: 'problems', unit: 'edu-bureau', dueAt: at(60) },
            { itemId: 'i2', list: 'problems', unit: 'transport-bureau', dueAt: at(90) },
          ],
          units: ['edu-bureau', 'transport-bureau'],
          reportDueAt: at(90),
          sourceCaseId: 'supervision-plan-cn-zj-demo-city-2026',
        },
      ],
      [61, 'OversightItemOverdue', { itemId: 'i1', unit: 'edu-bureau', dueAt: at(60) }],
    ];
    const late = foldCase(caseOf('review-opinion-2026-0001', 'review_opinion', steps));
    expect(late).toMatchObject({
      kind: 'review_opinion',
      stage: 'opened',
      units: ['edu-bureau', 'transport-bureau'],
      leadUnit: 'edu-bureau',
      coHandlers: ['transport-bureau'],
      parts: [
        { unit: 'edu-bureau', dueAt: new Date(at(60)), overdue: true, answered: false },
        { unit: 'transport-bureau', dueAt: new Date(at(90)), overdue: false, answered: false },
      ],
      // The earliest part still unanswered.
      dueAt: new Date(at(60)),
      overdue: true,
      links: [{ caseId: 'supervision-plan-cn-zj-demo-city-2026', rel: 'source' }],
    });

    // Both items closed (销号) first: an item still open and late keeps its part late (see below).
    steps.push(
      [62, 'OversightItemClosed', { itemId: 'i1', unit: 'edu-bureau', evidenceCount: 1 }],
      [79, 'OversightItemClosed', { itemId: 'i2', unit: 'transport-bureau', evidenceCount: 1 }],
      [62, 'HandlingReportSubmitted', { unit: 'edu-bureau', onTime: false }],
      [80, 'HandlingReportSubmitted', { unit: 'transport-bureau', onTime: true }],
      [85, 'SatisfactionVoteOpened', { unit: 'edu-bureau', closesAt: at(86) }],
      [86, 'SatisfactionVoteCast', { unit: 'edu-bureau', memberId: 'member-01', vote: 'unsatisfied' }],
      [86, 'SatisfactionVoteClosed', { unit: 'edu-bureau', passed: false }],
      [86, 'HandlingReportAssessed', { unit: 'edu-bureau', verdict: 'poor' }],
    );
    const judged = foldCase(caseOf('review-opinion-2026-0001', 'review_opinion', steps));
    expect(judged).toMatchObject({
      stage: 'handlingReportAssessed',
      overdue: false,
      satisfaction: 'unsatisfied',
      grade: 'poor',
      parts: [
        { unit: 'edu-bureau', overdue: false, answered: true },
        { unit: 'transport-bureau', overdue: false, answered: true },
      ],
    });

    steps.push([87, 'ReReportRequired', { unit: 'edu-bureau', dueAt: at(117), reason: 'poor' }]);
    const again = foldCase(caseOf('review-opinion-2026-0001', 'review_opinion', steps));
    expect(again.stage).toBe('reReportRequired');
    expect(again.dueAt).toEqual(new Date(at(117)));
    expect(again.parts[0]).toEqual({
      unit: 'edu-bureau',
      dueAt: new Date(at(117)),
      overdue: false,
      answered: false,
      closed: false,
      stage: 'reReportRequired',
    });
  });

  it('an inquiry: the unit, the decided reply date, the members’ verdict, closed; linked to its review opinion', () => {
    const view = foldCase(
      caseOf('inquiry-2026-0001', 'inquiry', [
        [
          0,
          'InquiryFiled',
          {
            unit: 'edu-bureau',
            signers: ['member-01', 'member-02'],
            minSigners: 2,
            relatedCaseId: 'review-opinion-2026-0001',
          },
        ],
        [3, 'InquiryReplyDecided', { mode: 'written', dueAt: at(30) }],
        [31, 'InquiryOverdue', { unit: 'edu-bureau', dueAt: at(30) }],
        [33, 'InquiryReplied', { unit: 'edu-bureau', onTime: false }],
        [35, 'InquiryRated', { memberId: 'member-01', satisfied: false }],
        [36, 'InquiryRatingClosed', { replyAgain: true, replyAgainDueAt: at(50) }],
      ]),
    );
    expect(view).toMatchObject({
      kind: 'inquiry',
      stage: 'ratingClosed',
      units: ['edu-bureau'],
      satisfaction: 'unsatisfied',
      dueAt: new Date(at(50)),
      overdue: false,
      links: [{ caseId: 'review-opinion-2026-0001', rel: 'related' }],
      title: '质询案 · edu-bureau',
    });
  });

  it('an investigation, a supervision plan, a regulation report, an appointee report and a group year', () => {
    const investigation = foldCase(
      caseOf('investigation-2026-0001', 'investigation', [
        [
          0,
          'InvestigationProposed',
          { proposers: ['member-01'], unit: 'env-bureau', relatedCaseId: 'inquiry-2026-0001' },
        ],
        [5, 'InvestigationDecided', { adopted: true, reportDueAt: at(90) }],
        [91, 'InvestigationOverdue', { dueAt: at(90) }],
      ]),
    );
    expect(investigation).toMatchObject({
      stage: 'decided',
      units: ['env-bureau'],
      overdue: true,
      dueAt: new Date(at(90)),
    });

    const plan = foldCase(
      caseOf('supervision-plan-cn-zj-demo-city-2026', 'supervision_plan', [
        [0, 'SupervisionTopicProposed', { topicId: 't1', source: 'deputies', unit: 'edu-bureau' }],
        [
          20,
          'SupervisionPlanAdopted',
          { items: [{ itemId: 'p1', topicId: 't1', unit: 'edu-bureau', sessionAt: at(120) }], onTime: true },
        ],
        [110, 'SupervisionPlanItemDue', { itemId: 'p1', unit: 'edu-bureau' }],
        [111, 'SupervisionPlanItemStarted', { itemId: 'p1', reviewOpinionCaseId: 'review-opinion-2026-0001' }],
      ]),
    );
    expect(plan).toMatchObject({
      kind: 'supervision_plan',
      stage: 'itemStarted',
      units: ['edu-bureau'],
      links: [{ caseId: 'review-opinion-2026-0001', rel: 'reviewOpinion' }],
    });

    const regulation = foldCase(
      caseOf('regulation-report-reg-river', 'regulation_report', [
        [0, 'RegulationRegistered', { regulationId: 'reg-river', unit: 'env-bureau', inForceOn: '2026-01-01' }],
        [1, 'RegulationReportRequested', { regulationId: 'reg-river', unit: 'env-bureau', dueAt: at(60), round: 1 }],
        [
          40,
          'RegulationReportFiled',
          { regulationId: 'reg-river', unit: 'env-bureau', onTime: true, reviewDueAt: at(70) },
        ],
        [70, 'RegulationReportReviewed', { regulationId: 'reg-river', decision: 'accepted' }],
        [70, 'RegulationReportClosed', { regulationId: 'reg-river', outcome: 'accepted' }],
      ]),
    );
    expect(regulation).toMatchObject({
      stage: 'closed',
      closed: true,
      closedOutcome: 'accepted',
      units: ['env-bureau'],
      subjectId: 'reg-river',
      title: '法规实施情况报告 · reg-river',
      overdue: false,
    });

    const registered = foldCase(
      caseOf('appointee-report-a1', 'appointee_report', [
        [
          0,
          'AppointeeRegistered',
          { appointmentId: 'a1', officialId: 'official-07', unit: 'edu-bureau', termEnd: at(400), flagAt: at(300) },
        ],
      ]),
    );
    // The report is due by the end of the term.
    expect(registered).toMatchObject({ stage: 'registered', dueAt: new Date(at(400)), overdue: false });

    const appointee = foldCase(
      caseOf('appointee-report-a1', 'appointee_report', [
        [
          0,
          'AppointeeRegistered',
          {
            appointmentId: 'a1',
            officialId: 'official-07',
            unit: 'edu-bureau',
            termStart: '2026-01-01',
            termEnd: '2030-12-31',
          },
        ],
        [300, 'AppointeeReportMissing', { appointmentId: 'a1', unit: 'edu-bureau', termEndsAt: at(400) }],
        [310, 'AppointeeReportFiled', { appointmentId: 'a1', unit: 'edu-bureau', voteDueAt: at(330) }],
        [330, 'AppointeeVoteTallied', { appointmentId: 'a1', quorum: true, passed: true }],
      ]),
    );
    expect(appointee).toMatchObject({
      stage: 'voteTallied',
      satisfaction: 'satisfied',
      subjectId: 'official-07',
      overdue: false,
      dueAt: new Date(at(330)),
    });

    const group = foldCase(
      caseOf('group-duty-group-riverside-2026', 'group_duty', [
        [0, 'GroupDutyYearStarted', { groupId: 'group-riverside', flagAt: at(300), yearEndsAt: at(365) }],
        [300, 'GroupDutyMissing', { groupId: 'group-riverside', missing: ['visit'] }],
      ]),
    );
    expect(group).toMatchObject({
      stage: 'yearStarted',
      overdue: true,
      dueAt: new Date(at(365)),
      subjectId: 'group-riverside',
      title: '代表小组履职 · group-riverside',
    });
  });

  it('a livelihood cycle and one of its projects: the year, the units of the project, its evaluation', () => {
    const cycle = foldCase(
      caseOf('livelihood-cn-zj-demo-city-2027', 'livelihood_cycle', [
        [0, 'LivelihoodCycleOpened', { year: 2027, collectionClosesAt: at(30), seats: 10, ballotCandidates: 15 }],
        [
          2,
          'LivelihoodCandidateProposed',
          { candidateId: 'c1', proposerKind: 'deputy', proposerId: 'deputy-001', category: 'education' },
        ],
        [31, 'LivelihoodCollectionClosed', {}],
        [32, 'LivelihoodFeasibilityRequested', { candidateIds: ['c1'], reviewer: 'dev-reform', dueAt: at(45) }],
        [
          60,
          'LivelihoodProjectsElected',
          { projectIds: ['livelihood-cn-zj-demo-city-2027-p01'], candidateIds: ['c1'] },
        ],
      ]),
    );
    expect(cycle).toMatchObject({
      kind: 'livelihood_cycle',
      stage: 'projectsElected',
      year: 2027,
      units: ['dev-reform'],
      links: [{ caseId: 'livelihood-cn-zj-demo-city-2027-p01', rel: 'project' }],
    });
    expect(cycle.category).toBeUndefined();

    const project = foldCase(
      caseOf('livelihood-cn-zj-demo-city-2027-p01', 'livelihood_project', [
        [
          0,
          'LivelihoodProjectStarted',
          {
            projectId: 'livelihood-cn-zj-demo-city-2027-p01',
            cycleId: 'livelihood-cn-zj-demo-city-2027',
            leadUnit: 'edu-bureau',
            coUnits: ['finance-bureau'],
            evaluationAt: at(330),
          },
        ],
        [90, 'LivelihoodProgressOverdue', { unit: 'edu-bureau', dueAt: at(89), veryOverdue: true }],
        [95, 'LivelihoodProgressReported', { unit: 'edu-bureau', onTime: false, milestonesDone: ['m1'] }],
        [330, 'LivelihoodEvaluationOpened', { dueAt: at(340) }],
        [340, 'LivelihoodProjectRated', { share: 0.9, threshold: 0.6, satisfactory: true }],
      ]),
    );
    expect(project).toMatchObject({
      stage: 'rated',
      leadUnit: 'edu-bureau',
      coHandlers: ['finance-bureau'],
      units: ['edu-bureau', 'finance-bureau'],
      satisfaction: 'satisfied',
      overdue: false,
      veryOverdue: false,
      year: 2027,
      links: [{ caseId: 'livelihood-cn-zj-demo-city-2027', rel: 'cycle' }],
    });
  });

  it('a review opinion runs one workflow per unit: it closes with its last part', () => {
    const id = 'review-opinion-2026-0002';
    const events = caseOf(id, 'review_opinion', [
      [0, 'ReviewOpinionOpened', { units: ['edu-bureau'], reportDueAt: at(30) }],
      [0, 'ReviewOpinionOpened', { units: ['transport-bureau'], reportDueAt: at(30) }],
      [20, 'ReviewOpinionClosed', { outcome: 'passed' }],
      [40, 'HandlingReportOverdue', { unit: 'transport-bureau', dueAt: at(30) }],
    ]);
    const parts = ['edu-bureau', 'transport-bureau', 'edu-bureau', 'transport-bureau'];
    events.forEach((e, i) => (e.workflowId = `${id}.${parts[i]}`));
    const half = foldCase(events);
    expect(half).toMatchObject({ closed: false, overdue: true, units: ['edu-bureau', 'transport-bureau'] });
    expect(half.parts.map((p) => [p.unit, p.closed, p.overdue])).toEqual([
      ['edu-bureau', true, false],
      ['transport-bureau', false, true],
    ]);
    const last = caseOf(id, 'review_opinion', [[50, 'ReviewOpinionClosed', { outcome: 'escalationExhausted' }]])[0];
    const done = foldCase([
      ...events,
      { ...last, _id: `${id}/closed/9`, workflowId: `${id}.transport-bureau`, offset: 9 },
    ]);
    expect(done).toMatchObject({ closed: true, stage: 'closed', overdue: false, closedOutcome: 'escalationExhausted' });
  });

  // The events below are as the workflows publish them (workflows/src/oversight, ladder, citizen):
  // each unit part from its own workflow "<case>.<unit>", its ladder from "<case>.<unit>-ladder-1".
  it('a review opinion from its workflows: item dates count, the ladder makes no part, the last part closes it', () => {
    const id = 'review-opinion-2026-0003';
    const ladderId = `${id}.transport-bureau-ladder-1`;
    const steps: [number, string, Record<string, unknown>, string][] = [
      [
        0,
        'ReviewOpinionOpened',
        {
          items: [
            { itemId: '1', list: 'issue', unit: 'edu-bureau', dueAt: at(30) },
            { itemId: '2', list: 'supervision', unit: 'edu-bureau', dueAt: at(30) },
          ],
          units: ['edu-bureau'],
          reportDueAt: at(30),
        },
        `${id}.edu-bureau`,
      ],
      [
        0,
        'ReviewOpinionOpened',
        {
          items: [{ itemId: '3', list: 'issue', unit: 'transport-bureau', dueAt: at(5) }],
          units: ['transport-bureau'],
          reportDueAt: at(30),
        },
        `${id}.transport-bureau`,
      ],
    ];
    const build = () =>
      caseOf(
        id,
        'review_opinion',
        steps.map(([d, t, b]) => [d, t, b]),
      ).map((e, i) => ({
        ...e,
        workflowId: steps[i][3],
      }));
    // The transport part is due with its item, before its report.
    expect(foldCase(build())).toMatchObject({
      dueAt: new Date(at(5)),
      parts: [
        { unit: 'edu-bureau', dueAt: new Date(at(30)), stage: 'opened', closed: false },
        { unit: 'transport-bureau', dueAt: new Date(at(5)), stage: 'opened', closed: false },
      ],
    });

    steps.push(
      [6, 'OversightItemOverdue', { itemId: '3', unit: 'transport-bureau', dueAt: at(5) }, `${id}.transport-bureau`],
      // A report and a re-report do not clear the open item's lateness, nor its date.
      [10, 'HandlingReportSubmitted', { unit: 'transport-bureau', round: 1, onTime: true }, `${id}.transport-bureau`],
      [11, 'HandlingReportAssessed', { unit: 'transport-bureau', round: 1, verdict: 'poor' }, `${id}.transport-bureau`],
      [
        11,
        'ReReportRequired',
        { unit: 'transport-bureau', dueAt: at(25), reason: 'poorRectification' },
        `${id}.transport-bureau`,
      ],
      [20, 'SatisfactionVoteClosed', { unit: 'edu-bureau', round: 1, passed: true }, `${id}.edu-bureau`],
      [21, 'ReviewOpinionClosed', { outcome: 'completed' }, `${id}.edu-bureau`],
      [40, 'LadderStarted', { ladderId, unit: 'transport-bureau', reason: 'poor', steps: ['inquiry'] }, ladderId],
      [
        40,
        'LadderStepStarted',
        { ladderId, stepNo: 1, step: 'inquiry', owner: 'committee-members', dueAt: at(50) },
        ladderId,
      ],
      [
        40,
        'OversightProcedureDue',
        { unit: 'transport-bureau', ladderId, step: 'inquiry', needs: 'an inquiry' },
        `${id}.transport-bureau`,
      ],
      [
        41,
        'OversightCaseLinked',
        { unit: 'transport-bureau', linkedCaseId: 'inquiry-2026-0009', linkedKind: 'inquiry' },
        `${id}.transport-bureau`,
      ],
    );
    const climbing = foldCase(build());
    // Still two parts; the ladder's step date is not the case's, and the part stays late.
    expect(climbing.parts.map((p) => [p.unit, p.closed, p.overdue])).toEqual([
      ['edu-bureau', true, false],
      ['transport-bureau', false, true],
    ]);
    expect(climbing).toMatchObject({
      // The step the law leaves to members: the part waits for an inquiry to be filed.
      stage: 'inquiryDue',
      closed: false,
      overdue: true,
      dueAt: new Date(at(5)),
      ladder: { ladderId, step: 'inquiry', status: 'climbing' },
      links: [{ caseId: 'inquiry-2026-0009', rel: 'linked' }],
    });

    steps.push(
      [51, 'LadderStepTimedOut', { ladderId, stepNo: 1, step: 'inquiry' }, ladderId],
      [51, 'LadderExhausted', { ladderId, lastStep: 'inquiry' }, ladderId],
      [51, 'ReviewOpinionClosed', { outcome: 'escalationExhausted' }, `${id}.transport-bureau`],
    );
    expect(foldCase(build())).toMatchObject({
      closed: true,
      stage: 'closed',
      closedOutcome: 'escalationExhausted',
      overdue: false,
      ladder: { ladderId, step: 'inquiry', status: 'exhausted' },
      parts: [
        { unit: 'edu-bureau', closed: true, stage: 'closed' },
        { unit: 'transport-bureau', closed: true, stage: 'closed' },
      ],
    });
  });

  it('an inquiry or investigation filed for a unit part links to the case, not to the part’s workflow', () => {
    const inquiry = foldCase(
      caseOf('inquiry-2026-0009', 'inquiry', [
        [
          0,
          'InquiryFiled',
          {
            unit: 'transport-bureau',
            signers: ['m-01', 'm-02', 'm-03'],
            minSigners: 3,
            relatedCaseId: 'review-opinion-2026-0003.transport-bureau',
          },
        ],
      ]),
    );
    expect(inquiry.links).toEqual([{ caseId: 'review-opinion-2026-0003', rel: 'related' }]);
    const investigation = foldCase(
      caseOf('investigation-2026-0004', 'investigation', [
        [
          0,
          'InvestigationProposed',
          {
            proposers: ['m-04'],
            memberCount: 10,
            unit: 'transport-bureau',
            relatedCaseId: 'resolution-2026-0001.transport-bureau',
          },
        ],
        [9, 'InvestigationClosed', { outcome: 'resolutionStarted', resolutionCaseId: 'resolution-2026-0002' }],
      ]),
    );
    expect(investigation.links).toEqual([
      { caseId: 'resolution-2026-0001', rel: 'related' },
      { caseId: 'resolution-2026-0002', rel: 'resolution' },
    ]);
  });

  it('a late liaison letter stays late while its ladder climbs: the step dates are the ladder’s', () => {
    const letter = 'opinion-2026-000007-letter-1';
    const ladderId = `${letter}-ladder-1`;
    const events = caseOf(letter, 'liaison_letter', [
      [
        0,
        'LiaisonLetterSent',
        { opinionId: 'opinion-2026-000007', deputyId: 'deputy-001', unit: 'edu-bureau', replyDueAt: at(15) },
      ],
      [16, 'LiaisonLetterOverdue', { unit: 'edu-bureau', replyDueAt: at(15), ladderId }],
      [16, 'LadderStarted', { ladderId, unit: 'edu-bureau', reason: 'unanswered', steps: ['publicBulletin'] }],
      [
        16,
        'LadderStepStarted',
        { ladderId, stepNo: 1, step: 'publicBulletin', owner: 'committee-staff', dueAt: at(30) },
      ],
    ]);
    events.slice(2).forEach((e) => (e.workflowId = ladderId));
    expect(foldCase(events)).toMatchObject({
      stage: 'sent',
      overdue: true,
      dueAt: new Date(at(15)),
      units: ['edu-bureau'],
      ladder: { ladderId, step: 'publicBulletin', status: 'climbing' },
    });
  });
});
