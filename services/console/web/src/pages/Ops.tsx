// 运维 (operators only): the notification deliveries that need an operator — parked (given up)
// and failed (still being retried) — with resend, and the rebuild of the scores read model with
// its progress. The case index has no rebuild of its own (it is refolded per case as events
// arrive), so only the scores rebuild is shown. Both actions ask for confirmation; the services
// answer a repeated one with 409 and do nothing more (resend: already sent or being sent;
// rebuild: one is running), which the page shows as information. The deliveries can be narrowed
// to one case by its number (an operator called about one case finds its deliveries at once).
import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Popconfirm,
  Progress,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { api, type ApiError } from '../api';
import { navigate } from '../nav';

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  caseId: string;
  recipient: string;
  channel: string;
  status: 'pending' | 'sent' | 'failed' | 'parked';
  attempts: number;
  lastError?: string;
  nextAttemptAt?: string;
  updatedAt?: string;
}

interface RebuildState {
  groupId: string;
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  error?: string;
  total: number;
  processed: number;
  progress: number;
}

const STATUS: Record<string, { label: string; color: string }> = {
  parked: { label: '已搁置', color: 'red' },
  failed: { label: '失败待重试', color: 'orange' },
  pending: { label: '待发送', color: 'blue' },
  sent: { label: '已发送', color: 'green' },
  running: { label: '进行中', color: 'blue' },
  done: { label: '已完成', color: 'green' },
};
const time = (t?: string) => (t ? dayjs(t).format('YYYY-MM-DD HH:mm:ss') : '—');

