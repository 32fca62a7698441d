// A deputy's ballot (票决): secret and cast once. The candidates and the number of choices come
// from the ballot's schema, which the server derives from the open vote; the choices live only
// in this form until they are sent and are cleared then. Nothing about the ballot is stored in
// the browser, and the page shows nobody else's vote. The server says whether this deputy has
// voted (已投票), never how.
import { useRef, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Result, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { api, type ApiError } from '../../api';
import { UNIT } from '../../labels';
import { fieldErrors } from '../SchemaForm';
import { Countdown } from '../common';
import { consolePath, inChinese, yuan, type Action } from './kit';

export interface BallotState {
  voteId: string;
  round: number;
  closesAt: string;
  cast: boolean;
  mayVote: boolean;
}

interface Candidate {
  candidateId: string;
  title: string;
  category: string;
  feasibility: { costEstimate: number; leadUnit: string } | null;
}

export function BallotCard({
  ballot,
  action,
  candidates,
  onCast,
}: {
  ballot: BallotState;
  action?: Action;
  candidates: Candidate[];
  onCast: () => Promise<unknown>;
}) {
  const [choices, setChoices] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field?: string; general?: string }>({});
  const { modal } = App.useApp();
  // The form keeps the vote it was opened for while it is being filled in.
  const seen = useRef(action);
  if (action) seen.current = action;
  const form = seen.current;

  const title = (
    <Space>
      民生实事项目票决 · 第 {ballot.round} 轮
      <span>
        投票截止 {dayjs(ballot.closesAt).format('MM-DD HH:mm')} <Countdown dueAt={ballot.closesAt} />
      </span>
    </Space>
  );
  // A form being filled in stays until it is sent or cleared, even if another page of the same
  // person has voted meanwhile: the server's answer then says why it is refused.
  const filling = choices.length > 0 || !!error.field || !!error.general;
  if (ballot.cast && !filling)
    return (
      <Card title={title} data-testid="ballot">
        <Result
          status="success"
          title={<span data-testid="ballot-cast">已投票</span>}
          subTitle="您的选票已投出并计入。投票内容保密，每位代表只能投一次；计票结果在投票结束后公布。"
        />
      </Card>
    );
  if (!form || (!filling && !ballot.mayVote))
    return (
      <Card title={title} data-testid="ballot">
        <Alert type="info" showIcon message="您不在本次投票的代表名单中，或投票已经结束" />
      </Card>
    );

  const choicesSchema = form.schema?.properties?.choices ?? {};
  const list: string[] = choicesSchema.items?.enum ?? [];
  const seats: number = choicesSchema.maxItems ?? list.length;
  const byId = new Map(candidates.map((c) => [c.candidateId, c]));
  const name = (id: string) => byId.get(id)?.title ?? id;

  const send = async () => {
    setBusy(true);
    setError({});
    try {
      await api(consolePath(form.path), { method: 'POST', body: { choices } });
      setChoices([]);
      await onCast();
    } catch (e) {
      const err = inChinese(e as ApiError);
      const { fields, general } = fieldErrors(err);
      setError({ field: fields.choices ?? Object.values(fields)[0], general });
    } finally {
      setBusy(false);
    }
  };
  const confirm = () =>
    modal.confirm({
      title: '确认投票',
      content: (
        <div data-testid="ballot-confirm">
          <p>
            您选择了 {choices.length} 个项目（应选 {seats} 个以内）：
          </p>
          <ul>
            {choices.map((c) => (
              <li key={c}>{name(c)}</li>
            ))}
          </ul>
          <p>选票投出后不能更改，也不能再投。</p>
        </div>
      ),
      okText: '确认投票',
      cancelText: '返回修改',
      onOk: send,
    });

  return (
    <Card title={title} data-testid="ballot">
      {ballot.cast && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="本账号已投票（可能在其他页面）" />
      )}
      <Typography.Paragraph>
        请从下列 {list.length} 个候选项目中选择不超过 <b>{seats}</b> 个（差额票决）。投票以无记名方式进行，一人一票。
      </Typography.Paragraph>
      <Form layout="vertical" data-testid="form-castBallot" autoComplete="off">
        {/* As in SchemaForm: data-field wraps the item, so a refusal naming `choices` shows beside it. */}
        <div data-field="choices">
          <Form.Item
            label={`已选 ${choices.length} / ${seats}`}
            validateStatus={error.field ? 'error' : undefined}
            help={error.field}
          >
            <Checkbox.Group value={choices} onChange={(v) => setChoices(v as string[])} style={{ width: '100%' }}>
              <Space direction="vertical" style={{ width: '100%' }}>
                {list.map((id) => {
                  const c = byId.get(id);
                  return (
                    <Checkbox
                      key={id}
                      value={id}
                      disabled={!choices.includes(id) && choices.length >= seats}
                      data-testid={`choice-${id}`}
                    >
                      <b>{c?.title ?? id}</b>{' '}
                      {c?.feasibility && (
                        <Typography.Text type="secondary">
                          估算投资 {yuan(c.feasibility.costEstimate)} · 牵头{' '}
                          {UNIT[c.feasibility.leadUnit] ?? c.feasibility.leadUnit}
                        </Typography.Text>
                      )}{' '}
                      <Tag>{id}</Tag>
                    </Checkbox>
                  );
                })}
              </Space>
            </Checkbox.Group>
          </Form.Item>
        </div>
        {error.general && (
          <Alert type="error" showIcon message={error.general} style={{ marginBottom: 12 }} data-testid="form-error" />
        )}
        <Button type="primary" disabled={choices.length === 0} loading={busy} onClick={confirm}>
          投票
        </Button>
      </Form>
    </Card>
  );
}
