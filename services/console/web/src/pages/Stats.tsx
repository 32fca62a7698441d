// 统计分析: the scores service's rankings and the cases that became overdue month by month, drawn
// by hand (bars of plain elements and one small SVG, no chart library), each with a CSV export
// made in the browser. Staff and operators see every chart; a handler the unit ranking with its
// own row marked; a deputy the points ranking with their own row marked.
import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Button, Card, Empty, Rate, Select, Space, Spin, Tag, Typography } from 'antd';
import { api, type Principal } from '../api';
import { KIND, UNIT } from '../labels';
import { navigate } from '../nav';
import { csvName, downloadCsv, type Cell } from '../csv';

interface UnitItem {
  rank: number;
  unit: string;
  name?: string;
  jurisdiction: string;
  index: number | null;
  onTimeRate: number | null;
  averageScore: number | null;
  satisfactionRate: number | null;
  casesAssigned: number;
  responses: number;
  overdue: number;
  veryOverdue: number;
}
interface DeputyItem {
  rank: number;
  deputy: string;
  name?: string;
  jurisdiction: string;
  points: number;
  suggestionsSubmitted: number;
  ratingsGiven: number;
  opinionsHandled: number;
  opinionsOnTime: number;
}
interface StationItem {
  rank: number;
  station: string;
  name?: string;
  jurisdiction: string;
  vitality: number;
  stars: number;
  opinionsReceived: number;
  answeredInWindow: number;
  overdue: number;
  ratings: number;
  satisfiedRatings: number;
}
interface Ranked<T> {
  period: string;
  jurisdiction?: string;
  items: T[];
}
interface OverdueByMonth {
  year: string;
  jurisdiction?: string;
  months: { month: string; total: number; byKind: Record<string, number> }[];
  total: number;
  byKind: Record<string, number>;
}

const STAFF = ['staff', 'operator'];
const pct = (v: number | null) => (v === null ? '' : `${Math.round(v * 1000) / 10}%`);
const COLORS = ['#b71c1c', '#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#5d4037', '#ad1457', '#546e7a'];

/** One horizontal bar: its length is value / max of the track. */
function Bar({ value, max, color = '#b71c1c' }: { value: number; max: number; color?: string }) {
  const w = max > 0 ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  return (
    <div style={{ flex: 1, height: 14, background: '#f5f5f5', borderRadius: 2, minWidth: 80 }}>
      <div style={{ width: `${w}%`, height: '100%', background: color, borderRadius: 2 }} />
    </div>
  );
}

function Row({
  testId,
  own,
  rank,
  name,
  bar,
  figure,
  extra,
}: {
  testId: string;
  own: boolean;
  rank: number;
  name: string;
  bar: ReactNode;
  figure: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <div
      data-testid={testId}
      data-own={own ? 'true' : undefined}
      style={{
        display: 'flex',
        alignItems: 'center',
        gap: 8,
        padding: '4px 8px',
        background: own ? '#fff1f0' : undefined,
        border: own ? '1px solid #ffa39e' : '1px solid transparent',
        borderRadius: 4,
      }}
    >
      <span style={{ width: 28, textAlign: 'right', color: '#888' }}>{rank}</span>
      <span style={{ width: 180, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={name}>
        {name}
        {own && (
          <Tag color="red" style={{ marginLeft: 4 }}>
            本{testId.startsWith('unit') ? '单位' : '人'}
          </Tag>
        )}
      </span>
      {bar}
      <span data-testid={`${testId}-figure`} style={{ width: 76, textAlign: 'right' }}>
        {figure}
      </span>
      {extra}
    </div>
  );
}

function useData<T>(path: string | undefined) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!path) return;
    setData(undefined);
    setError(undefined);
    api<T>(path).then(setData, (e) => setError(e.message));
  }, [path]);
  return { data, error };
}

function ChartCard({
  title,
  testId,
  onCsv,
  error,
  loading,
  children,
}: {
  title: string;
  testId: string;
  onCsv?: () => void;
  error?: string;
  loading: boolean;
  children: ReactNode;
}) {
  return (
    <Card
      title={title}
      data-testid={testId}
      extra={
        <Button size="small" onClick={onCsv} disabled={!onCsv} data-testid={`${testId}-csv`}>
          导出 CSV
        </Button>
      }
    >
      {error ? <Alert type="error" message={error} /> : loading ? <Spin /> : children}
    </Card>
  );
}

