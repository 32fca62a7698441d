// 我的案件: a unit handler's cases of every kind, soonest due first (the case index's due order,
// the unit's own), with the working days left on the official calendar (counted by the console
// API with the project's calendar), paged with the list's cursor.
import { useEffect, useState } from 'react';
import { Card, Button, Alert, Table, Tag, Typography, Space } from 'antd';
import dayjs from 'dayjs';
import { api, idOf, type CaseRow, type Principal } from '../api';
import { KIND, STAGE, UNIT } from '../labels';
import { navigate } from '../nav';
import { CaseFilters } from './case-filters';

interface MyRow extends CaseRow {
  workingDaysLeft: number | null;
  closed?: boolean;
}
interface Page {
  items: MyRow[];
  next: string | null;
  calendarWarnings: string[];
}

/** Working days left: due today 0, past negative (on the official calendar, not calendar days). */
export function WorkingDays({ days }: { days: number | null }) {
  if (days === null || days === undefined) return <span>—</span>;
  if (days < 0) return <Tag color="red">超期 {-days} 个工作日</Tag>;
  if (days === 0) return <Tag color="orange">今日到期</Tag>;
  return <Tag color={days <= 5 ? 'orange' : 'green'}>剩 {days} 个工作日</Tag>;
}

export function MyCases({ me, search }: { me: Principal; search: string }) {
  const params = new URLSearchParams(search);
  const [rows, setRows] = useState<MyRow[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const fetchPage = (cursor?: string) => {
    setLoading(true);
    const q = new URLSearchParams(params);
    if (cursor) q.set('cursor', cursor);
    return api<Page>(`/my-cases?${q}`).then(
      (p) => {
        setRows((r) => (cursor ? [...r, ...p.items] : p.items));
        setNext(p.next);
        setWarnings(p.calendarWarnings);
        setLoading(false);
        setError(undefined);
      },
      (e) => (setError(e.message), setLoading(false)),
    );
  };
  useEffect(() => {
    fetchPage();
  }, [search, me.sub]);
  return (
    <Card title={me.unit ? `我的案件 · ${UNIT[me.unit] ?? me.unit}` : '我的案件'} data-testid="my-cases">
      <CaseFilters path="/my" params={params} fields={['kind', 'overdue', 'q']} kindWidth={160} />
      {error && <Alert type="error" message={error} />}
      {warnings.map((w) => (
        <Alert key={w} type="warning" showIcon message={`工作日历：${w}`} style={{ marginBottom: 8 }} />
      ))}
      <Table<MyRow>
        size="middle"
        rowKey={idOf}
        loading={loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 760 }}
        onRow={(r) => ({ onClick: () => navigate(`/cases/${idOf(r)}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '编号', render: (_, r) => <Typography.Link>{idOf(r)}</Typography.Link>, width: 200 },
          { title: '标题', dataIndex: 'title', ellipsis: true },
          { title: '类型', render: (_, r) => KIND[r.kind] ?? r.kind, width: 130 },
          { title: '阶段', render: (_, r) => <Tag>{STAGE[r.stage] ?? r.stage}</Tag>, width: 120 },
          { title: '办理期限', width: 110, render: (_, r) => (r.dueAt ? dayjs(r.dueAt).format('YYYY-MM-DD') : '—') },
          {
            title: '剩余工作日',
            width: 140,
            render: (_, r) => (
              <span data-testid={`working-days-${idOf(r)}`}>
                <WorkingDays days={r.workingDaysLeft} />
              </span>
            ),
          },
        ]}
      />
      {next && (
        <Space style={{ marginTop: 12 }}>
          <Button onClick={() => fetchPage(next)} loading={loading}>
            加载更多
          </Button>
        </Space>
      )}
    </Card>
  );
}
