// A year's livelihood cycle (民生实事项目票决): its stage and dates, the candidates with the
// screening and feasibility open on each, the actions open to this person now (from the
// server), the deputy's ballot, each vote round's turnout or result with the recount, the
// projects, and 办理过程.
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Modal, Result, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api, type ApiError, type Principal } from '../../api';
import { CATEGORY, UNIT } from '../../labels';
import { navigate } from '../../nav';
import { Countdown, temporalUrl } from '../common';
import { BallotCard, type BallotState } from './Ballot';
import {
  ActionForm,
  ActionsCard,
  TimelineCard,
  consolePath,
  inChinese,
  useData,
  yuan,
  type Action,
  type TimelineEvent,
} from './kit';
import { CANDIDATE_STATUS, CYCLE_STAGE, NEXT, PROJECT_STAGE, PROPOSER, ROUND_KIND } from './labels';

interface Candidate {
  candidateId: string;
  title: string;
  category: string;
  status: string;
  mergedInto: string | null;
  screenReason: string | null;
  proposers: { kind: string; id?: string }[];
  feasibility: { feasible: boolean; costEstimate: number; leadUnit: string; coUnits: string[]; note: string } | null;
}
interface Round {
  round: number;
  voteId: string;
  kind: string;
  candidates: string[];
  seats: number;
  electorate: number | null;
  present: number | null;
  openedAt: string | null;
  closesAt: string | null;
  result: {
    ballotsCast: number;
    turnoutPercent: number | null;
    quorumMet: boolean;
    votes: { candidateId: string; votes: number; passed: boolean }[];
    elected: string[];
    tied: string[];
    next: string;
    ballotsDigest: string;
  } | null;
}
interface CycleData {
  cycle: {
    cycleId: string;
    jurisdiction: string;
    year: number;
    stage: string;
    startedAt: string;
    collectionClosesAt: string;
    feasibilityDueAt: string | null;
    candidates: (Candidate & { proposedAt?: string })[];
    ballotList: string[] | null;
    votes: Round[];
    elected: string[];
    projects: { projectId: string; candidateId: string; leadUnit: string; settled?: string }[];
    outcome: string | null;
  };
  actions: { actions: Action[]; ballot: BallotState | null };
  vote: { round: number; status: string; ballotsCast: number; turnoutPercent: number | null } | null;
  projects: {
    projectId: string;
    title: string;
    leadUnit: string;
    stage: string;
    percent: number;
    overdue: boolean;
    atRisk: boolean;
  }[];
  timeline: TimelineEvent[] | null;
}

/** Actions drawn elsewhere on the page: on a candidate's row, in the ballot, beside a result. */
const PLACED = new Set(['screen', 'feasibility', 'castBallot', 'recount']);

