// The case kinds beyond suggestions and citizen opinions in the console: which service owns a
// case (by its id), where its live document and its open actions are read, which service an
// action's route goes to, the to-do lists of those kinds, "my cases" by due date with the working
// days left on the official calendar, and what a person may start. The owning services decide
// who may read and do what; the console only forwards with the caller's token.
import {
  DEFAULT_UTC_OFFSET_MINUTES,
  localDateOf,
  WorkingCalendar,
  workingDaysBetween,
  type CalendarYear,
} from '@duban/domain';

export interface KindUrls {
  oversightUrl?: string;
  citizenUrl?: string;
  dutiesUrl?: string;
}

/** The owner of a case: the service, the path of its live document and of its open actions. */
export interface Owner {
  service: keyof KindUrls;
  read: string;
  actions: string;
}

/** Case id → its owner, for the kinds the console shows on the kind case page. */
export function ownerOf(caseId: string): Owner | undefined {
  const m = (re: RegExp) => re.exec(caseId);
  let x: RegExpExecArray | null;
  if ((x = m(/^((?:review-opinion|resolution)-\d{4}-\d{4,})$/)))
    return {
      service: 'oversightUrl',
      read: `/v1/review-opinions/${x[1]}`,
      actions: `/v1/review-opinions/${x[1]}/actions`,
    };
  if ((x = m(/^(inquiry-\d{4}-\d{4,})$/)))
    return { service: 'oversightUrl', read: `/v1/inquiries/${x[1]}`, actions: `/v1/inquiries/${x[1]}/actions` };
  if ((x = m(/^(investigation-\d{4}-\d{4,})$/)))
    return {
      service: 'oversightUrl',
      read: `/v1/investigations/${x[1]}`,
      actions: `/v1/investigations/${x[1]}/actions`,
    };
  if ((x = m(/^(supervision-plan-[a-z0-9-]+-\d{4})$/)))
    return {
      service: 'oversightUrl',
      read: `/v1/supervision-plans/${x[1]}`,
      actions: `/v1/supervision-plans/${x[1]}/actions`,
    };
  if ((x = m(/^(opinion-\d{4}-\d{4,}-letter-\d+)$/)))
    return {
      service: 'citizenUrl',
      read: `/v1/liaison-letters/${x[1]}`,
      actions: `/v1/liaison-letters/${x[1]}/actions`,
    };
  if ((x = m(/^regulation-report-([a-z0-9][a-z0-9-]{1,63})$/)))
    return { service: 'dutiesUrl', read: `/v1/regulations/${x[1]}`, actions: `/v1/regulations/${x[1]}/actions` };
  if ((x = m(/^appointee-report-([a-z0-9][a-z0-9-]{1,63})$/)))
    return { service: 'dutiesUrl', read: `/v1/appointments/${x[1]}`, actions: `/v1/appointments/${x[1]}/actions` };
  if ((x = m(/^group-duty-([a-z0-9][a-z0-9-]*)-(\d{4})$/)))
    return {
      service: 'dutiesUrl',
      read: `/v1/groups/${x[1]}/years/${x[2]}`,
      actions: `/v1/groups/${x[1]}/years/${x[2]}/actions`,
    };
  return undefined;
}

/** Which service takes a POST to an action route (the routes the actions answers name). */
export function actionService(path: string): keyof KindUrls | undefined {
  const first = /^\/v1\/([a-z-]+)/.exec(path)?.[1];
  if (!first) return undefined;
  if (['review-opinions', 'inquiries', 'investigations', 'supervision-plans'].includes(first)) return 'oversightUrl';
  if (first === 'liaison-letters') return 'citizenUrl';
  if (['regulations', 'appointments', 'groups'].includes(first)) return 'dutiesUrl';
  return undefined;
}

/** A to-do list of another kind: a case-index filter, optionally narrowed by what the view says. */
export interface KindTodo {
  key: string;
  title: string;
  query: Record<string, string>;
  keep?: (row: Record<string, any>) => boolean;
}

