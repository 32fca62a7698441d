// The case page of the kinds beyond suggestions, livelihood and citizen opinions: review opinions
// (审议意见) and resolutions with their items and unit parts, inquiries (质询), investigations
// (特定问题调查), the supervision plan, liaison letters (联系函), regulation reports, appointee
// reports (履职报告) and group years. What the owning service says (its live document), the case
// index's view, 办理过程 (the timeline), links to related cases, and only the actions the server
// says are open to this person now, with forms from each route's schema.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Card, Descriptions, Timeline, Tabs, Alert, Tag, Space, Typography, Table, App, Empty } from 'antd';
import dayjs from 'dayjs';
import { api, type Principal } from '../api';
import { ENUM, KIND, RATING, STAGE, UNIT, eventLabel } from '../labels';
import { navigate } from '../nav';
import { CaseLoadError, Countdown, temporalUrl, usePolledCase } from './common';
import { SchemaForm, type FieldOptions } from './SchemaForm';
import { actionLabels } from '../kind-labels';

interface Action {
  action: string;
  title: string;
  method: string;
  path: string;
  schema: any;
  target?: Record<string, string>;
  prefill?: Record<string, unknown>;
}
interface TimelineEvent {
  eventId?: string;
  type: string;
  occurredAt: string;
  actor?: string;
  body?: any;
}
interface KindCaseData {
  caseId: string;
  view: any;
  timeline: TimelineEvent[];
  live: any;
  actions: Action[];
}

const newKey = () => `console-${crypto.randomUUID()}`;
const unitName = (u?: string) => (u ? (UNIT[u] ?? u) : '—');
const day = (d?: string) => (d ? dayjs(d).format('YYYY-MM-DD') : '—');
const time = (d?: string) => (d ? dayjs(d).format('YYYY-MM-DD HH:mm') : '—');
const kindOf = (id: string, view: any) =>
  view?.kind ??
  (id.startsWith('review-opinion-')
    ? 'review_opinion'
    : id.startsWith('resolution-')
      ? 'resolution'
      : id.startsWith('inquiry-')
        ? 'inquiry'
        : id.startsWith('investigation-')
          ? 'investigation'
          : id.startsWith('supervision-plan-')
            ? 'supervision_plan'
            : id.includes('-letter-')
              ? 'liaison_letter'
              : id.startsWith('regulation-report-')
                ? 'regulation_report'
                : id.startsWith('appointee-report-')
                  ? 'appointee_report'
                  : 'group_duty');

/** An action's test id and tab key: the action, and the item or unit it is on. */
export const actionKey = (a: Action) =>
  [a.action, a.target?.itemId ?? a.target?.unit].filter(Boolean).join('-').replace(/\./g, '-');

/** What an event says beyond its type: the unit, the item, the round, the verdict. */
function eventDetail(body: any): string {
  const b =
    body && typeof body === 'object' ? (Object.values(body).find((v) => v && typeof v === 'object') ?? body) : {};
  const parts: string[] = [];
  if (typeof b.unit === 'string' && b.unit) parts.push(unitName(b.unit));
  else if (Array.isArray(b.units) && b.units.length === 1) parts.push(unitName(b.units[0]));
  if (b.itemId) parts.push(`第 ${b.itemId} 条`);
  if (typeof b.done === 'boolean') parts.push(b.done ? '报告完成' : '报告进展');
  if (typeof b.round === 'number' && b.round > 1) parts.push(`第 ${b.round} 轮`);
  if (b.verdict) parts.push(ENUM[b.verdict] ?? b.verdict);
  if (typeof b.passed === 'boolean') parts.push(b.passed ? '通过' : '未通过');
  if (b.step) parts.push(String(b.step));
  if (b.rating) parts.push(RATING[b.rating] ?? b.rating);
  return parts.join(' · ');
}

