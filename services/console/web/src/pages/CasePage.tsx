import { useRef } from 'react';
import { Card, Descriptions, Timeline, Tabs, Alert, Tag, Space, Typography, App } from 'antd';
import dayjs from 'dayjs';
import { api, type Principal } from '../api';
import { KIND, STAGE, UNIT, ENUM, eventLabel, CATEGORY } from '../labels';
import { CaseLoadError, Countdown, temporalUrl, usePolledCase } from './common';
import { SchemaForm } from './SchemaForm';

interface Action {
  action: string;
  title: string;
  method: string;
  path: string;
  schema: any;
}
interface CaseData {
  caseId: string;
  view: any;
  timeline: { type: string; occurredAt: string; actor?: string; body?: any }[];
  suggestion: any;
  actions: Action[];
}

const newKey = () => `console-${crypto.randomUUID()}`;

export function CasePage({ caseId, me }: { caseId: string; me: Principal }) {
  const { data, error, load } = usePolledCase<CaseData>(caseId, me.sub);
  const keys = useRef<Record<string, string>>({});
  const { message } = App.useApp();

  if (error) return <CaseLoadError error={error} />;
  if (!data) return <Card loading />;
  const s = data.suggestion?.state;
  const v = data.view ?? {};
  const stage = s?.stage ?? v.stage;
  const dueAt = s?.replyDueAt ?? v.dueAt;
  const act = async (a: Action, body: unknown) => {
    keys.current[a.action] ??= newKey();
    let path = a.path.replace(/^\/v1\/suggestions/, '/suggestions');
    if (path.includes(':commitmentId')) {
      const pending = (s?.commitments ?? []).find((c: any) => c.status === 'pending' || c.status === 'due');
      path = path.replace(':commitmentId', encodeURIComponent(pending?.commitmentId ?? ''));
    }
    await api(path, { method: 'POST', body, key: keys.current[a.action] });
    delete keys.current[a.action];
    message.success(`${a.title}：已提交`);
    await load();
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card
        title={
          <Space wrap>
            <span data-testid="case-title">{data.suggestion?.title ?? v.title ?? caseId}</span>
            <Tag>{KIND[v.kind ?? 'suggestion'] ?? v.kind}</Tag>
            <Tag color="blue" data-testid="case-stage">
              {STAGE[stage] ?? stage}
            </Tag>
          </Space>
        }
        extra={
          me.role === 'operator' ? (
            <Typography.Link href={temporalUrl(caseId)} target="_blank">
              Temporal 工作流
            </Typography.Link>
          ) : undefined
        }
      >
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label="编号">{caseId}</Descriptions.Item>
          <Descriptions.Item label="办理期限">
            {dueAt ? dayjs(dueAt).format('YYYY-MM-DD') : '—'} <Countdown dueAt={dueAt} closed={stage === 'closed'} />
          </Descriptions.Item>
          {data.suggestion && (
            <>
              <Descriptions.Item label="提出代表">{data.suggestion.deputyId}</Descriptions.Item>
              <Descriptions.Item label="类别">
                {CATEGORY[data.suggestion.category] ?? data.suggestion.category}
              </Descriptions.Item>
              <Descriptions.Item label="主办单位">
                {s?.leadUnit ? (UNIT[s.leadUnit] ?? s.leadUnit) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label="协办单位">
                {(s?.coHandlers ?? []).map((u: string) => UNIT[u] ?? u).join('、') || '—'}
              </Descriptions.Item>
              <Descriptions.Item label="内容" span={2}>
                {data.suggestion.content}
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
        {(s?.replies ?? []).map((r: any) => (
          <Alert
            key={r.round}
            style={{ marginTop: 8 }}
            type="info"
            message={`第 ${r.round} 次答复 · ${ENUM[r.grade] ?? r.grade}`}
            description={r.summary}
          />
        ))}
      </Card>
      <Card title="可办理事项" data-testid="actions">
        {data.actions.length === 0 ? (
          <Typography.Text type="secondary" data-testid="no-actions">
            当前没有需要您办理的事项
          </Typography.Text>
        ) : (
          <Tabs
            items={data.actions.map((a) => ({
              key: a.action,
              label: <span data-testid={`action-${a.action}`}>{a.title}</span>,
              children: (
                <SchemaForm
                  schema={a.schema}
                  submitText={`提交${a.title}`}
                  testId={`form-${a.action}`}
                  onSubmit={(b) => act(a, b)}
                />
              ),
            }))}
          />
        )}
      </Card>
      <Card title="办理过程" data-testid="timeline">
        <Timeline
          items={data.timeline.map((e) => ({
            children: (
              <div data-testid="timeline-event">
                <b>{eventLabel(e.type)}</b>{' '}
                <Typography.Text type="secondary">
                  {dayjs(e.occurredAt).format('YYYY-MM-DD HH:mm')}{' '}
                  {e.actor && e.actor !== 'system' ? `· ${e.actor}` : ''}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      </Card>
    </Space>
  );
}