export const KIND_TODO: Record<string, KindTodo[]> = {
  staff: [
    {
      key: 'ladder',
      title: '建议督办升级中，待工作机构处理',
      query: { kind: 'suggestion', stage: 'escalated', closed: 'false' },
      keep: (r) => r.ladder?.status === 'climbing',
    },
    { key: 'inquiryDecide', title: '质询案待主任会议决定答复方式', query: { kind: 'inquiry', stage: 'filed' } },
    { key: 'investigationDecide', title: '特定问题调查待决定', query: { kind: 'investigation', stage: 'proposed' } },
    {
      key: 'investigationReport',
      title: '调查进行中，待报送调查报告',
      query: { kind: 'investigation', stage: 'decided' },
    },
    { key: 'regulationReview', title: '法规实施情况报告待审查', query: { kind: 'regulation_report', stage: 'filed' } },
    { key: 'plan', title: '年度监督计划（进行中）', query: { kind: 'supervision_plan', closed: 'false' } },
  ],
  unit: [
    { key: 'letterReply', title: '代表联系函待回复', query: { kind: 'liaison_letter', stage: 'sent' } },
    { key: 'inquiryReply', title: '质询案待答复', query: { kind: 'inquiry', stage: 'replyDecided' } },
    {
      key: 'regulationReport',
      title: '法规实施情况报告待报送',
      query: { kind: 'regulation_report', stage: 'requested' },
    },
    {
      key: 'appointeeReport',
      title: '任命人员履职报告待报送',
      query: { kind: 'appointee_report', stage: 'registered' },
    },
  ],
  deputy: [{ key: 'letterRate', title: '联系函已回复，待评价', query: { kind: 'liaison_letter', stage: 'replied' } }],
  citizen: [],
  operator: [],
};

/** The review-opinion parts waiting for the caller (from the oversight service), split by what is asked. */
export const PART_TODO: Record<string, { key: string; title: string; actions: RegExp }[]> = {
  staff: [
    { key: 'partConfirm', title: '审议意见：整改事项已报完成，待核实销号', actions: /^confirmItem$/ },
    { key: 'partAssess', title: '审议意见：办理情况报告待评估或测评', actions: /^(assessReport|openVote)$/ },
    { key: 'partLadder', title: '审议意见：督办升级中，待工作机构处理', actions: /^(ladder\.|proposeInvestigation$)/ },
  ],
  unit: [
    {
      key: 'partRectify',
      title: '审议意见：待逐条反馈整改情况或报送报告',
      actions: /^(itemFeedback|submitReport)$/,
    },
  ],
  deputy: [{ key: 'partVote', title: '审议意见：满意度测评待投票', actions: /^(castVote|fileInquiry)$/ }],
  citizen: [],
  operator: [],
};

/** The official calendars, from the registry, reused for a minute. */
export function calendarCache(fetchYears: (token: string) => Promise<CalendarYear[]>, ttlMs = 60_000) {
  let cached: { until: number; cal: Promise<WorkingCalendar> } | undefined;
  /** token: the caller's, to read the registry with (any signed-in role may). */
  return (token: string): Promise<WorkingCalendar> => {
    if (cached && cached.until > Date.now()) return cached.cal;
    const cal = fetchYears(token).then((years) => new WorkingCalendar(years));
    cached = { until: Date.now() + ttlMs, cal };
    cal.catch(() => {
      if (cached?.cal === cal) cached = undefined;
    });
    return cal;
  };
}

/** Working days from today to the due date (local dates, the policy's timezone): 0 due today, negative past. */
export function workingDaysLeft(cal: WorkingCalendar, dueAt: string | undefined, now = new Date()): number | null {
  if (!dueAt) return null;
  const due = new Date(dueAt);
  if (Number.isNaN(due.getTime())) return null;
  return workingDaysBetween(
    cal,
    localDateOf(now, DEFAULT_UTC_OFFSET_MINUTES),
    localDateOf(due, DEFAULT_UTC_OFFSET_MINUTES),
  );
}
