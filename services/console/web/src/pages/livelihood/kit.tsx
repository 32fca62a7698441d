// What the livelihood pages share: loading a page's data (and looking again while it changes),
// an action from the server rendered as its form, the refusals in Chinese, the timeline.
import { useRef, useState } from 'react';
import { App, Button, Card, Popconfirm, Space, Tabs, Timeline, Typography, Alert } from 'antd';
import dayjs from 'dayjs';
import { api, type ApiError } from '../../api';
import { SchemaForm } from '../SchemaForm';
import { usePolled } from '../common';
import { LH_ENUM, LH_FIELD, REFUSAL, lhEventLabel } from './labels';

/** An open action as the livelihood service's GET …/actions answers it. */
export interface Action {
  action: string;
  title: string;
  method: 'POST' | 'GET';
  path: string;
  target?: string;
  schema: any;
  options?: Record<string, string[]>;
}

export type Options = Record<string, { value: string; label: string }[]>;

/** The console's path for a service route the actions answer named. */
export const consolePath = (servicePath: string) => servicePath.replace(/^\/v1\/livelihood/, '/livelihood');

/**
 * A refusal in Chinese, with the API's own words after it — the message and, for a refusal that
 * names its field (a ballot's `choices`), the message shown beside the field.
 */
export function inChinese(e: ApiError): ApiError {
  const zh = REFUSAL[e.code];
  if (!zh) return e;
  return {
    ...e,
    message: `${zh}（${e.message}）`,
    ...(e.details ? { details: e.details.map((d) => ({ ...d, message: `${zh}（${d.message}）` })) } : {}),
  };
}

/** Loads a page's data; every `every` ms it looks again (the workflows move on by themselves). */
export const useData = <T,>(path: string, every = 4000) => usePolled<T>(path, '', every);

const isEmpty = (schema: any) => !Object.keys(schema?.properties ?? {}).length;

/**
 * One action: its form from the request schema (pick lists from the action's options, labelled
 * by `optionLabel`), or — for an action without a body — a button with a confirmation.
 * An Idempotency-Key per attempt makes a double click or a retry harmless.
 */
/** The actions open to the caller, one tab each; `confirms` asks before the actions it names. */
export function ActionsCard({
  actions,
  onDone,
  optionLabel,
  confirms = {},
}: {
  actions: Action[];
  onDone: () => Promise<unknown> | void;
  optionLabel?: (field: string, id: string) => string;
  confirms?: Record<string, string>;
}) {
  return (
    <Card title="可办理事项" data-testid="actions">
      {actions.length === 0 ? (
        <Typography.Text type="secondary" data-testid="no-actions">
          当前没有需要您办理的事项
        </Typography.Text>
      ) : (
        <Tabs
          items={actions.map((a) => ({
            key: a.action,
            label: <span data-testid={`action-${a.action}`}>{a.title}</span>,
            children: (
              <ActionForm
                action={a}
                onDone={onDone}
                optionLabel={optionLabel}
                confirm={Object.hasOwn(confirms, a.action) ? confirms[a.action] : undefined}
              />
            ),
          }))}
        />
      )}
    </Card>
  );
}

export function ActionForm({
  action,
  onDone,
  optionLabel,
  confirm,
}: {
  action: Action;
  onDone: () => Promise<unknown> | void;
  optionLabel?: (field: string, id: string) => string;
  confirm?: string;
}) {
  const { message } = App.useApp();
  const key = useRef<string>();
  const [error, setError] = useState<string>();
  const submit = async (body: unknown) => {
    key.current ??= `console-${crypto.randomUUID()}`;
    try {
      await api(consolePath(action.path), { method: 'POST', body, key: key.current });
    } catch (e) {
      throw inChinese(e as ApiError);
    }
    key.current = undefined;
    message.success(`${action.title}：已提交`);
    await onDone();
  };
  const options: Options = {};
  for (const [field, ids] of Object.entries(action.options ?? {}))
    options[field] = ids.map((id) => ({ value: id, label: optionLabel ? optionLabel(field, id) : id }));

  if (isEmpty(action.schema))
    return (
      <Space direction="vertical" data-testid={`form-${action.action}`}>
        {error && <Alert type="error" showIcon message={error} data-testid="form-error" />}
        <Popconfirm
          title={confirm ?? `确认${action.title}？`}
          okText="确认"
          cancelText="取消"
          onConfirm={() =>
            submit({}).then(
              () => setError(undefined),
              (e: ApiError) => setError(e.message),
            )
          }
        >
          <Button type="primary">{action.title}</Button>
        </Popconfirm>
      </Space>
    );
  return (
    <SchemaForm
      schema={action.schema}
      submitText={`提交${action.title}`}
      testId={`form-${action.action}`}
      labels={LH_FIELD}
      enumLabels={LH_ENUM}
      options={options}
      onSubmit={submit}
    />
  );
}

export interface TimelineEvent {
  type: string;
  occurredAt: string;
  actor?: string;
}

/** 办理过程: the case index's timeline; where the caller may not read it, the dates the case itself keeps. */
export function TimelineCard({ events, fallback }: { events: TimelineEvent[] | null; fallback: TimelineEvent[] }) {
  const shown = events ?? [...fallback].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  return (
    <Card title="办理过程" data-testid="timeline">
      {shown.length === 0 ? (
        <Typography.Text type="secondary">暂无</Typography.Text>
      ) : (
        <Timeline
          items={shown.map((e) => ({
            children: (
              <div data-testid="timeline-event">
                <b>{lhEventLabel(e.type)}</b>{' '}
                <Typography.Text type="secondary">
                  {dayjs(e.occurredAt).format('YYYY-MM-DD HH:mm')}
                  {e.actor && e.actor !== 'system' ? ` · ${e.actor}` : ''}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

export const yuan = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : `${(n / 10000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;
