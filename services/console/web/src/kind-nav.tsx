// Menu entries for the case kinds beyond suggestions and citizen opinions, by who uses them, and
// the pages they open (loaded when first opened, so the to-do page stays small).
import { lazy } from 'react';
import type { MenuProps } from 'antd';
import type { Principal } from './api';

export const KindCasePage = lazy(() => import('./pages/KindCasePage').then((m) => ({ default: m.KindCasePage })));
export const MyCases = lazy(() => import('./pages/MyCases').then((m) => ({ default: m.MyCases })));
export const StartCases = lazy(() => import('./pages/StartCases').then((m) => ({ default: m.StartCases })));

/** The case ids the kind case page shows (mirrors the console API's owners; presentation only). */
export const isKindCase = (id: string) =>
  /^(review-opinion|resolution|inquiry|investigation)-\d{4}-\d{4,}$/.test(id) ||
  /^supervision-plan-[a-z0-9-]+-\d{4}$/.test(id) ||
  /^opinion-\d{4}-\d{4,}-letter-\d+$/.test(id) ||
  /^(regulation-report|appointee-report|group-duty)-[a-z0-9-]+$/.test(id);

const KIND_LISTS = [
  { key: '/cases?kind=review_opinion', label: '审议意见' },
  { key: '/cases?kind=resolution', label: '决议' },
  { key: '/cases?kind=inquiry', label: '质询案' },
  { key: '/cases?kind=investigation', label: '特定问题调查' },
  { key: '/cases?kind=supervision_plan', label: '年度监督计划' },
  { key: '/cases?kind=liaison_letter', label: '代表联系函' },
  { key: '/cases?kind=regulation_report', label: '法规实施情况报告' },
  { key: '/cases?kind=appointee_report', label: '任命人员履职报告' },
  { key: '/cases?kind=group_duty', label: '代表专业小组' },
];

export function kindMenu(p: Principal): NonNullable<MenuProps['items']> {
  if (p.role === 'unit')
    return [
      { key: '/my', label: '我的案件（按期限）' },
      { key: 'kinds', label: '各类案件', children: KIND_LISTS.filter((k) => !/plan|group/.test(k.key)) },
    ];
  if (p.role === 'staff')
    return [
      { key: '/start', label: '发起与登记' },
      { key: 'kinds', label: '监督工作', children: KIND_LISTS },
    ];
  if (p.role === 'operator') return [{ key: 'kinds', label: '监督工作', children: KIND_LISTS }];
  if (p.role === 'deputy') return [{ key: '/start', label: '提出质询 / 调查' }];
  return [];
}
