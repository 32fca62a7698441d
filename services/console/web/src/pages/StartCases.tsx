// 发起与登记: what this person may start, as the services answer it (their routes and request
// schemas): the clerk records review opinions with items for units, proposes investigations for
// the chair council, starts the year's supervision plan, registers regulations, appointed heads
// and professional groups; a member of the standing committee files inquiries and proposes
// investigations. A refused request shows the API's message beside the field it names.
import { useEffect, useState } from 'react';
import { Card, Tabs, Typography, Alert, App } from 'antd';
import { api, type Principal } from '../api';
import { navigate } from '../nav';
import { SchemaForm, type FieldOptions } from './SchemaForm';
import { KIND_FORM_LABELS } from '../kind-labels';

interface StartAction {
  action: string;
  title: string;
  path: string;
  schema: any;
  prefill?: Record<string, unknown>;
}

const newKey = () => `console-${crypto.randomUUID()}`;

export function StartCases({ me, search }: { me: Principal; search: string }) {
  const [actions, setActions] = useState<StartAction[]>();
  const [options, setOptions] = useState<FieldOptions>({});
  const [error, setError] = useState<string>();
  const [keys] = useState<Record<string, string>>({});
  const { message } = App.useApp();
  const pick = new URLSearchParams(search).get('action') ?? undefined;
  useEffect(() => {
    api<{ actions: StartAction[] }>('/start').then(
      (r) => setActions(r.actions),
      (e) => setError(e.message),
    );
    api<{ units: { value: string; label: string }[]; members: { value: string; label: string }[] }>('/options').then(
      (o) => setOptions({ unit: o.units, coSigners: o.members, coProposers: o.members, committeeMembers: o.members }),
      () => {},
    );
  }, [me.sub]);
  const start = async (a: StartAction, body: unknown) => {
    keys[a.action] ??= newKey();
    const answer = await api<{ caseId?: string }>(a.path, { method: 'POST', body, key: keys[a.action] });
    delete keys[a.action];
    message.success(`${a.title}：已提交`);
    if (answer?.caseId) navigate(`/cases/${answer.caseId}`);
  };
  return (
    <Card title="发起与登记" data-testid="start">
      {error && <Alert type="error" message={error} />}
      {actions && actions.length === 0 && (
        <Typography.Text type="secondary" data-testid="no-start">
          您当前没有可以发起的事项
        </Typography.Text>
      )}
      {actions && actions.length > 0 && (
        <Tabs
          defaultActiveKey={pick}
          items={actions.map((a) => ({
            key: a.action,
            label: <span data-testid={`start-${a.action}`}>{a.title}</span>,
            children: (
              <SchemaForm
                schema={a.schema}
                submitText={a.title}
                testId={`form-${a.action}`}
                initial={a.prefill}
                labels={KIND_FORM_LABELS}
                options={options}
                onSubmit={(b) => start(a, b)}
              />
            ),
          }))}
        />
      )}
      {!actions && !error && <Card loading bordered={false} />}
    </Card>
  );
}