function Links({ links }: { links?: { caseId: string; rel: string }[] }) {
  if (!links?.length) return <span>—</span>;
  return (
    <Space wrap data-testid="case-links">
      {links.map((l) => (
        <Typography.Link
          key={l.caseId}
          onClick={() =>
            navigate(/^opinion-\d{4}-\d+$/.test(l.caseId) ? `/opinions/${l.caseId}` : `/cases/${l.caseId}`)
          }
        >
          {l.caseId}
        </Typography.Link>
      ))}
    </Space>
  );
}

const ITEM_STATUS: Record<string, [string, string]> = {
  open: ['整改中', 'blue'],
  awaitingConfirmation: ['待核实销号', 'orange'],
  closed: ['已销号', 'green'],
};

/** A review opinion or resolution: its items (with each unit's feedback) and every part shown to the caller. */
function ReviewOpinion({ live }: { live: any }) {
  const tracks: any[] = live.tracks ?? [];
  const stateItem = (unit: string, itemId: string) =>
    tracks.find((t) => t.unit === unit)?.state?.items?.find((i: any) => i.itemId === itemId);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {live.content && <Typography.Paragraph>{live.content}</Typography.Paragraph>}
      <Table
        size="small"
        rowKey="itemId"
        pagination={false}
        data-testid="opinion-items"
        dataSource={live.items ?? []}
        scroll={{ x: 720 }}
        columns={[
          { title: '条目', dataIndex: 'itemId', width: 60 },
          { title: '清单', width: 90, render: (_, i: any) => ENUM[i.list] ?? i.list },
          { title: '内容', dataIndex: 'description' },
          { title: '承办单位', width: 130, render: (_, i: any) => unitName(i.unit) },
          {
            title: '期限',
            width: 110,
            render: (_, i: any) => day(stateItem(i.unit, i.itemId)?.dueAt ?? i.dueAt),
          },
          {
            title: '状态',
            width: 110,
            render: (_, i: any) => {
              const st = stateItem(i.unit, i.itemId);
              if (!st) return '—';
              const [label, color] = ITEM_STATUS[st.status] ?? [st.status, 'default'];
              return (
                <Space size={4} wrap>
                  <Tag color={color} data-testid={`item-status-${i.itemId}`}>
                    {label}
                  </Tag>
                  {st.overdue && st.status !== 'closed' && <Tag color="red">超期</Tag>}
                </Space>
              );
            },
          },
          {
            title: '逐条反馈',
            render: (_, i: any) => {
              const st = stateItem(i.unit, i.itemId);
              const last = st?.feedback?.[st.feedback.length - 1];
              if (!last) return <Typography.Text type="secondary">尚无反馈</Typography.Text>;
              return (
                <div data-testid={`item-feedback-${i.itemId}`}>
                  <div>
                    {last.progress}（{day(last.at)}，共 {st.feedback.length} 次）
                  </div>
                  {last.evidence?.length > 0 && (
                    <Typography.Text type="secondary">佐证：{last.evidence.join('；')}</Typography.Text>
                  )}
                  {st.closure && (
                    <div>
                      <Typography.Text type="success">销号：{st.closure.note}</Typography.Text>
                    </div>
                  )}
                </div>
              );
            },
          },
        ]}
      />
      {tracks.map((t) => (
        <Card
          key={t.unit}
          size="small"
          data-testid={`part-${t.unit}`}
          title={
            <Space wrap>
              {unitName(t.unit)}
              {t.state && <Tag color="blue">{STAGE[t.state.stage] ?? t.state.stage}</Tag>}
              {t.state?.reportOverdue && <Tag color="red">报告超期</Tag>}
            </Space>
          }
        >
          {!t.state ? (
            <Typography.Text type="secondary">正在开启…</Typography.Text>
          ) : (
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t.state.round > 1 ? '再次报告期限' : '办理情况报告期限'}>
                {day(t.state.reportDueAt)}
              </Descriptions.Item>
              <Descriptions.Item label="未销号事项">
                {t.state.items.filter((i: any) => i.status !== 'closed').length} / {t.state.items.length}
              </Descriptions.Item>
              {t.state.reports.map((r: any) => (
                <Descriptions.Item key={r.round} label={`第 ${r.round} 次报告`} span={2}>
                  {r.summary}（{day(r.at)}
                  {r.onTime ? '' : '，逾期'}
                  {r.verdict
                    ? `，${ENUM[r.verdict] ?? { passed: '测评通过', failed: '测评未通过' }[r.verdict as string] ?? r.verdict}`
                    : ''}
                  ）
                </Descriptions.Item>
              ))}
              {t.state.votes.map((v: any) =>
                v.result ? (
                  <Descriptions.Item key={v.round} label={`第 ${v.round} 轮满意度测评`} span={2}>
                    满意 {v.result.satisfied}，基本满意 {v.result.basicallySatisfied}，不满意 {v.result.unsatisfied}（
                    {v.result.ratePercent}%，{v.result.passed ? '通过' : '未通过'}）
                  </Descriptions.Item>
                ) : (
                  <Descriptions.Item key={v.round} label={`第 ${v.round} 轮满意度测评`} span={2}>
                    进行中，已投 {Object.keys(v.votes).length} / {v.electorate.length}，截止 {time(v.closesAt)}
                  </Descriptions.Item>
                ),
              )}
              {t.state.ladder && (
                <Descriptions.Item label="督办升级" span={2}>
                  {t.state.ladder.step ?? '开始'}（{t.state.ladder.outcome ?? '进行中'}）
                </Descriptions.Item>
              )}
              {t.state.procedures.map((p: any) => (
                <Descriptions.Item
                  key={p.step}
                  label={p.step === 'inquiry' ? '需提出质询案' : '需提议特定问题调查'}
                  span={2}
                >
                  {p.linkedCaseId ? <Links links={[{ caseId: p.linkedCaseId, rel: p.step }]} /> : p.needs}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </Card>
      ))}
    </Space>
  );
}

function Inquiry({ live }: { live: any }) {
  const s = live.state ?? {};
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label="受质询机关">{unitName(live.units?.[0])}</Descriptions.Item>
      <Descriptions.Item label="联名组成人员">{(live.members ?? []).join('、')}</Descriptions.Item>
      <Descriptions.Item label="质询内容" span={2}>
        {live.content}
      </Descriptions.Item>
      <Descriptions.Item label="答复方式">{s.mode ? ENUM[s.mode] : '待主任会议决定'}</Descriptions.Item>
      <Descriptions.Item label="答复期限">{day(s.replyDueAt)}</Descriptions.Item>
      {(s.replies ?? []).map((r: any) => (
        <Descriptions.Item key={r.round} label={`第 ${r.round} 次答复`} span={2}>
          {r.summary}（{day(r.at)}
          {r.onTime ? '' : '，逾期'}）
        </Descriptions.Item>
      ))}
      {(s.roundResults ?? []).map((r: any) => (
        <Descriptions.Item key={r.round} label={`第 ${r.round} 次评价`} span={2}>
          不满意 {r.dissatisfied} 人{r.replyAgain ? '，要求再次答复' : ''}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function Investigation({ live }: { live: any }) {
  const s = live.state ?? {};
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label="涉及单位">{unitName(live.units?.[0])}</Descriptions.Item>
      <Descriptions.Item label="提议">
        {live.members?.length ? `${live.members.join('、')}` : '主任会议'}
      </Descriptions.Item>
      {live.content && (
        <Descriptions.Item label="说明" span={2}>
          {live.content}
        </Descriptions.Item>
      )}
      <Descriptions.Item label="决定期限">{day(s.decisionDueAt)}</Descriptions.Item>
      <Descriptions.Item label="报告期限">{day(s.reportDueAt)}</Descriptions.Item>
      <Descriptions.Item label="调查委员会" span={2}>
        {(s.committeeMembers ?? []).join('、') || '—'}
      </Descriptions.Item>
      {s.report && (
        <Descriptions.Item label="调查报告" span={2}>
          {s.report.summary}（{day(s.report.at)}）
        </Descriptions.Item>
      )}
      {s.resolutionCaseId && (
        <Descriptions.Item label="决议" span={2}>
          <Links links={[{ caseId: s.resolutionCaseId, rel: 'resolution' }]} />
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function Plan({ live }: { live: any }) {
  const s = live.state ?? {};
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="年度">{s.year}</Descriptions.Item>
        <Descriptions.Item label="计划通过期限">{day(s.adoptionDueAt)}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="topicId"
        pagination={false}
        title={() => '监督议题'}
        dataSource={s.topics ?? []}
        columns={[
          { title: '编号', dataIndex: 'topicId', width: 80 },
          { title: '议题', dataIndex: 'title' },
          { title: '来源', width: 120, render: (_, t: any) => ENUM[t.source] ?? t.source },
          { title: '承办单位', width: 130, render: (_, t: any) => unitName(t.unit) },
        ]}
      />
      <Table
        size="small"
        rowKey="itemId"
        pagination={false}
        title={() => '计划事项'}
        dataSource={s.items ?? []}
        columns={[
          { title: '编号', dataIndex: 'itemId', width: 80 },
          { title: '议题', dataIndex: 'topicId', width: 80 },
          { title: '承办单位', width: 130, render: (_, i: any) => unitName(i.unit) },
          { title: '审议会议', width: 150, render: (_, i: any) => time(i.sessionAt) },
          { title: '重要程度', width: 90, render: (_, i: any) => ENUM[i.weight] ?? i.weight },
          {
            title: '审议意见',
            render: (_, i: any) =>
              i.reviewOpinionCaseId ? (
                <Links links={[{ caseId: i.reviewOpinionCaseId, rel: 'reviewOpinion' }]} />
              ) : (
                ({ scheduled: '待审议', due: '待录入审议意见' }[i.status as string] ?? i.status)
              ),
          },
        ]}
      />
    </Space>
  );
}

function Letter({ live }: { live: any }) {
  const s = live.state ?? {};
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label="承办部门">{unitName(live.unit)}</Descriptions.Item>
      <Descriptions.Item label="发函代表">{live.deputyId}</Descriptions.Item>
      <Descriptions.Item label="联系函" span={2}>
        {live.letter}
      </Descriptions.Item>
      <Descriptions.Item label="群众反映" span={2}>
        {live.opinion?.content}
      </Descriptions.Item>
      <Descriptions.Item label="回复期限">{day(s.replyDueAt)}</Descriptions.Item>
      <Descriptions.Item label="回复">
        {s.reply ? `${s.reply.text}（${day(s.reply.at)}）` : '尚未回复'}
      </Descriptions.Item>
      <Descriptions.Item label="群众评价">{RATING[s.ratings?.citizen?.rating] ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="代表评价">{RATING[s.ratings?.deputy?.rating] ?? '—'}</Descriptions.Item>
    </Descriptions>
  );
}

function Duty({ kind, live }: { kind: string; live: any }) {
  const s = kind === 'group_duty' ? live : (live.state ?? {});
  if (kind === 'regulation_report')
    return (
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="法规">{live.title ?? live._id}</Descriptions.Item>
        <Descriptions.Item label="报告部门">{unitName(live.unit)}</Descriptions.Item>
        <Descriptions.Item label="施行日期">{live.inForceOn}</Descriptions.Item>
        <Descriptions.Item label="要求报告日期">{day(s.requestAt)}</Descriptions.Item>
        <Descriptions.Item label="报告期限">{day(s.reportDueAt)}</Descriptions.Item>
        <Descriptions.Item label="审查期限">{day(s.reviewDueAt)}</Descriptions.Item>
        {(s.reports ?? []).map((r: any) => (
          <Descriptions.Item key={r.round} label={`第 ${r.round} 次报告`} span={2}>
            {r.summary}（{day(r.at)}）
          </Descriptions.Item>
        ))}
        {(s.reviews ?? []).map((r: any) => (
          <Descriptions.Item key={`v${r.round}`} label={`第 ${r.round} 次审查`} span={2}>
            {ENUM[r.decision] ?? r.decision}：{r.note}
          </Descriptions.Item>
        ))}
      </Descriptions>
    );
  if (kind === 'appointee_report')
    return (
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label="任命人员">{live.officialId}</Descriptions.Item>
        <Descriptions.Item label="所在单位">{unitName(live.unit)}</Descriptions.Item>
        <Descriptions.Item label="任期">
          {live.termStart} 至 {live.termEnd ?? day(s.termEndsAt)}
        </Descriptions.Item>
        <Descriptions.Item label="履职报告">
          {s.report ? `${s.report.summary}（${day(s.report.at)}）` : '尚未报告'}
        </Descriptions.Item>
        {s.tally && (
          <Descriptions.Item label="满意度测评" span={2}>
            满意 {s.tally.satisfied}，基本满意 {s.tally.basicallySatisfied}，不满意 {s.tally.unsatisfied}（
            {s.tally.passed ? '通过' : s.tally.quorum ? '未通过' : '未达法定人数'}）
          </Descriptions.Item>
        )}
      </Descriptions>
    );
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }}>
      <Descriptions.Item label="专业小组">{s.groupId}</Descriptions.Item>
      <Descriptions.Item label="年度">{s.year}</Descriptions.Item>
      <Descriptions.Item label="成员">{(s.members ?? []).join('、') || '—'}</Descriptions.Item>
      <Descriptions.Item label="尚缺">
        {(s.missing ?? []).map((d: string) => ENUM[d] ?? d).join('、') || '无'}
      </Descriptions.Item>
      <Descriptions.Item label="已登记" span={2}>
        {(s.records ?? []).map((r: any) => `${ENUM[r.duty] ?? r.duty} ${r.refId}`).join('；') || '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}

const titleOf = (kind: string, live: any, view: any, caseId: string) =>
  live?.title ??
  (kind === 'supervision_plan' && live?.state ? `${live.state.year} 年度监督计划` : undefined) ??
  (kind === 'group_duty' && live ? `${live.groupId} · ${live.year} 年度履职` : undefined) ??
  (kind === 'appointee_report' && live ? `${live.officialId} 履职报告` : undefined) ??
  view?.title ??
  caseId;

export function KindCasePage({ caseId, me }: { caseId: string; me: Principal }) {
  const { data, error, load } = usePolledCase<KindCaseData>(caseId, me.sub);
  const [options, setOptions] = useState<FieldOptions>();
  const keys = useRef<Record<string, string>>({});
  const { message } = App.useApp();
  const hasActions = (data?.actions.length ?? 0) > 0;
  useEffect(() => {
    if (!hasActions || options) return;
    api<{ units: { value: string; label: string }[]; members: { value: string; label: string }[] }>('/options').then(
      (o) =>
        setOptions({
          unit: o.units,
          coSigners: o.members,
          coProposers: o.members,
          committeeMembers: o.members,
        }),
      () => setOptions({}),
    );
  }, [hasActions, options]);

  if (error) return <CaseLoadError error={error} />;
  if (!data) return <Card loading />;
  const v = data.view ?? {};
  const live = data.live;
  const kind = kindOf(caseId, data.view);
  const stage = live?.state?.stage ?? (kind === 'group_duty' ? live?.stage : undefined) ?? v.stage;
  const closed = stage === 'closed' || v.closed;
  const topics = (live?.state?.topics ?? []).map((t: any) => ({ value: t.topicId, label: `${t.topicId} ${t.title}` }));

  const act = async (a: Action, body: unknown) => {
    const k = `${actionKey(a)}`;
    keys.current[k] ??= newKey();
    const answer = await api<{ caseId?: string }>(a.path, { method: 'POST', body, key: keys.current[k] });
    delete keys.current[k];
    message.success(`${a.title}：已提交`);
    // An action that started another case (an inquiry, an investigation) opens it.
    if (answer?.caseId && answer.caseId !== caseId && /^\/v1\/(inquiries|investigations)$/.test(a.path))
      navigate(`/cases/${answer.caseId}`);
    else await load();
  };

  let body: ReactNode = null;
  if (live && (kind === 'review_opinion' || kind === 'resolution')) body = <ReviewOpinion live={live} />;
  else if (live && kind === 'inquiry') body = <Inquiry live={live} />;
  else if (live && kind === 'investigation') body = <Investigation live={live} />;
  else if (live && kind === 'supervision_plan') body = <Plan live={live} />;
  else if (live && kind === 'liaison_letter') body = <Letter live={live} />;
  else if (live) body = <Duty kind={kind} live={live} />;

  const temporalIds: string[] =
    kind === 'review_opinion' || kind === 'resolution'
      ? (live?.tracks ?? []).map((t: any) => t.workflowId)
      : [kind === 'regulation_report' || kind === 'appointee_report' ? (live?.caseId ?? caseId) : caseId];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Space wrap>
            <span data-testid="case-title">{titleOf(kind, live, v, caseId)}</span>
            <Tag>{KIND[kind] ?? kind}</Tag>
            <Tag color="blue" data-testid="case-stage">
              {STAGE[stage] ?? stage}
            </Tag>
            {v.overdue && <Tag color="red">超期</Tag>}
          </Space>
        }
        extra={
          me.role === 'operator' ? (
            <Space>
              {temporalIds.map((id) => (
                <Typography.Link key={id} href={temporalUrl(id)} target="_blank">
                  Temporal 工作流{temporalIds.length > 1 ? ` ${id.split('.').pop()}` : ''}
                </Typography.Link>
              ))}
            </Space>
          ) : undefined
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small" style={{ marginBottom: 12 }}>
          <Descriptions.Item label="编号">{caseId}</Descriptions.Item>
          <Descriptions.Item label="办理期限">
            {day(v.dueAt)} <Countdown dueAt={v.dueAt} closed={closed} />
          </Descriptions.Item>
          <Descriptions.Item label="承办单位">{(v.units ?? []).map(unitName).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label="关联案件">
            <Links links={v.links} />
          </Descriptions.Item>
        </Descriptions>
        {body ?? <Alert type="info" message="办理服务暂未返回详情，以下为案件索引信息。" />}
      </Card>
      <Card title="可办理事项" data-testid="actions">
        {data.actions.length === 0 ? (
          <Typography.Text type="secondary" data-testid="no-actions">
            当前没有需要您办理的事项
          </Typography.Text>
        ) : (
          <Tabs
            items={data.actions.map((a) => ({
              key: actionKey(a),
              label: (
                <span data-testid={`action-${actionKey(a)}`}>
                  {a.target?.unit && !a.target.itemId && (live?.units?.length ?? 0) > 1
                    ? `${unitName(a.target.unit)} · `
                    : ''}
                  {a.title}
                </span>
              ),
              children: (
                <SchemaForm
                  schema={a.schema}
                  submitText={`提交${a.title}`}
                  testId={`form-${actionKey(a)}`}
                  initial={a.prefill}
                  labels={actionLabels(a.action)}
                  options={{ ...options, ...(topics.length ? { topicId: topics } : {}) }}
                  onSubmit={(b) => act(a, b)}
                />
              ),
            }))}
          />
        )}
      </Card>
      <Card title="办理过程" data-testid="timeline">
        {data.timeline.length === 0 ? (
          <Empty description="尚无记录" />
        ) : (
          <Timeline
            items={data.timeline.map((e) => ({
              children: (
                <div data-testid="timeline-event">
                  <b>{eventLabel(e.type)}</b> {eventDetail(e.body)}{' '}
                  <Typography.Text type="secondary">
                    {time(e.occurredAt)} {e.actor && e.actor !== 'system' ? `· ${e.actor}` : ''}
                  </Typography.Text>
                </div>
              ),
            }))}
          />
        )}
      </Card>
    </Space>
  );
}
