// The what-if report: one self-contained HTML file (inline SVG charts, no scripts, no links to
// fetch), Chinese first, with the policies side by side.
import type { Load } from './load';
import type { YearResult } from './run';

const STEP_NAMES: Record<string, string> = {
  publicBulletin: '通报',
  specialSupervision: '专项督办',
  specialReport: '专项报告',
  reReport: '再报告',
  specialInquiry: '专题询问',
  inquiry: '质询',
  investigation: '特定问题调查',
};

const COLORS = ['#1677ff', '#fa8c16', '#52c41a', '#eb2f96'];

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Grouped bars: one group per label, one bar per series. */
function bars(title: string, labels: string[], series: { name: string; values: number[] }[]): string {
  const w = 720;
  const h = 240;
  const left = 40;
  const bottom = 40;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const groupW = (w - left - 10) / Math.max(1, labels.length);
  const barW = Math.max(2, (groupW - 6) / series.length);
  const y = (v: number) => h - bottom - (v / max) * (h - bottom - 20);
  const rects = labels
    .map((_, i) =>
      series
        .map((s, j) => {
          const v = s.values[i] ?? 0;
          const x = left + i * groupW + 3 + j * barW;
          return (
            `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(h - bottom - y(v)).toFixed(1)}" fill="${COLORS[j % COLORS.length]}"><title>${esc(s.name)}: ${v}</title></rect>` +
            (v > 0
              ? `<text x="${(x + barW / 2).toFixed(1)}" y="${(y(v) - 3).toFixed(1)}" font-size="10" text-anchor="middle">${v}</text>`
              : '')
          );
        })
        .join(''),
    )
    .join('');
  const xLabels = labels
    .map(
      (l, i) =>
        `<text x="${(left + i * groupW + groupW / 2).toFixed(1)}" y="${h - bottom + 16}" font-size="11" text-anchor="middle">${esc(l)}</text>`,
    )
    .join('');
  const legend = series
    .map((s, j) => `<span class="key"><i style="background:${COLORS[j % COLORS.length]}"></i>${esc(s.name)}</span>`)
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(title)}"><line x1="${left}" y1="${h - bottom}" x2="${w - 10}" y2="${h - bottom}" stroke="#999"/>${rects}${xLabels}</svg><div>${legend}</div></figure>`;
}

export function renderReport(load: Load, results: YearResult[], generatedAt: Date): string {
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  const steps = [...new Set(results.flatMap((r) => Object.keys(r.escalationsByStep)))];
  const units = [...new Set(results.flatMap((r) => Object.keys(r.units)))].sort();
  const head = results.map((r) => `<th>${esc(r.policyName)}</th>`).join('');
  const row = (label: string, f: (r: YearResult) => string | number) =>
    `<tr><th>${esc(label)}</th>${results.map((r) => `<td>${esc(String(f(r)))}</td>`).join('')}</tr>`;
  const unitRows = units
    .map(
      (u) =>
        `<tr><th>${esc(u)}</th>${results
          .map((r) => {
            const x = r.units[u];
            return `<td>${x ? `${x.cases} 件，逾期 ${x.overdue}，平均得分 ${x.averageScore ?? '—'}` : '—'}</td>`;
          })
          .join('')}</tr>`,
    )
    .join('');
  const refused = results.flatMap((r) => r.refusedActions.slice(0, 5).map((a) => `${r.policyName}: ${a}`));
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政策推演：${esc(load.name)}</title>
<style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1000px}
table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ddd;padding:6px 10px;text-align:left}
thead th{background:#f5f5f5}figure{margin:20px 0}figcaption{font-weight:600;margin-bottom:6px}
.key{margin-right:16px;font-size:13px}.key i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
small{color:#666}
</style></head><body>
<h1>政策推演（What-if）：${esc(load.name)}</h1>
<p><small>辖区 ${esc(load.jurisdiction)} · ${load.cases.suggestion} 件代表建议 · 模拟起始 ${esc(results[0]?.startedAt ?? '')} · 生成于 ${generatedAt.toISOString()}</small></p>
<p>同一批建议（相同的提交时间、承办单位答复快慢与满意度分布）分别在下列政策下跑完一年，差异只来自政策。</p>
<table><thead><tr><th></th>${head}</tr></thead><tbody>
${row('政策来源', (r) => r.policySources)}
${row('逾期案件（催办）', (r) => r.overdueCases)}
${row('严重逾期案件', (r) => r.veryOverdueCases)}
${row('启动的督办升级', (r) => r.laddersStarted)}
${row('被拒绝的操作', (r) => r.refusedActions.length)}
${row('模拟耗时（秒）', (r) => (r.wallMs / 1000).toFixed(1))}
</tbody></table>
${bars(
  '每月新增逾期案件',
  months,
  results.map((r) => ({ name: r.policyName, values: r.overdueByMonth })),
)}
${bars(
  '升级阶梯各步骤（次）',
  steps.length ? steps.map((s) => STEP_NAMES[s] ?? s) : ['（无）'],
  results.map((r) => ({ name: r.policyName, values: steps.map((s) => r.escalationsByStep[s] ?? 0) })),
)}
${bars(
  '承办单位平均得分（百分制）',
  units,
  results.map((r) => ({ name: r.policyName, values: units.map((u) => r.units[u]?.averageScore ?? 0) })),
)}
<h2>承办单位</h2>
<table><thead><tr><th>单位</th>${head}</tr></thead><tbody>${unitRows}</tbody></table>
${refused.length ? `<h2>被拒绝的操作（前几条）</h2><ul>${refused.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}