export function OpsDeliveries() {
  const { message } = App.useApp();
  const [items, setItems] = useState<Delivery[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<Set<string>>(new Set());
  // The filter is kept in the address (?case=…): a reload or a shared link shows the same list.
  const [caseFilter, setCaseFilter] = useState(() => new URLSearchParams(window.location.search).get('case') ?? '');
  const filterBy = (value: string) => {
    setCaseFilter(value);
    const url = new URL(window.location.href);
    if (value.trim()) url.searchParams.set('case', value.trim());
    else url.searchParams.delete('case');
    window.history.replaceState(window.history.state, '', url);
  };
  const shown = (items ?? []).filter((d) => d.caseId.includes(caseFilter.trim()));
  const load = useCallback(
    () =>
      api<{ items: Delivery[] }>('/ops/deliveries').then(
        (r) => (setItems(r.items), setError(undefined)),
        (e: ApiError) => setError(e.message),
      ),
    [],
  );
  useEffect(() => {
    load();
  }, [load]);

  const resend = async (d: Delivery) => {
    if (busy.has(d.id)) return;
    setBusy((b) => new Set(b).add(d.id));
    try {
      const after = await api<Delivery>(`/ops/deliveries/${encodeURIComponent(d.id)}/resend`, {
        method: 'POST',
        body: {},
      });
      if (after.status === 'sent') message.success('已重新发送');
      else message.warning(`重发未成功，将按计划重试：${after.lastError ?? after.status}`);
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 409) message.info(`无需重发：${err.message}`);
      else message.error(err.message);
    } finally {
      setBusy((b) => {
        const n = new Set(b);
        n.delete(d.id);
        return n;
      });
      await load();
    }
  };

  return (
    <Card
      title="通知投递：已搁置与失败"
      data-testid="ops-deliveries"
      extra={
        <Space>
          <Input.Search
            size="small"
            allowClear
            placeholder="按案件编号筛选"
            aria-label="按案件编号筛选"
            data-testid="deliveries-case-filter"
            style={{ width: 220 }}
            defaultValue={caseFilter}
            onChange={(e) => filterBy(e.target.value)}
          />
          <Button size="small" onClick={load}>
            刷新
          </Button>
        </Space>
      }
    >
      {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} />}
      <Table<Delivery>
        size="small"
        rowKey="id"
        loading={!items && !error}
        dataSource={shown}
        locale={{ emptyText: caseFilter.trim() ? '该案件没有需要处理的投递' : '没有需要处理的投递' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        onRow={(d) => ({ 'data-testid': `delivery-${d.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            title: '案件',
            width: 200,
            render: (_, d) => (
              <Typography.Link onClick={() => navigate(`/cases/${d.caseId}`)}>{d.caseId}</Typography.Link>
            ),
          },
          { title: '事件', dataIndex: 'eventType', width: 160 },
          { title: '收件方', dataIndex: 'recipient', width: 160 },
          { title: '渠道', dataIndex: 'channel', width: 120, ellipsis: true },
          {
            title: '状态',
            width: 110,
            render: (_, d) => <Tag color={STATUS[d.status]?.color}>{STATUS[d.status]?.label ?? d.status}</Tag>,
          },
          { title: '尝试', dataIndex: 'attempts', width: 60 },
          { title: '最近错误', dataIndex: 'lastError', ellipsis: true },
          { title: '更新时间', width: 160, render: (_, d) => time(d.updatedAt) },
          {
            title: '操作',
            width: 90,
            fixed: 'right',
            render: (_, d) => (
              <Popconfirm
                title="重新发送这条通知？"
                description="将立即再试一次，并重新计算尝试次数。"
                okText="重新发送"
                cancelText="取消"
                onConfirm={() => resend(d)}
              >
                <Button size="small" loading={busy.has(d.id)} data-testid={`resend-${d.id}`}>
                  重发
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
    </Card>
  );
}

export function OpsRebuild() {
  const { message } = App.useApp();
  const [state, setState] = useState<RebuildState | null>();
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const load = useCallback(
    () =>
      api<{ scores: RebuildState | null }>('/ops/rebuild').then(
        (r) => (setState(r.scores), setError(undefined)),
        (e: ApiError) => setError(e.message),
      ),
    [],
  );
  useEffect(() => {
    load();
  }, [load]);
  // Polled while a rebuild runs.
  useEffect(() => {
    if (state?.status !== 'running') return;
    const t = setInterval(load, 1000);
    return () => clearInterval(t);
  }, [state?.status, load]);

  const start = async () => {
    if (starting) return;
    setStarting(true);
    try {
      const r = await api<{ scores: RebuildState }>('/ops/rebuild', { method: 'POST', body: {} });
      setState(r.scores);
      message.success('已开始重建');
    } catch (e) {
      const err = e as ApiError;
      if (err.status === 409) message.info(`已有重建在进行：${err.message}`);
      else message.error(err.message);
      await load();
    } finally {
      setStarting(false);
    }
  };

  const running = state?.status === 'running';
  return (
    <Card title="统计重建（scores 读模型）" data-testid="ops-rebuild">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          清空统计服务的读模型，从头重放全部事件主题到新的消费组；相同的事件得出相同的数字。重建期间排名不完整。
          案件索引没有重建接口（每件案件随事件重新折叠），此处只有统计服务的重建。
        </Typography.Paragraph>
        {error && <Alert type="error" message={error} />}
        {state === null && <Typography.Text data-testid="rebuild-none">本进程启动以来没有运行过重建</Typography.Text>}
        {state && (
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="状态">
              <Tag color={STATUS[state.status]?.color ?? 'red'} data-testid="rebuild-status">
                {STATUS[state.status]?.label ?? '失败'}
              </Tag>
              {state.error && <Typography.Text type="danger">{state.error}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label="进度">
              <Progress
                data-testid="rebuild-progress"
                percent={Math.round(state.progress * 100)}
                format={(p) => `${p}%`}
                status={state.status === 'failed' ? 'exception' : running ? 'active' : 'success'}
              />
              {state.processed} / {state.total} 条消息
            </Descriptions.Item>
            <Descriptions.Item label="消费组">{state.groupId}</Descriptions.Item>
            <Descriptions.Item label="开始 / 结束">
              {time(state.startedAt)} / {time(state.finishedAt)}
            </Descriptions.Item>
          </Descriptions>
        )}
        <Popconfirm
          title="确认重建统计？"
          description="将清空统计读模型并从头重放全部事件，期间排名不完整。"
          okText="开始重建"
          cancelText="取消"
          onConfirm={start}
          disabled={running}
        >
          <Button type="primary" danger loading={starting} disabled={running} data-testid="rebuild-start">
            {running ? '重建进行中…' : '重建统计'}
          </Button>
        </Popconfirm>
      </Space>
    </Card>
  );
}
