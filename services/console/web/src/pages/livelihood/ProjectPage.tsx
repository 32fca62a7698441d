// One livelihood project (民生实事项目): progress, the report periods with their deadlines,
// milestones, inspections and their findings (a fix open on each), the evaluations, the actions
// open to this person now (from the server) and 办理过程.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, List, Modal, Progress, Result, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Principal } from '../../api';
import { UNIT } from '../../labels';
import { navigate } from '../../nav';
import { Countdown, temporalUrl } from '../common';
import { ActionForm, ActionsCard, TimelineCard, useData, yuan, type Action, type TimelineEvent } from './kit';
import { FINDING_STATUS, GROUP, PROJECT_STAGE } from './labels';

interface Project {
  projectId: string;
  cycleId: string;
  year: number;
  cycleYear: number;
  title: string;
  leadUnit: string;
  coUnits: string[];
  stage: string;
  budget: number;
  spent: number;
  percent: number;
  startedAt?: string;
  milestones: { milestoneId: string; name: string; dueDate: string; done: boolean; doneAt?: string }[];
  periods: { period: number; dueAt: string; status: string; reportedAt?: string; onTime?: boolean }[];
  reports: { period: number; percent: number; spent: number; summary: string; reportedAt: string; onTime: boolean }[];
  inspections: {
    inspectionId: string;
    group: string;
    at: string;
    findings: { findingId: string; text: string; fixRequired: boolean; fixDueAt?: string; status: string }[];
  }[];
  midYear: { dueAt: string; reportedAt?: string; overdue: boolean; summary?: string };
  evaluationAt: string;
  evaluations: {
    round: number;
    satisfied: number;
    basicallySatisfied: number;
    unsatisfied: number;
    share: number;
    satisfactory: boolean;
    at: string;
  }[];
  reReport: { dueAt: string; reportedAt?: string } | null;
  overdue: boolean;
  atRisk: boolean;
  score: { points: number; reason: string } | null;
  outcome: string | null;
}
interface ProjectData {
  project: Project;
  actions: { actions: Action[]; rating: { round: number; rated: boolean } | null };
  timeline: TimelineEvent[] | null;
}

const PERIOD: Record<string, { text: string; color: string }> = {
  open: { text: '待报送', color: 'blue' },
  overdue: { text: '已超期', color: 'red' },
  veryOverdue: { text: '严重超期', color: 'red' },
  reported: { text: '已报送', color: 'green' },
};

