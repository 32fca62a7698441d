import { useEffect, useState } from 'react';
import { Card, Form, Alert, Input } from 'antd';
import { api, type CaseRow, type Principal } from '../api';
import { CaseTable } from './common';
import { CaseFilters } from './case-filters';

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
  const shown = q ? rows.filter((r) => (r.title ?? '').includes(q)) : rows;
  return (
    <Card title="案件列表">
      <CaseFilters path="/cases" params={params} fields={['kind', 'stage', 'overdue']} kindWidth={140}>
        <Form.Item>
          <Input.Search placeholder="标题关键词" allowClear onSearch={setQ} style={{ width: 180 }} />
        </Form.Item>
      </CaseFilters>
      {error && <Alert type="error" message={error} />}
      <CaseTable rows={shown} loading={loading} />
    </Card>
  );
}
