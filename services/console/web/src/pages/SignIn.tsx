import { useEffect, useState } from 'react';
import { Card, List, Button, Tag, Typography, Alert } from 'antd';
import { api, type Principal } from '../api';

interface Person extends Principal {
  label: string;
  group: string;
}

/** Development sign-in: the demo people; production signs in through its identity provider instead. */
export function SignIn({ onSignedIn }: { onSignedIn: (p: Principal) => void }) {
  const [people, setPeople] = useState<Person[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ people: Person[] }>('/people').then(
      (r) => setPeople(r.people),
      (e) => setError(e.message),
    );
  }, []);
  return (
    <div style={{ maxWidth: 560, margin: '32px auto', padding: 8 }}>
      <Card title="督办台 · 选择演示身份登录">
        <Typography.Paragraph type="secondary">
          开发环境：以演示人员身份登录。生产环境由统一身份认证登录。
        </Typography.Paragraph>
        {error && <Alert type="error" message={error} />}
        <List
          dataSource={people}
          renderItem={(p) => (
            <List.Item
              actions={[
                <Button
                  key="in"
                  type="primary"
                  data-testid={`signin-${p.sub}`}
                  onClick={() =>
                    api<{ principal: Principal }>('/session', { method: 'POST', body: { personId: p.sub } }).then(
                      (r) => onSignedIn(r.principal),
                      (e) => setError(e.message),
                    )
                  }
                >
                  登录
                </Button>,
              ]}
            >
              <List.Item.Meta title={p.label} description={<Tag>{p.group}</Tag>} />
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
