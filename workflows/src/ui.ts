// What the Temporal UI shows while a case runs (issue 15, part 2). Workflow code only.
//
// - Current details: the case's stage, next deadline, overdue flag, unit and, where a workflow
//   says so, more (the ladder's step). Rendered from the search attributes the workflow keeps
//   anyway, each time it upserts them through `upsertSearchAttributes` below, so the details
//   never tell another story than the visibility queries. setCurrentDetails writes no command:
//   the UI reads it through the SDK's __temporal_workflow_metadata query.
// - Summaries of timers (`timer('答复期限', dueAt)`) and of activities (`summarized(proxy)`):
//   user metadata on the commands. Core does not compare it on replay, so adding it does not
//   change the command sequence of a recorded history (the replay test checks every history).
//
// Module state (the `describe` below) is per workflow: the SDK gives each workflow its own copy
// of the bundle's module cache (see workflows.ts).
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  setCurrentDetails,
  upsertSearchAttributes as upsertAttributes,
  workflowInfo,
  type TimerOptions,
} from '@temporalio/workflow';
import { localDateOf } from '@duban/domain/pure';
import { AtRisk, DueAt, Overdue, Satisfaction, Stage, Unit } from './search-attributes';

type Window = { amount: number; unit: string };

const WINDOW_UNITS: Record<string, string> = {
  calendarDays: '天',
  workingDays: '个工作日',
  months: '个月',
  minutes: '分钟',
};

/** The escalation ladder's steps (LADDER_STEPS) as the business names them. */
export const LADDER_STEP_LABELS: Record<string, string> = {
  overdueNotice: '超期通知',
  publicBulletin: '通报',
  specialSupervision: '专项督办',
  reReport: '再报告',
  specialReport: '专项报告',
  specialInquiry: '专题询问',
  inquiry: '质询',
  investigation: '特定问题调查',
};
export const stepLabel = (step: string) => LADDER_STEP_LABELS[step] ?? step;

/** "3 个月", "15 个工作日". */
export const windowLabel = (w: Window | undefined) => (w ? `${w.amount} ${WINDOW_UNITS[w.unit] ?? w.unit}` : '');

/** The local day of an instant ("2027-03-02"); minutes-long windows (drills) also show the time. */
export function dayOf(at: string | Date | undefined): string {
  if (at === undefined) return '';
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  return localDateOf(d);
}

/**
 * A timer's options with its summary: "答复期限 2027-03-02 (3 个月)", "催办提醒 1 2027-02-15
 * (答复期限 2027-03-02)", or the label alone when there is no date. `more` is the window the
 * date was counted with, or a note. Pass as the third argument of condition() or the second of sleep().
 */
export function timer(label: string, at?: string | Date, more?: Window | string): TimerOptions {
  const note = typeof more === 'string' ? more : windowLabel(more);
  return { summary: [label, dayOf(at), note && `(${note})`].filter(Boolean).join(' ') };
}

// ---- current details

let describe: (() => Record<string, string | number | undefined>) | undefined;

/**
 * Lines a workflow adds to its current details (the ladder's step, a project's period),
 * asked for again at each refresh. Call once, early; shows the details at once.
 */
export function describeCase(fn: () => Record<string, string | number | undefined>): void {
  describe = fn;
  showDetails();
}

const yes = (v: boolean | undefined) => (v === undefined ? undefined : v ? '是' : '否');

/** Renders the current details from the search attributes (and the workflow's own lines). */
export function showDetails(): void {
  const sa = workflowInfo().typedSearchAttributes;
  const due = sa.get(DueAt);
  const rows: [string, string | number | undefined][] = [
    ['阶段', sa.get(Stage)],
    ['下一期限', due ? dayOf(due) : undefined],
    ['超期', yes(sa.get(Overdue))],
    ['严重超期', sa.get(AtRisk) ? '是' : undefined],
    ['单位', sa.get(Unit)],
    ['满意度', sa.get(Satisfaction)],
    ...Object.entries(describe?.() ?? {}),
  ];
  setCurrentDetails(
    rows
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `**${k}**：${v}`)
      .join('  \n'),
  );
}

/** upsertSearchAttributes of @temporalio/workflow, and the current details shown again. */
export function upsertSearchAttributes(pairs: SearchAttributeUpdatePair[]): void {
  upsertAttributes(pairs);
  showDetails();
}

// ---- activities

type Args = unknown[];
const arg = (args: Args, i = 0) => (args[i] ?? {}) as Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
/** { suggestionReplied: {...} } → "suggestionReplied". */
const eventOf = (e: unknown) => Object.keys(((e ?? {}) as { body?: object }).body ?? {})[0] ?? '';

const ACTIVITY_SUMMARIES: Record<string, (args: Args) => string> = {
  publishEvent: (a) => `发布事件 ${eventOf(a[0])}`,
  publishEvents: (a) => {
    const events = (Array.isArray(a[0]) ? a[0] : []) as unknown[];
    return `发布事件 ${events.map(eventOf).join(', ')}`;
  },
  planAssignment: (a) => `交办：确定承办单位、计算期限（自 ${dayOf(str(arg(a).assignedAt))}）`,
  computeDeadline: (a) => `计算期限 ${windowLabel(arg(a).window as Window)}（自 ${dayOf(str(arg(a).from))}）`,
  recountDeadline: (a) =>
    `按 ${str(arg(a).year)} 年日历重算期限 ${windowLabel(arg(a).window as Window)}（自 ${dayOf(str(arg(a).from))}）`,
  computeReminders: (a) => `计算提醒时间（期限 ${dayOf(str(arg(a).dueAt))}）`,
  replyMilestones: (a) => `计算催办节点（期限 ${dayOf(str(arg(a).dueAt))}）`,
  startLadder: (a) => `启动督办升级 ${str(arg(a).ladderId)}`,
  startLiaisonLetter: (a) => `发出代表联系函 ${str(arg(a).letterId)} → ${str(arg(a).unit)}`,
  startGroupDutyYear: (a) => `开启专业小组 ${str(arg(a).year)} 年度 ${str(arg(a).caseId)}`,
  planProjectSchedule: () => '安排项目的报告期限',
  startLivelihoodProject: (a) => `启动民生实事项目 ${str(arg(a).projectId)}`,
  startSupervisionPlan: (a) => `启动 ${str(arg(a).year)} 年度监督计划`,
};

/** The one-line summary of an activity call, from its name and arguments. */
export function activitySummary(name: string, args: Args): string {
  const f = ACTIVITY_SUMMARIES[name];
  if (!f) return name;
  try {
    return f(args).trim() || name;
  } catch {
    return name;
  }
}

type WithOptions = { executeWithOptions(options: { summary: string }, args: unknown[]): Promise<unknown> };

/** An activity proxy whose every call carries its summary (proxyActivities or proxyLocalActivities). */
export function summarized<T extends object>(activities: T): T {
  return new Proxy(activities, {
    get(target, name) {
      const fn = Reflect.get(target, name) as WithOptions;
      if (typeof name !== 'string' || typeof fn?.executeWithOptions !== 'function') return fn;
      return (...args: unknown[]) => fn.executeWithOptions({ summary: activitySummary(name, args) }, args);
    },
  });
}