export function CyclePage({ cycleId, me }: { cycleId: string; me: Principal }) {
  const { data, error, load } = useData<CycleData>(`/livelihood/cycles/${cycleId}`);
  const [open, setOpen] = useState<Action>();
  const [recount, setRecount] = useState<Record<number, string>>({});

  if (error)
    return error.status === 404 ? (
      <Result status="404" title="票决周期不存在" subTitle={error.message} />
    ) : (
      <Alert type="error" message={error.message} />
    );
  if (!data) return <Card loading />;
  const c = data.cycle;
  const actions = data.actions.actions;
  const byId = new Map(c.candidates.map((x) => [x.candidateId, x]));
  const name = (id: string) => byId.get(id)?.title ?? id;
  const optionLabel = (_field: string, id: string) => `${name(id)}（${id}）`;
  const rowActions = (id: string) =>
    actions.filter((a) => a.target === id && (a.action === 'screen' || a.action === 'feasibility'));
  const general = actions.filter((a) => !PLACED.has(a.action));
  const castAction = actions.find((a) => a.action === 'castBallot');
  const dueAt =
    c.stage === 'collecting'
      ? c.collectionClosesAt
      : c.stage === 'feasibility'
        ? (c.feasibilityDueAt ?? undefined)
        : c.stage === 'voting'
          ? (c.votes[c.votes.length - 1]?.closesAt ?? undefined)
          : undefined;

  const doRecount = async (a: Action) => {
    try {
      const r = await api<{ matches: boolean; recount: { ballotsCast: number } }>(consolePath(a.path));
      setRecount((m) => ({
        ...m,
        [Number(a.target)]: r.matches
          ? `复核一致：按存储的 ${r.recount.ballotsCast} 张选票重新计票，结果与公布结果相同`
          : '复核不一致：请核查',
      }));
    } catch (e) {
      setRecount((m) => ({ ...m, [Number(a.target)]: inChinese(e as ApiError).message }));
    }
  };

  // 办理过程 where the case index is not open to this person: the dates the cycle keeps.
  const fallback: TimelineEvent[] = [
    { type: 'livelihoodCycleOpened', occurredAt: c.startedAt },
    ...c.candidates.flatMap((x) =>
      x.proposedAt ? [{ type: 'livelihoodCandidateProposed', occurredAt: x.proposedAt }] : [],
    ),
    ...c.votes.flatMap((v) => (v.openedAt ? [{ type: 'livelihoodVoteOpened', occurredAt: v.openedAt }] : [])),
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Space wrap>
            <span data-testid="case-title">{c.year} 年民生实事项目票决</span>
            <Tag color="blue" data-testid="case-stage">
              {CYCLE_STAGE[c.stage] ?? c.stage}
            </Tag>
          </Space>
        }
        extra={
          me.role === 'operator' ? (
            <Typography.Link href={temporalUrl(cycleId)} target="_blank">
              Temporal 工作流
            </Typography.Link>
          ) : undefined
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label="编号">{c.cycleId}</Descriptions.Item>
          <Descriptions.Item label="行政区">{c.jurisdiction}</Descriptions.Item>
          <Descriptions.Item label="征集截止">{dayjs(c.collectionClosesAt).format('YYYY-MM-DD')}</Descriptions.Item>
          <Descriptions.Item label="当前期限">
            {dueAt ? dayjs(dueAt).format('YYYY-MM-DD HH:mm') : '—'} <Countdown dueAt={dueAt} closed={!dueAt} />
          </Descriptions.Item>
          <Descriptions.Item label="候选项目">{c.candidates.length} 个</Descriptions.Item>
          <Descriptions.Item label="当选项目">
            {c.elected.length ? c.elected.map(name).join('、') : '—'}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      {data.actions.ballot && (
        <BallotCard ballot={data.actions.ballot} action={castAction} candidates={c.candidates} onCast={load} />
      )}

      <ActionsCard
        actions={general}
        onDone={load}
        optionLabel={optionLabel}
        confirms={{
          closeVote: '结束投票后不再接受选票，并立即计票。确认结束？',
          closeCollection: '截止后不再接受候选项目。确认截止征集？',
        }}
      />

      <Card title="候选项目" data-testid="candidates">
        <Table<Candidate>
          size="small"
          rowKey="candidateId"
          dataSource={c.candidates}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 900 }}
          columns={[
            { title: '编号', dataIndex: 'candidateId', width: 80 },
            { title: '项目名称', dataIndex: 'title' },
            { title: '类别', width: 90, render: (_, x) => CATEGORY[x.category] ?? x.category },
            {
              title: '提出方',
              width: 120,
              render: (_, x) => {
                const n = new Map<string, number>();
                for (const p of x.proposers) n.set(p.kind, (n.get(p.kind) ?? 0) + 1);
                return [...n].map(([k, v]) => `${PROPOSER[k] ?? k}${v > 1 ? ` ×${v}` : ''}`).join('、');
              },
            },
            {
              title: '状态',
              width: 150,
              render: (_, x) => (
                <Space direction="vertical" size={0}>
                  <Tag color={CANDIDATE_STATUS[x.status]?.color}>{CANDIDATE_STATUS[x.status]?.text ?? x.status}</Tag>
                  {x.mergedInto && <Typography.Text type="secondary">并入 {x.mergedInto}</Typography.Text>}
                  {x.screenReason && <Typography.Text type="secondary">{x.screenReason}</Typography.Text>}
                  {c.ballotList?.includes(x.candidateId) && <Tag color="purple">票决候选</Tag>}
                  {c.elected.includes(x.candidateId) && <Tag color="red">当选</Tag>}
                </Space>
              ),
            },
            {
              title: '可行性论证',
              width: 200,
              render: (_, x) =>
                x.feasibility ? (
                  <span>
                    {x.feasibility.feasible ? '可行' : '不可行'} · {yuan(x.feasibility.costEstimate)} · 牵头{' '}
                    {UNIT[x.feasibility.leadUnit] ?? x.feasibility.leadUnit}
                  </span>
                ) : (
                  '—'
                ),
            },
            {
              title: '办理',
              width: 120,
              render: (_, x) => (
                <Space>
                  {rowActions(x.candidateId).map((a) => (
                    <Button
                      key={a.action}
                      size="small"
                      data-testid={`row-${a.action}-${x.candidateId}`}
                      onClick={() => setOpen(a)}
                    >
                      {a.title}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Modal
        open={!!open}
        title={open ? `${open.title}：${name(open.target ?? '')}` : ''}
        footer={null}
        onCancel={() => setOpen(undefined)}
        destroyOnClose
      >
        {open && (
          <ActionForm
            action={open}
            optionLabel={optionLabel}
            onDone={async () => {
              setOpen(undefined);
              await load();
            }}
          />
        )}
      </Modal>

      {c.votes.length > 0 && (
        <Card title="投票与计票结果" data-testid="votes">
          <Space direction="vertical" style={{ width: '100%' }}>
            {c.votes.map((v) => {
              const rc = actions.find((a) => a.action === 'recount' && a.target === String(v.round));
              const live = data.vote?.round === v.round && data.vote.status === 'open' ? data.vote : undefined;
              return (
                <Card
                  key={v.round}
                  size="small"
                  type="inner"
                  data-testid={`round-${v.round}`}
                  title={`第 ${v.round} 轮 · ${ROUND_KIND[v.kind] ?? v.kind} · 候选 ${v.candidates.length} 个，应选 ${v.seats} 个`}
                  extra={
                    rc && (
                      <Button size="small" data-testid={`recount-${v.round}`} onClick={() => doRecount(rc)}>
                        {rc.title}
                      </Button>
                    )
                  }
                >
                  {!v.openedAt && <Typography.Text type="secondary">尚未开始投票</Typography.Text>}
                  {v.openedAt && !v.result && (
                    <Typography.Text data-testid="turnout">
                      投票进行中：应到 {v.electorate} 人，出席 {v.present} 人
                      {live ? `，已投 ${live.ballotsCast} 票` : ''}；截止{' '}
                      {v.closesAt ? dayjs(v.closesAt).format('MM-DD HH:mm') : '—'}
                    </Typography.Text>
                  )}
                  {v.result && (
                    <div data-testid="result">
                      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                        <Descriptions.Item label="有效票">{v.result.ballotsCast}</Descriptions.Item>
                        <Descriptions.Item label="投票率">{v.result.turnoutPercent ?? '—'}%</Descriptions.Item>
                        <Descriptions.Item label="法定人数">
                          {v.result.quorumMet ? '已达到' : '未达到'}
                        </Descriptions.Item>
                        <Descriptions.Item label="结果" span={3}>
                          {NEXT[v.result.next] ?? v.result.next}
                        </Descriptions.Item>
                      </Descriptions>
                      <Table
                        size="small"
                        rowKey="candidateId"
                        pagination={false}
                        dataSource={v.result.votes}
                        columns={[
                          { title: '项目', render: (_, r) => name(r.candidateId) },
                          { title: '得票', dataIndex: 'votes', width: 80 },
                          {
                            title: '',
                            width: 100,
                            render: (_, r) =>
                              v.result!.elected.includes(r.candidateId) ? (
                                <Tag color="red" data-testid={`elected-${r.candidateId}`}>
                                  当选
                                </Tag>
                              ) : v.result!.tied.includes(r.candidateId) ? (
                                <Tag color="orange">票数相同</Tag>
                              ) : (
                                <Tag>未当选</Tag>
                              ),
                          },
                        ]}
                      />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        选票摘要 {v.result.ballotsDigest}
                      </Typography.Text>
                    </div>
                  )}
                  {recount[v.round] && (
                    <Alert
                      style={{ marginTop: 8 }}
                      type="info"
                      showIcon
                      message={recount[v.round]}
                      data-testid="recount"
                    />
                  )}
                </Card>
              );
            })}
          </Space>
        </Card>
      )}

      {data.projects.length > 0 && (
        <Card title="民生实事项目" data-testid="projects">
          <Table
            size="small"
            rowKey="projectId"
            dataSource={data.projects}
            pagination={false}
            scroll={{ x: 700 }}
            onRow={(p) => ({
              onClick: () => navigate(`/livelihood/projects/${p.projectId}`),
              style: { cursor: 'pointer' },
            })}
            columns={[
              {
                title: '编号',
                dataIndex: 'projectId',
                width: 260,
                render: (v) => <Typography.Link>{v}</Typography.Link>,
              },
              { title: '项目', dataIndex: 'title' },
              { title: '牵头单位', width: 140, render: (_, p) => UNIT[p.leadUnit] ?? p.leadUnit },
              { title: '进度', width: 80, render: (_, p) => `${p.percent}%` },
              {
                title: '阶段',
                width: 140,
                render: (_, p) => (
                  <Space size={4}>
                    <Tag>{PROJECT_STAGE[p.stage] ?? p.stage}</Tag>
                    {p.overdue && <Tag color="red">超期</Tag>}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}

      <TimelineCard events={data.timeline} fallback={fallback} />
    </Space>
  );
}
