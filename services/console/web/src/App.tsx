import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Layout, Menu, Button, Space, Typography, Spin, Grid } from 'antd';
import { api, type Principal } from './api';
import { ROLE, UNIT } from './labels';
import { navigate, useLocation } from './nav';
import { SignIn } from './pages/SignIn';
import { Todo } from './pages/Todo';
import { CaseList } from './pages/CaseList';
import { CasePage } from './pages/CasePage';
import { NewSuggestion } from './pages/NewSuggestion';
import { NewOpinion, OpinionList, OpinionPage } from './pages/Opinions';
import { KindCasePage, MyCases, StartCases, isKindCase, kindMenu } from './kind-nav';
import { OpsDeliveries, OpsRebuild, Stats, statsMenu } from './stats-nav';

const Livelihood = lazy(() => import('./pages/livelihood'));

function menuOf(p: Principal) {
  const items = [{ key: '/todo', label: '待办事项' }];
  if (p.role === 'deputy')
    items.push(
      { key: '/new', label: '提交建议' },
      { key: '/cases', label: '我的建议' },
      { key: '/opinions', label: '联络站民情' },
    );
  if (p.role === 'citizen')
    items.push({ key: '/opinions/new', label: '我要反映' }, { key: '/opinions', label: '我的反映' });
  if (p.role === 'unit') items.push({ key: '/cases', label: '本单位案件' });
  if (p.role === 'staff' || p.role === 'operator')
    items.push({ key: '/cases', label: '案件列表' }, { key: '/cases?overdue=true', label: '督办台：超期案件' });
  // 民生实事: the cycles and the vote; a handler their unit's projects.
  if (p.role === 'unit') items.push({ key: '/livelihood/projects', label: '民生实事项目' });
  else
    items.push({ key: '/livelihood', label: '民生实事票决' }, { key: '/livelihood/projects', label: '民生实事项目' });
  return items;
}

export function App() {
  const [me, setMe] = useState<Principal | null | undefined>(undefined);
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const load = useCallback(() => {
    api<{ principal: Principal }>('/session').then(
      (s) => setMe(s.principal),
      () => setMe(null),
    );
  }, []);
  useEffect(load, [load]);

  if (me === undefined) return <Spin style={{ margin: 48 }} />;
  if (me === null || location.startsWith('/login'))
    return (
      <SignIn
        onSignedIn={(p) => {
          setMe(p);
          navigate('/todo');
        }}
      />
    );

  const path = location.split('?')[0];
  let page;
  const caseId = decodeURIComponent(path.slice('/cases/'.length));
  if (path === '/livelihood' || path.startsWith('/livelihood/'))
    page = (
      <Suspense fallback={<Spin />}>
        <Livelihood path={path} me={me} />
      </Suspense>
    );
  else if (path.startsWith('/cases/'))
    page = isKindCase(caseId) ? <KindCasePage caseId={caseId} me={me} /> : <CasePage caseId={caseId} me={me} />;
  else if (path === '/my') page = <MyCases me={me} search={location.split('?')[1] ?? ''} />;
  else if (path === '/start') page = <StartCases me={me} search={location.split('?')[1] ?? ''} />;
  else if (path === '/cases') page = <CaseList me={me} search={location.split('?')[1] ?? ''} />;
  else if (path === '/stats' && me.role !== 'citizen') page = <Stats me={me} search={location.split('?')[1] ?? ''} />;
  else if (path === '/ops/deliveries' && me.role === 'operator') page = <OpsDeliveries />;
  else if (path === '/ops/rebuild' && me.role === 'operator') page = <OpsRebuild />;
  else if (path === '/new' && me.role === 'deputy') page = <NewSuggestion />;
  else if (path === '/opinions/new' && me.role === 'citizen') page = <NewOpinion />;
  else if (path.startsWith('/opinions/'))
    page = <OpinionPage id={decodeURIComponent(path.slice('/opinions/'.length))} me={me} />;
  else if (path === '/opinions' || me.role === 'citizen') page = <OpinionList me={me} />;
  else page = <Todo me={me} />;

  const who = `${me.name ?? me.sub} · ${me.unit ? (UNIT[me.unit] ?? me.unit) : ROLE[me.role]}`;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 16px' }}
      >
        <Typography.Title level={4} style={{ color: '#fff', margin: 0 }}>
          督办台
        </Typography.Title>
        <Space>
          <span data-testid="who" style={{ color: '#fff' }}>
            {who}
          </span>
          <Button
            size="small"
            onClick={() => api('/session', { method: 'DELETE' }).then(() => (setMe(null), navigate('/login')))}
          >
            退出
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" breakpoint="md" collapsedWidth={0}>
          <Menu
            mode="inline"
            selectedKeys={[location === '/' ? '/todo' : location]}
            items={[...menuOf(me), ...kindMenu(me), ...statsMenu(me)]}
            onClick={(e) => navigate(e.key)}
            style={{ height: '100%' }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: screens.md ? 24 : 8 }}>
          <Suspense fallback={<Spin style={{ margin: 48 }} />}>{page}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