export function ProjectPage({ projectId, me }: { projectId: string; me: Principal }) {
  const { data, error, load } = useData<ProjectData>(`/livelihood/projects/${projectId}`);
  const [open, setOpen] = useState<Action>();
  if (error)
    return error.status === 404 ? (
      <Result status="404" title="民生实事项目不存在" subTitle={error.message} />
    ) : (
      <Alert type="error" message={error.message} />
    );
  if (!data) return <Card loading />;
  const p = data.project;
  const actions = data.actions.actions;
  const general = actions.filter((a) => a.action !== 'reportFix');
  const milestoneName = (id: string) => p.milestones.find((m) => m.milestoneId === id)?.name ?? id;
  const optionLabel = (field: string, id: string) =>
    field === 'group' ? (GROUP[id] ?? id) : field === 'milestonesDone' ? `${milestoneName(id)}（${id}）` : id;
  const next = p.periods.find((x) => x.status !== 'reported');
  const dueAt =
    p.stage === 'reReport' ? p.reReport?.dueAt : p.stage === 'evaluation' ? undefined : (next?.dueAt ?? p.evaluationAt);

  const fallback: TimelineEvent[] = [
    ...(p.startedAt ? [{ type: 'livelihoodProjectStarted', occurredAt: p.startedAt }] : []),
    ...p.reports.map((r) => ({ type: 'livelihoodProgressReported', occurredAt: r.reportedAt })),
    ...p.inspections.map((i) => ({ type: 'livelihoodInspectionRecorded', occurredAt: i.at })),
    ...(p.midYear.reportedAt ? [{ type: 'livelihoodMidYearReported', occurredAt: p.midYear.reportedAt }] : []),
    ...p.evaluations.map((e) => ({ type: 'livelihoodProjectRated', occurredAt: e.at })),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Space wrap>
            <span data-testid="case-title">{p.title}</span>
            <Tag>民生实事项目</Tag>
            <Tag color="blue" data-testid="case-stage">
              {PROJECT_STAGE[p.stage] ?? p.stage}
            </Tag>
            {p.overdue && <Tag color="red">超期</Tag>}
            {p.atRisk && <Tag color="orange">风险</Tag>}
          </Space>
        }
        extra={
          <Space>
            <Typography.Link onClick={() => navigate(`/livelihood/cycles/${p.cycleId}`)}>票决周期</Typography.Link>
            {me.role === 'operator' && (
              <Typography.Link href={temporalUrl(projectId)} target="_blank">
                Temporal 工作流
              </Typography.Link>
            )}
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label="编号">{p.projectId}</Descriptions.Item>
          <Descriptions.Item label="年度">
            {p.cycleYear}
            {p.cycleYear !== p.year ? `（${p.year} 年结转）` : ''}
          </Descriptions.Item>
          <Descriptions.Item label="牵头单位">{UNIT[p.leadUnit] ?? p.leadUnit}</Descriptions.Item>
          <Descriptions.Item label="配合单位">{p.coUnits.map((u) => UNIT[u] ?? u).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label="预算 / 已完成投资">
            {yuan(p.budget)} / {yuan(p.spent)}
          </Descriptions.Item>
          <Descriptions.Item label="进度">
            <Progress percent={p.percent} size="small" style={{ width: 160 }} />
          </Descriptions.Item>
          <Descriptions.Item label={p.stage === 'reReport' ? '再报告期限' : '下次报告期限'}>
            {dueAt ? dayjs(dueAt).format('YYYY-MM-DD') : '—'} <Countdown dueAt={dueAt} closed={p.stage === 'closed'} />
          </Descriptions.Item>
          <Descriptions.Item label="年终测评">{dayjs(p.evaluationAt).format('YYYY-MM-DD')}</Descriptions.Item>
          {p.score && (
            <Descriptions.Item label="绩效评分">
              {p.score.points > 0 ? `+${p.score.points}` : p.score.points}
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      {data.actions.rating?.rated && (
        <Alert type="success" showIcon message="您已参加本轮满意度测评（测评内容保密）" data-testid="rated" />
      )}

      <ActionsCard
        actions={general}
        onDone={load}
        optionLabel={optionLabel}
        confirms={{ countEvaluation: '统计已投的测评票并记录结果？' }}
      />

      <Card title="进度报告" data-testid="periods">
        <Table
          size="small"
          rowKey="period"
          dataSource={p.periods}
          pagination={{ pageSize: 12, hideOnSinglePage: true }}
          columns={[
            { title: '期次', dataIndex: 'period', width: 70, render: (n) => `第 ${n} 期` },
            { title: '报送期限', width: 130, render: (_, x) => dayjs(x.dueAt).format('YYYY-MM-DD HH:mm') },
            {
              title: '状态',
              width: 120,
              render: (_, x) => <Tag color={PERIOD[x.status]?.color}>{PERIOD[x.status]?.text ?? x.status}</Tag>,
            },
            {
              title: '剩余',
              width: 100,
              render: (_, x) => <Countdown dueAt={x.dueAt} closed={x.status === 'reported'} />,
            },
            {
              title: '报告',
              render: (_, x) => {
                const r = p.reports.find((y) => y.period === x.period);
                return r ? `${r.percent}% · ${r.summary}${r.onTime ? '' : '（逾期报送）'}` : '—';
              },
            },
          ]}
        />
      </Card>

      {p.milestones.length > 0 && (
        <Card title="节点" size="small">
          <List
            size="small"
            dataSource={p.milestones}
            renderItem={(m) => (
              <List.Item>
                {m.name}（{m.dueDate}） {m.done ? <Tag color="green">已完成</Tag> : <Tag>未完成</Tag>}
              </List.Item>
            )}
          />
        </Card>
      )}

      {p.inspections.length > 0 && (
        <Card title="代表视察" data-testid="inspections">
          {p.inspections.map((i) => (
            <Card
              key={i.inspectionId}
              type="inner"
              size="small"
              title={`${GROUP[i.group] ?? i.group} · ${dayjs(i.at).format('YYYY-MM-DD')}`}
            >
              <List
                size="small"
                dataSource={i.findings}
                renderItem={(f) => {
                  const fix = actions.find((a) => a.action === 'reportFix' && a.target === f.findingId);
                  return (
                    <List.Item
                      actions={
                        fix
                          ? [
                              <Button
                                key="fix"
                                size="small"
                                data-testid={`fix-${f.findingId}`}
                                onClick={() => setOpen(fix)}
                              >
                                {fix.title}
                              </Button>,
                            ]
                          : []
                      }
                    >
                      {f.text}{' '}
                      <Tag color={FINDING_STATUS[f.status]?.color}>{FINDING_STATUS[f.status]?.text ?? f.status}</Tag>
                      {f.fixDueAt && f.status === 'open' && <Countdown dueAt={f.fixDueAt} />}
                    </List.Item>
                  );
                }}
              />
            </Card>
          ))}
        </Card>
      )}

      {p.evaluations.length > 0 && (
        <Card title="满意度测评" data-testid="evaluations">
          <Table
            size="small"
            rowKey="round"
            pagination={false}
            dataSource={p.evaluations}
            columns={[
              { title: '轮次', dataIndex: 'round', width: 70 },
              { title: '满意', dataIndex: 'satisfied' },
              { title: '基本满意', dataIndex: 'basicallySatisfied' },
              { title: '不满意', dataIndex: 'unsatisfied' },
              { title: '满意率', render: (_, e) => `${e.share}%` },
              {
                title: '结果',
                render: (_, e) => (e.satisfactory ? <Tag color="green">满意</Tag> : <Tag color="red">不满意</Tag>),
              },
            ]}
          />
        </Card>
      )}

      <Modal open={!!open} title={open?.title} footer={null} onCancel={() => setOpen(undefined)} destroyOnClose>
        {open && (
          <ActionForm
            action={open}
            onDone={async () => {
              setOpen(undefined);
              await load();
            }}
          />
        )}
      </Modal>

      <TimelineCard events={data.timeline} fallback={fallback} />
    </Space>
  );
}
