// The filter bar of the case lists (案件列表, 我的案件): the chosen filters become the page's
// query string, so a list can be bookmarked and the back button restores it.
import type { ReactNode } from 'react';
import { Form, Select, Button, Input } from 'antd';
import { KIND, STAGE } from '../labels';
import { navigate } from '../nav';

type Field = 'kind' | 'stage' | 'overdue' | 'q';

export function CaseFilters({
  path,
  params,
  fields,
  kindWidth,
  children,
}: {
  /** The page the filters navigate to, e.g. "/cases". */
  path: string;
  params: URLSearchParams;
  fields: Field[];
  kindWidth: number;
  /** Shown after the submit button. */
  children?: ReactNode;
}) {
  const apply = (v: Record<string, string | undefined>) => {
    const next = new URLSearchParams();
    for (const [k, val] of Object.entries(v)) if (val) next.set(k, val);
    navigate(`${path}?${next}`);
  };
  const has = (f: Field) => fields.includes(f);
  return (
    <Form
      layout="inline"
      style={{ marginBottom: 16, rowGap: 8 }}
      initialValues={Object.fromEntries(fields.map((f) => [f, params.get(f) ?? undefined]))}
      onFinish={apply}
    >
      <Form.Item name="kind" label="类型">
        <Select
          allowClear
          style={{ width: kindWidth }}
          options={Object.entries(KIND).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      {has('stage') && (
        <Form.Item name="stage" label="阶段">
          <Select
            allowClear
            style={{ width: 120 }}
            options={Object.entries(STAGE).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
      )}
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
      {has('q') && (
        <Form.Item name="q">
          <Input placeholder="标题或编号" allowClear style={{ width: 180 }} />
        </Form.Item>
      )}
      <Form.Item>
        <Button type="primary" htmlType="submit">
          筛选
        </Button>
      </Form.Item>
      {children}
    </Form>
  );
}
