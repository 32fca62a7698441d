import { useRef } from 'react';
import { Card, Form, Input, Select, Button, Alert } from 'antd';
import { api } from '../api';
import { CATEGORY } from '../labels';
import { navigate } from '../nav';
import { useSubmission } from './SchemaForm';

/** A deputy submits a suggestion (提交代表建议). */
export function NewSuggestion() {
  const key = useRef(`console-${crypto.randomUUID()}`);
  const { general, busy, status, run } = useSubmission();
  return (
    <Card title="提交代表建议" style={{ maxWidth: 760 }}>
      <Form
        layout="vertical"
        initialValues={{ category: 'education' }}
        onFinish={(v) =>
          run(async () => {
            const r = await api<{ caseId: string }>('/suggestions', {
              method: 'POST',
              key: key.current,
              body: { ...v, jurisdiction: 'cn-zj-demo-city' },
            });
            navigate(`/cases/${r.caseId}`);
          })
        }
      >
        <Form.Item label="标题" name="title" required {...status('title')}>
          <Input />
        </Form.Item>
        <Form.Item label="类别" name="category" required {...status('category')}>
          <Select options={Object.entries(CATEGORY).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item label="内容" name="content" required {...status('content')}>
          <Input.TextArea rows={6} />
        </Form.Item>
        {general && <Alert type="error" message={general} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>
          提交
        </Button>
      </Form>
    </Card>
  );
}