function UnitRanking({ me, qs }: { me: Principal; qs: string }) {
  const { data, error } = useData<Ranked<UnitItem>>(`/stats/units?${qs}`);
  const items = data?.items ?? [];
  const nameOf = (u: UnitItem) => u.name ?? UNIT[u.unit] ?? u.unit;
  const csv = () =>
    downloadCsv(
      csvName('办理质量指数', data!.period),
      [
        '排名',
        '单位编号',
        '单位名称',
        '办理质量指数',
        '按时率',
        '平均得分',
        '满意率',
        '交办建议',
        '已判按时与否的答复和报告',
        '超期',
        '严重超期',
      ],
      items.map((u): Cell[] => [
        u.rank,
        u.unit,
        nameOf(u),
        u.index,
        pct(u.onTimeRate),
        u.averageScore,
        pct(u.satisfactionRate),
        u.casesAssigned,
        u.responses,
        u.overdue,
        u.veryOverdue,
      ]),
    );
  return (
    <ChartCard
      title="承办单位办理质量指数排名"
      testId="stats-units"
      onCsv={data ? csv : undefined}
      error={error}
      loading={!data}
    >
      <Typography.Paragraph type="secondary">
        指数满分 100。本期没有可计量案件的单位显示“暂无数据”，与统计服务一致并列末位（名次 =
        列出的单位数），导出时指数一栏留空。
      </Typography.Paragraph>
      {items.length === 0 && <Empty description="本期暂无单位" />}
      {items.map((u) => (
        <Row
          key={`${u.jurisdiction}/${u.unit}`}
          testId={`unit-${u.unit}`}
          own={me.role === 'unit' && me.unit === u.unit}
          rank={u.rank}
          name={nameOf(u)}
          bar={<Bar value={u.index ?? 0} max={100} />}
          figure={u.index === null ? <Typography.Text type="secondary">暂无数据</Typography.Text> : u.index}
        />
      ))}
    </ChartCard>
  );
}

function DeputyRanking({ me, qs }: { me: Principal; qs: string }) {
  const { data, error } = useData<Ranked<DeputyItem>>(`/stats/deputies?${qs}`);
  const items = data?.items ?? [];
  const max = Math.max(1, ...items.map((d) => d.points));
  const csv = () =>
    downloadCsv(
      csvName('代表履职积分', data!.period),
      ['排名', '代表编号', '姓名', '履职积分', '提出建议', '测评答复', '办理群众意见', '按时办理群众意见'],
      items.map((d): Cell[] => [
        d.rank,
        d.deputy,
        d.name ?? d.deputy,
        d.points,
        d.suggestionsSubmitted,
        d.ratingsGiven,
        d.opinionsHandled,
        d.opinionsOnTime,
      ]),
    );
  return (
    <ChartCard
      title="代表履职积分"
      testId="stats-deputies"
      onCsv={data ? csv : undefined}
      error={error}
      loading={!data}
    >
      {items.length === 0 && <Empty description="本期暂无代表" />}
      {items.map((d) => (
        <Row
          key={`${d.jurisdiction}/${d.deputy}`}
          testId={`deputy-${d.deputy}`}
          own={me.role === 'deputy' && me.sub === d.deputy}
          rank={d.rank}
          name={d.name ?? d.deputy}
          bar={<Bar value={d.points} max={max} color="#1565c0" />}
          figure={`${d.points} 分`}
        />
      ))}
    </ChartCard>
  );
}

function StationStars({ qs }: { qs: string }) {
  const { data, error } = useData<Ranked<StationItem>>(`/stats/stations?${qs}`);
  const items = data?.items ?? [];
  const csv = () =>
    downloadCsv(
      csvName('联络站星级', data!.period),
      ['排名', '联络站编号', '联络站', '运行活力指数', '星级', '收到群众意见', '按时办理', '超期', '评价', '满意评价'],
      items.map((s): Cell[] => [
        s.rank,
        s.station,
        s.name ?? s.station,
        s.vitality,
        s.stars,
        s.opinionsReceived,
        s.answeredInWindow,
        s.overdue,
        s.ratings,
        s.satisfiedRatings,
      ]),
    );
  return (
    <ChartCard
      title="代表联络站星级"
      testId="stats-stations"
      onCsv={data ? csv : undefined}
      error={error}
      loading={!data}
    >
      {items.length === 0 && <Empty description="本期暂无联络站" />}
      {items.map((s) => (
        <Row
          key={`${s.jurisdiction}/${s.station}`}
          testId={`station-${s.station}`}
          own={false}
          rank={s.rank}
          name={s.name ?? s.station}
          bar={<Bar value={s.vitality} max={100} color="#2e7d32" />}
          figure={s.vitality}
          extra={<Rate disabled count={5} value={s.stars} style={{ fontSize: 14, width: 120 }} />}
        />
      ))}
    </ChartCard>
  );
}

