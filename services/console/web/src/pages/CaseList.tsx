import { useEffect, useState } from 'react';
import { Card, Form, Select, Button, Alert, Input } from 'antd';
import { api, type CaseRow, type Principal } from '../api';
import { KIND, STAGE } from '../labels';
import { navigate } from '../nav';
import { CaseTable } from './common';

export function CaseList({ me, search }: { me: Principal; search: string }) {
  const params = new URLSearchParams(search);
  const [rows, setRows] = useState<CaseRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [q, setQ] = useState('');
  useEffect(() => {
    setLoading(true);
    api<{ items: CaseRow[] }>(`/cases?${params}`).then(
      (r) => (setRows(r.items), setLoading(false), setError(undefined)),
      (e) => (setError(e.message), setLoading(false)),
    );
  }, [search, me.sub]);
  const apply = (v: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [k, val] of Object.entries(v)) if (val) next.set(k, val);
    navigate(`/cases?${next}`);
  };
  const shown = q ? rows.filter((r) => (r.title ?? '').includes(q)) : rows;
  return (
    <Card title="案件列表">
      <Form
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        initialValues={{
          kind: params.get('kind') ?? undefined,
          stage: params.get('stage') ?? undefined,
          overdue: params.get('overdue') ?? undefined,
        }}
        onFinish={apply}
      >
        <Form.Item name="kind" label="类型">
          <Select
            allowClear
            style={{ width: 140 }}
            options={Object.entries(KIND).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="stage" label="阶段">
          <Select
            allowClear
            style={{ width: 120 }}
            options={Object.entries(STAGE).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="overdue" label="超期">
          <Select
            allowClear
            style={{ width: 90 }}
            options={[
              { value: 'true', label: '是' },
              { value: 'false', label: '否' },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            筛选
          </Button>
        </Form.Item>
        <Form.Item>
          <Input.Search placeholder="标题关键词" allowClear onSearch={setQ} style={{ width: 180 }} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" message={error} />}
      <CaseTable rows={shown} loading={loading} />
    </Card>
  );
}
