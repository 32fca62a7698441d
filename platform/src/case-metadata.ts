// What the Temporal UI shows of a case before anyone opens it: the workflow's user metadata
// (staticSummary in the list, staticDetails on its page). Every place that starts a case's
// workflow — the services' intake, the activities that start a ladder, a letter, a project or
// next year's plan, the livelihood Schedule — passes its options through caseMetadata, so every
// kind reads the same way. Shown to every operator: ids, titles the business already shows in
// the memo, units and the policy's versions; no personal data (names, phones, citizens' texts).

/** How the Temporal UI names each case kind (the CaseKind search attribute's values). */
export const CASE_KIND_LABELS: Record<string, string> = {
  suggestion: '代表建议',
  ladder: '督办升级',
  review_opinion: '审议意见',
  resolution: '决议决定',
  inquiry: '专题询问',
  investigation: '特定问题调查',
  supervision_plan: '年度监督计划',
  citizen_opinion: '群众意见',
  liaison_letter: '代表联系函',
  livelihood_cycle: '民生实事票决',
  livelihood_project: '民生实事项目',
  regulation_report: '规范性文件备案',
  appointee_report: '任命人员履职报告',
  group_duty: '专业小组',
};

export const DEFAULT_CONSOLE_URL = 'http://localhost:4010';

export interface CaseMetadataInput {
  /** The case's id (usually the workflow id). */
  caseId: string;
  /** The CaseKind search attribute's value. */
  kind: string;
  jurisdiction: string;
  /** The business title (suggestion title, inquiry subject, …), if the case has one. */
  title?: string;
  /** The unit that must act (lead unit, station, group). */
  unit?: string;
  /** The effective policy the case runs on: its sources' versions are shown. */
  policy?: { sources: { id: string; version: number }[] };
  /** The page in the console, from its root; `/cases/<caseId>` unless given. */
  consolePath?: string;
  /** More links, e.g. the case a ladder or a letter belongs to. */
  links?: { label: string; path: string }[];
  /** More lines of the details, label → value (ids and dates only). */
  facts?: Record<string, string | number | undefined>;
  /** The console's public address; CONSOLE_PUBLIC_URL, else http://localhost:4010. */
  consoleUrl?: string;
}

const TITLE_MAX = 60;

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const short = (s: string) => (s.length > TITLE_MAX ? `${s.slice(0, TITLE_MAX - 1)}…` : s);

/** "national v1 › cn-zj v2 › cn-zj-demo-city v3": the policy documents the case was resolved from. */
export const policyVersionOf = (policy: CaseMetadataInput['policy']) =>
  policy?.sources.length ? policy.sources.map((s) => `${s.id} v${s.version}`).join(' › ') : undefined;

export function consoleUrlOf(caseId: string, opts: Pick<CaseMetadataInput, 'consolePath' | 'consoleUrl'> = {}) {
  const base = (opts.consoleUrl ?? process.env.CONSOLE_PUBLIC_URL ?? DEFAULT_CONSOLE_URL).replace(/\/+$/, '');
  return `${base}${opts.consolePath ?? `/cases/${encodeURIComponent(caseId)}`}`;
}

/**
 * The user metadata of a case's workflow, for WorkflowStartOptions (and a Schedule's
 * startWorkflow action): `staticSummary` is one line — kind, id, title, unit — and
 * `staticDetails` Temporal markdown with the jurisdiction, the policy version and links.
 */
export function caseMetadata(m: CaseMetadataInput): { staticSummary: string; staticDetails: string } {
  const label = CASE_KIND_LABELS[m.kind] ?? m.kind;
  const title = m.title ? oneLine(m.title) : undefined;
  const staticSummary = [`${label} ${m.caseId}`, title && short(title), m.unit].filter(Boolean).join(' · ');
  const base = { consoleUrl: m.consoleUrl };
  const lines = [
    `**${label}** \`${m.caseId}\``,
    '',
    ...(title ? [`- 标题：${title}`] : []),
    ...(m.unit ? [`- 单位：${m.unit}`] : []),
    `- 辖区：${m.jurisdiction}`,
    ...(policyVersionOf(m.policy) ? [`- 政策版本：${policyVersionOf(m.policy)}`] : []),
    ...Object.entries(m.facts ?? {})
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k, v]) => `- ${k}：${v}`),
    `- [在督办台打开](${consoleUrlOf(m.caseId, { ...base, consolePath: m.consolePath })})`,
    ...(m.links ?? []).map((l) => `- [${l.label}](${consoleUrlOf(m.caseId, { ...base, consolePath: l.path })})`),
  ];
  return { staticSummary, staticDetails: lines.join('\n') };
}