/** Stacked columns, one per month, one colour per case kind; the total above each column. */
function OverdueChart({ data }: { data: OverdueByMonth }) {
  const kinds = Object.keys(data.byKind).sort((a, b) => data.byKind[b] - data.byKind[a] || a.localeCompare(b));
  const color = (k: string) => COLORS[kinds.indexOf(k) % COLORS.length];
  const max = Math.max(1, ...data.months.map((m) => m.total));
  const W = 640;
  const H = 220;
  const top = 20;
  const bottom = 24;
  const col = W / 12;
  const scale = (H - top - bottom) / max;
  return (
    <div style={{ overflowX: 'auto' }}>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        style={{ maxWidth: W, minWidth: 420 }}
        role="img"
        aria-label="逐月超期案件数"
      >
        <line x1={0} x2={W} y1={H - bottom} y2={H - bottom} stroke="#bbb" />
        {data.months.map((m, i) => {
          let y = H - bottom;
          const x = i * col + col * 0.2;
          return (
            <g key={m.month} data-testid={`overdue-${m.month}`} data-total={m.total}>
              <title>{`${m.month}：${m.total} 件${kinds
                .filter((k) => m.byKind[k])
                .map((k) => `，${KIND[k] ?? k} ${m.byKind[k]}`)
                .join('')}`}</title>
              {kinds
                .filter((k) => m.byKind[k])
                .map((k) => {
                  const h = m.byKind[k] * scale;
                  y -= h;
                  return <rect key={k} x={x} y={y} width={col * 0.6} height={h} fill={color(k)} />;
                })}
              {m.total > 0 && (
                <text x={x + col * 0.3} y={y - 4} textAnchor="middle" fontSize={12}>
                  {m.total}
                </text>
              )}
              <text x={x + col * 0.3} y={H - 6} textAnchor="middle" fontSize={12} fill="#666">
                {`${Number(m.month.slice(5))}月`}
              </text>
            </g>
          );
        })}
      </svg>
      <Space wrap>
        {kinds.map((k) => (
          <span key={k}>
            <span style={{ display: 'inline-block', width: 10, height: 10, background: color(k), marginRight: 4 }} />
            {KIND[k] ?? k} {data.byKind[k]}
          </span>
        ))}
      </Space>
    </div>
  );
}

function OverdueByMonthCard({ qs }: { qs: string }) {
  const { data, error } = useData<OverdueByMonth>(`/stats/overdue-by-month?${qs}`);
  const csv = () => {
    const kinds = Object.keys(data!.byKind).sort();
    downloadCsv(
      csvName('逐月超期', data!.year),
      ['月份', '合计', ...kinds.map((k) => KIND[k] ?? k)],
      data!.months.map((m): Cell[] => [m.month, m.total, ...kinds.map((k) => m.byKind[k] ?? 0)]),
    );
  };
  return (
    <ChartCard
      title="逐月新增超期案件"
      testId="stats-overdue"
      onCsv={data ? csv : undefined}
      error={error}
      loading={!data}
    >
      <Typography.Paragraph type="secondary">
        每件案件只在它第一次超期的月份（北京时间）计一次；再次超期、严重超期不重复计。全年 {data?.total ?? 0} 件。
      </Typography.Paragraph>
      {data && <OverdueChart data={data} />}
    </ChartCard>
  );
}

export function Stats({ me, search }: { me: Principal; search: string }) {
  const params = new URLSearchParams(search);
  const thisYear = new Date().getFullYear();
  const year = /^\d{4}$/.test(params.get('year') ?? '') ? params.get('year')! : String(thisYear);
  const jurisdiction = params.get('jurisdiction') ?? undefined;
  const listQs = new URLSearchParams({ period: year, ...(jurisdiction ? { jurisdiction } : {}) }).toString();
  const overdueQs = new URLSearchParams({ year, ...(jurisdiction ? { jurisdiction } : {}) }).toString();
  const staff = STAFF.includes(me.role);
  const years = Array.from({ length: 5 }, (_, i) => String(thisYear - i));
  if (!years.includes(year)) years.push(year);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large" data-testid="stats">
      <Space>
        <Typography.Title level={4} style={{ margin: 0 }}>
          统计分析
        </Typography.Title>
        <Select
          data-testid="stats-year"
          value={year}
          style={{ width: 110 }}
          options={years.map((y) => ({ value: y, label: `${y} 年` }))}
          onChange={(y) =>
            navigate(`/stats?${new URLSearchParams({ year: y, ...(jurisdiction ? { jurisdiction } : {}) })}`)
          }
        />
      </Space>
      {(staff || me.role === 'unit') && <UnitRanking me={me} qs={listQs} />}
      {staff && <OverdueByMonthCard qs={overdueQs} />}
      {(staff || me.role === 'deputy') && <DeputyRanking me={me} qs={listQs} />}
      {staff && <StationStars qs={listQs} />}
    </Space>
  );
}
