import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Result, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api, idOf, type ApiError, type CaseRow } from '../api';
import { KIND, STAGE, UNIT } from '../labels';
import { navigate } from '../nav';

/** Days left to the deadline, counted down; negative when past. */
export function Countdown({ dueAt, closed }: { dueAt?: string; closed?: boolean }) {
  if (!dueAt || closed) return <span>—</span>;
  const days = Math.ceil(dayjs(dueAt).diff(dayjs(), 'hour') / 24);
  if (days < 0) return <Tag color="red">超期 {-days} 天</Tag>;
  return <Tag color={days <= 5 ? 'orange' : 'green'}>剩 {days} 天</Tag>;
}

export function CaseTable({ rows, loading }: { rows: CaseRow[]; loading?: boolean }) {
  return (
    <Table<CaseRow>
      size="middle"
      rowKey={idOf}
      loading={loading}
      dataSource={rows}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      scroll={{ x: 720 }}
      onRow={(r) => ({ onClick: () => navigate(r.href ?? `/cases/${idOf(r)}`), style: { cursor: 'pointer' } })}
      columns={[
        { title: '编号', render: (_, r) => <Typography.Link>{idOf(r)}</Typography.Link>, width: 180 },
        { title: '标题', dataIndex: 'title', ellipsis: true },
        { title: '类型', render: (_, r) => KIND[r.kind] ?? r.kind, width: 100 },
        { title: '阶段', render: (_, r) => <Tag>{r.stageLabel ?? STAGE[r.stage] ?? r.stage}</Tag>, width: 100 },
        {
          title: '承办单位',
          render: (_, r) => {
            const u = r.leadUnit ?? r.units?.[0];
            return u ? (UNIT[u] ?? u) : '—';
          },
          width: 140,
        },
        {
          title: '办理期限',
          width: 110,
          sorter: (a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'),
          render: (_, r) => <Countdown dueAt={r.dueAt} closed={r.stage === 'closed'} />,
        },
      ]}
    />
  );
}

/**
 * A page's data from the console API (`path`), loaded again when the person changes and every
 * `every` ms: the workflows move on by themselves, and the timeline comes from the read model,
 * a moment behind the case.
 */
export function usePolled<T>(path: string, who = '', every = 3000) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const load = useCallback(
    () =>
      api<T>(path).then(
        (d) => (setData(d), setError(undefined)),
        (e) => setError(e),
      ),
    [path],
  );
  useEffect(() => {
    load();
  }, [load, who]);
  useEffect(() => {
    const t = setInterval(load, every);
    return () => clearInterval(t);
  }, [load, every]);
  return { data, error, load };
}

/** A case page's data (GET /api/cases/:id), polled every 3 s. */
export const usePolledCase = <T,>(caseId: string, who: string) => usePolled<T>(`/cases/${caseId}`, who);

/** A case page that could not load: not found (or not the caller's to see), or the error. */
export function CaseLoadError({ error }: { error: ApiError }) {
  return error.status === 404 ? (
    <Result
      status="404"
      title="案件不存在或无权查看"
      subTitle={error.message}
      extra={<Button onClick={() => navigate('/todo')}>返回待办</Button>}
    />
  ) : (
    <Alert type="error" message={error.message} />
  );
}

/** The operators' link to a workflow in the Temporal UI (same host, port 8233). */
export const temporalUrl = (workflowId: string) =>
  `${window.location.protocol}//${window.location.hostname}:8233/namespaces/default/workflows/${workflowId}`;
