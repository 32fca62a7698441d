// 民情: a citizen sends an opinion to a liaison station, follows it and rates the answer; the
// deputies of the station answer it. Phone-sized screens first: one column, large controls.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { api, type ApiError, type Principal } from '../api';
import { CATEGORY, RATING, UNIT } from '../labels';
import { navigate } from '../nav';
import { Countdown } from './common';
import { useSubmission } from './SchemaForm';

interface Station {
  id: string;
  name: string;
  jurisdiction: string;
  deputies: string[];
}

interface OpinionState {
  stage: string;
  answerDueAt?: string;
  overdue?: boolean;
  dutyDeputyIds?: string[];
  answer?: { text: string; at: string };
  rating?: { rating: string; assumed: boolean; at: string };
}

interface Opinion {
  caseId: string;
  stationId: string;
  category: string;
  content: string;
  submittedAt: string;
  suggestionId?: string | null;
  letter?: { letterId: string; unit: string; content: string } | null;
  state: OpinionState | null;
}

/** What an opinion's stage means to the person reading it. */
export const OPINION_STAGE: Record<string, string> = {
  submitted: '待代表答复',
  overdue: '答复已超期',
  awaitingRating: '已答复，待评价',
  forwarding: '转为代表建议中',
  letterSent: '已发代表联系函',
  closed: '已办结',
};

function useStations() {
  const [stations, setStations] = useState<Station[]>();
  useEffect(() => {
    api<{ items: Station[] }>('/stations').then(
      (r) => setStations(r.items),
      () => setStations([]),
    );
  }, []);
  return stations;
}

/** `?station=<id>` in the address: the link (or QR code) a liaison station posts. */
function stationInAddress(): string | undefined {
  return new URLSearchParams(window.location.search).get('station') ?? undefined;
}

