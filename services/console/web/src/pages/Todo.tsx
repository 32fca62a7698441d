import { useEffect, useState } from 'react';
import { Card, Empty, Space, Alert, Badge, Tag } from 'antd';
import { api, type CaseRow, type Principal } from '../api';
import { CaseTable } from './common';

interface TodoList {
  key: string;
  title: string;
  items: CaseRow[];
}

export function Todo({ me }: { me: Principal }) {
  const [lists, setLists] = useState<TodoList[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ lists: TodoList[] }>('/todo').then(
      (r) => setLists(r.lists),
      (e) => setError(e.message),
    );
  }, [me.sub]);
  if (error) return <Alert type="error" message={error} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large" data-testid="todo">
      {lists?.length === 0 && <Empty description="暂无待办" />}
      {(lists ?? [])
        .filter((l) => l.items.length > 0)
        .map((l) => (
          <Card
            key={l.key}
            data-testid={`todo-${l.key}`}
            title={
              <Space>
                {l.title}
                <Badge count={l.items.length} showZero color={l.items.length ? '#b71c1c' : '#999'} />
              </Space>
            }
            loading={!lists}
          >
            <CaseTable rows={l.items} />
          </Card>
        ))}
      {lists && lists.some((l) => l.items.length === 0) && (
        <Card size="small" title="以下事项暂无待办" data-testid="todo-empty">
          <Space wrap>
            {lists
              .filter((l) => l.items.length === 0)
              .map((l) => (
                <Tag key={l.key} data-testid={`todo-${l.key}`}>
                  {l.title}
                </Tag>
              ))}
          </Space>
        </Card>
      )}
      {!lists && <Card loading />}
    </Space>
  );
}
