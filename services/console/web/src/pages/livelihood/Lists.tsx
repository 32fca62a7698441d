// The livelihood lists: the yearly cycles (with the action that starts one, for staff) and the
// projects (a handler's own unit's by default), each with its stage and the days to its date.
import { Alert, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Principal } from '../../api';
import { UNIT } from '../../labels';
import { navigate } from '../../nav';
import { Countdown } from '../common';
import { ActionForm, useData, type Action } from './kit';
import { CYCLE_STAGE, PROJECT_STAGE } from './labels';

interface CycleRow {
  cycleId: string;
  jurisdiction: string;
  year: number;
  title: string;
  stage: string | null;
  dueAt: string | null;
  status: string;
}
interface ProjectRow {
  projectId: string;
  cycleId: string | null;
  title: string;
  leadUnit: string | null;
  cycleYear: number | null;
  stage: string | null;
  dueAt: string | null;
  overdue: boolean;
  atRisk: boolean;
}

export function CycleList({ me }: { me: Principal }) {
  const { data, error, load } = useData<{ items: CycleRow[]; actions: Action[] }>('/livelihood/cycles', 10_000);
  const start = data?.actions.find((a) => a.action === 'start');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title="民生实事项目票决" data-testid="cycles">
        {error && <Alert type="error" message={error.message} />}
        <Table<CycleRow>
          size="middle"
          rowKey="cycleId"
          loading={!data && !error}
          dataSource={data?.items ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 640 }}
          onRow={(r) => ({ onClick: () => navigate(`/livelihood/cycles/${r.cycleId}`), style: { cursor: 'pointer' } })}
          columns={[
            { title: '编号', dataIndex: 'cycleId', render: (v) => <Typography.Link>{v}</Typography.Link> },
            { title: '年度', dataIndex: 'year', width: 80 },
            { title: '行政区', dataIndex: 'jurisdiction', width: 160 },
            {
              title: '阶段',
              width: 120,
              render: (_, r) => <Tag>{(r.stage && CYCLE_STAGE[r.stage]) ?? r.stage ?? r.status}</Tag>,
            },
            {
              title: '期限',
              width: 110,
              render: (_, r) => (
                <Countdown dueAt={r.dueAt ?? undefined} closed={r.stage === 'closed' || r.stage === 'implementation'} />
              ),
            },
          ]}
        />
      </Card>
      {start && me.role !== 'deputy' && (
        <Card title={start.title} data-testid="start-cycle">
          <ActionForm action={start} onDone={load} />
        </Card>
      )}
    </Space>
  );
}

export function ProjectList({ me }: { me: Principal }) {
  const [unit, setUnit] = useState<string | undefined>(me.role === 'unit' ? me.unit : undefined);
  const [q, setQ] = useState('');
  const { data, error } = useData<{ items: ProjectRow[] }>(
    `/livelihood/projects${unit ? `?unit=${encodeURIComponent(unit)}` : ''}`,
    10_000,
  );
  const rows = (data?.items ?? []).filter((r) => !q || r.title.includes(q));
  return (
    <Card
      title={me.role === 'unit' ? '本单位牵头的民生实事项目' : '民生实事项目'}
      data-testid="projects"
      extra={
        <Space wrap>
          <Select
            allowClear
            placeholder="牵头单位"
            style={{ width: 170 }}
            value={unit}
            onChange={setUnit}
            options={Object.entries(UNIT).map(([value, label]) => ({ value, label }))}
          />
          <Input.Search placeholder="项目名称" allowClear onSearch={setQ} style={{ width: 160 }} />
        </Space>
      }
    >
      {error && <Alert type="error" message={error.message} />}
      <Table<ProjectRow>
        size="middle"
        rowKey="projectId"
        loading={!data && !error}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 760 }}
        onRow={(r) => ({
          onClick: () => navigate(`/livelihood/projects/${r.projectId}`),
          style: { cursor: 'pointer' },
        })}
        columns={[
          { title: '编号', dataIndex: 'projectId', width: 250, render: (v) => <Typography.Link>{v}</Typography.Link> },
          { title: '项目', dataIndex: 'title', ellipsis: true },
          { title: '牵头单位', width: 140, render: (_, r) => (r.leadUnit ? (UNIT[r.leadUnit] ?? r.leadUnit) : '—') },
          {
            title: '阶段',
            width: 150,
            render: (_, r) => (
              <Space size={4}>
                <Tag>{(r.stage && PROJECT_STAGE[r.stage]) ?? r.stage}</Tag>
                {r.overdue && <Tag color="red">超期</Tag>}
                {r.atRisk && !r.overdue && <Tag color="orange">风险</Tag>}
              </Space>
            ),
          },
          {
            title: '下次期限',
            width: 110,
            sorter: (a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'),
            render: (_, r) => <Countdown dueAt={r.dueAt ?? undefined} closed={r.stage === 'closed'} />,
          },
        ]}
      />
    </Card>
  );
}
