// Menu entries and pages of the charts (统计分析) and the operator pages (运维), loaded when
// first opened so the first page stays small.
import { lazy } from 'react';
import type { MenuProps } from 'antd';
import type { Principal } from './api';

export const Stats = lazy(() => import('./pages/Stats').then((m) => ({ default: m.Stats })));
export const OpsDeliveries = lazy(() => import('./pages/Ops').then((m) => ({ default: m.OpsDeliveries })));
export const OpsRebuild = lazy(() => import('./pages/Ops').then((m) => ({ default: m.OpsRebuild })));

export function statsMenu(p: Principal): NonNullable<MenuProps['items']> {
  const items: NonNullable<MenuProps['items']> = [];
  if (p.role !== 'citizen') items.push({ key: '/stats', label: '统计分析' });
  if (p.role === 'operator')
    items.push({
      key: 'ops',
      label: '运维',
      children: [
        { key: '/ops/deliveries', label: '通知投递' },
        { key: '/ops/rebuild', label: '统计重建' },
      ],
    });
  return items;
}