/** The citizen's own opinions, or (a deputy) the opinions of a station they serve. */
export function OpinionList({ me }: { me: Principal }) {
  const stations = useStations();
  const mine = (stations ?? []).filter((s) => s.deputies.includes(me.sub));
  const [station, setStation] = useState<string | undefined>(stationInAddress);
  const [items, setItems] = useState<Opinion[]>();
  const [error, setError] = useState<string>();
  const chosen = me.role === 'deputy' ? (mine.find((s) => s.id === station)?.id ?? mine[0]?.id) : undefined;

  useEffect(() => {
    if (me.role === 'deputy' && !chosen) return;
    setItems(undefined);
    api<{ items: Opinion[] }>(`/opinions${chosen ? `?station=${chosen}` : ''}`).then(
      (r) => setItems(r.items),
      (e: ApiError) => setError(e.message),
    );
  }, [me.role, chosen]);

  if (me.role === 'deputy' && stations && mine.length === 0)
    return <Alert type="info" message="您不在任何代表联络站，暂无民情。" />;
  return (
    <Card
      title={me.role === 'citizen' ? '我的反映' : '联络站民情'}
      data-testid="opinions"
      extra={
        me.role === 'citizen' ? (
          <Button type="primary" onClick={() => navigate('/opinions/new')}>
            我要反映
          </Button>
        ) : (
          <Select
            style={{ minWidth: 200 }}
            value={chosen}
            onChange={setStation}
            options={mine.map((s) => ({ value: s.id, label: s.name }))}
          />
        )
      }
    >
      {error && <Alert type="error" message={error} />}
      {!items && !error ? (
        <Spin />
      ) : (
        <List
          dataSource={items ?? []}
          locale={{ emptyText: '暂无民情' }}
          renderItem={(o) => (
            <List.Item
              data-testid="opinion-row"
              style={{ cursor: 'pointer' }}
              onClick={() => navigate(`/opinions/${o.caseId}`)}
              extra={<Tag>{OPINION_STAGE[o.state?.stage ?? ''] ?? '已受理'}</Tag>}
            >
              <List.Item.Meta
                title={<Typography.Link>{o.content.slice(0, 40)}</Typography.Link>}
                description={`${CATEGORY[o.category] ?? o.category} · ${dayjs(o.submittedAt).format('YYYY-MM-DD HH:mm')} · ${o.caseId}`}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** A citizen sends an opinion (反映民情) to a liaison station. */
export function NewOpinion() {
  const stations = useStations();
  const key = useRef(`console-${crypto.randomUUID()}`);
  const { general, busy, status, run } = useSubmission();
  if (!stations) return <Spin />;
  return (
    <Card title="我要反映" style={{ maxWidth: 640 }}>
      <Form
        layout="vertical"
        size="large"
        initialValues={{
          stationId: stations.find((s) => s.id === stationInAddress())?.id ?? stations[0]?.id,
          channel: 'online',
          category: 'other',
        }}
        onFinish={(v) =>
          run(async () => {
            const contact =
              v.name || v.phone
                ? { ...(v.name ? { name: v.name } : {}), ...(v.phone ? { phone: v.phone } : {}) }
                : undefined;
            const r = await api<{ caseId: string }>('/opinions', {
              method: 'POST',
              key: key.current,
              body: {
                stationId: v.stationId,
                channel: v.channel,
                category: v.category,
                content: v.content ?? '',
                ...(contact ? { contact } : {}),
              },
            });
            navigate(`/opinions/${r.caseId}`);
          })
        }
      >
        <Form.Item label="代表联络站" name="stationId" required {...status('stationId')}>
          <Select options={stations.map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item label="反映方式" name="channel">
          <Radio.Group
            options={[
              { value: 'online', label: '网上反映' },
              { value: 'station', label: '到站反映' },
            ]}
          />
        </Form.Item>
        <Form.Item label="类别" name="category" {...status('category')}>
          <Select options={Object.entries(CATEGORY).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="反映内容" name="content" required {...status('content')}>
          <Input.TextArea rows={5} placeholder="请写明问题、地点和您的意见，至少 5 个字" />
        </Form.Item>
        <Form.Item label="姓名（选填，仅联络站可见）" name="name" {...status('contact.name')}>
          <Input />
        </Form.Item>
        <Form.Item label="电话（选填，仅联络站可见）" name="phone" {...status('contact.phone')}>
          <Input inputMode="tel" />
        </Form.Item>
        {general && <Alert type="error" message={general} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} block>
          提交
        </Button>
      </Form>
    </Card>
  );
}

/** One opinion: what was asked, the answer, and the one action open to this person now. */
export function OpinionPage({ id, me }: { id: string; me: Principal }) {
  const [o, setO] = useState<Opinion | null>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    api<Opinion>(`/opinions/${id}`).then(setO, (e: ApiError) => (setO(null), setError(e.message)));
  }, [id]);
  useEffect(load, [load]);
  if (o === undefined) return <Spin />;
  if (o === null) return <Alert type="error" message={error} />;
  const s = o.state;
  const canAnswer =
    me.role === 'deputy' && !!s && ['submitted', 'overdue'].includes(s.stage) && !!s.dutyDeputyIds?.includes(me.sub);
  const canRate = me.role === 'citizen' && s?.stage === 'awaitingRating' && !s.rating;
  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 720 }}>
      <Card title="民情详情">
        <Descriptions column={1} size="small">
          <Descriptions.Item label="编号">{o.caseId}</Descriptions.Item>
          <Descriptions.Item label="状态">
            <Tag data-testid="opinion-stage">{OPINION_STAGE[s?.stage ?? ''] ?? '已受理'}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label="类别">{CATEGORY[o.category] ?? o.category}</Descriptions.Item>
          <Descriptions.Item label="反映时间">{dayjs(o.submittedAt).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
          {s?.answerDueAt && !s.answer && (
            <Descriptions.Item label="答复期限">
              <Countdown dueAt={s.answerDueAt} />
            </Descriptions.Item>
          )}
        </Descriptions>
        <Typography.Paragraph data-testid="opinion-content" style={{ whiteSpace: 'pre-wrap' }}>
          {o.content}
        </Typography.Paragraph>
      </Card>
      {s?.answer && (
        <Card title="代表答复">
          <Typography.Paragraph data-testid="opinion-answer" style={{ whiteSpace: 'pre-wrap' }}>
            {s.answer.text}
          </Typography.Paragraph>
          {s.rating && (
            <Tag color="blue" data-testid="opinion-rating">
              评价：{RATING[s.rating.rating] ?? s.rating.rating}
            </Tag>
          )}
        </Card>
      )}
      {canAnswer && (
        <ActionCard
          title="答复群众"
          path={`/opinions/${o.caseId}/answer`}
          done={load}
          testId="form-answer"
          button="提交答复"
        >
          <Form.Item label="答复内容" name="text" required>
            <Input.TextArea rows={4} />
          </Form.Item>
        </ActionCard>
      )}
      {o.suggestionId && (
        <Alert
          type="success"
          message={
            <span>
              已转为代表建议{' '}
              <Typography.Link onClick={() => navigate(`/cases/${o.suggestionId}`)}>{o.suggestionId}</Typography.Link>
            </span>
          }
        />
      )}
      {o.letter && (
        <Alert
          type="info"
          message={
            <span data-testid="letter-link">
              已发代表联系函给 {UNIT[o.letter.unit] ?? o.letter.unit}（
              <Typography.Link onClick={() => navigate(`/cases/${o.letter!.letterId}`)}>
                {o.letter.letterId}
              </Typography.Link>
              ，部门回复后可在联系函页面评价）
            </span>
          }
        />
      )}
      {canAnswer && (
        <ActionCard
          title="转为代表建议"
          path={`/opinions/${o.caseId}/suggestion`}
          done={load}
          testId="form-take-up"
          button="转为代表建议"
          initial={{ category: o.category in CATEGORY ? o.category : 'other', content: o.content }}
        >
          <Form.Item label="建议标题" name="title" required>
            <Input />
          </Form.Item>
          <Form.Item label="类别" name="category">
            <Select options={Object.entries(CATEGORY).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="建议内容" name="content" required>
            <Input.TextArea rows={4} />
          </Form.Item>
        </ActionCard>
      )}
      {canAnswer && (
        <ActionCard
          title="发代表联系函"
          path={`/opinions/${o.caseId}/letter`}
          done={load}
          testId="form-letter"
          button="发送联系函"
        >
          <Form.Item label="承办部门" name="unit" required>
            <Select options={Object.entries(UNIT).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item label="联系函内容" name="content" required>
            <Input.TextArea rows={4} />
          </Form.Item>
        </ActionCard>
      )}
      {canRate && (
        <ActionCard
          title="评价代表的答复"
          path={`/opinions/${o.caseId}/rating`}
          done={load}
          testId="form-opinion-rating"
          button="提交评价"
        >
          <Form.Item label="满意度" name="rating" required>
            <Radio.Group
              options={['satisfied', 'basicallySatisfied', 'unsatisfied'].map((r) => ({ value: r, label: RATING[r] }))}
            />
          </Form.Item>
        </ActionCard>
      )}
    </Space>
  );
}

function ActionCard(props: {
  title: string;
  path: string;
  done: () => void;
  testId: string;
  button: string;
  initial?: Record<string, unknown>;
  children: React.ReactNode;
}) {
  const key = useRef(`console-${crypto.randomUUID()}`);
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <Card title={props.title} data-testid={props.testId}>
      <Form
        layout="vertical"
        size="large"
        initialValues={props.initial}
        onFinish={async (v) => {
          setBusy(true);
          setMessage(undefined);
          try {
            await api(props.path, { method: 'POST', key: key.current, body: v });
            props.done();
          } catch (e) {
            setMessage((e as ApiError).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.children}
        {message && <Alert type="error" message={message} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} block>
          {props.button}
        </Button>
      </Form>
    </Card>
  );
}
