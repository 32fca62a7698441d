import { CASE_KIND_LABELS, caseMetadata, consoleUrlOf, policyVersionOf } from '../../src';

describe('caseMetadata: what the Temporal UI shows of a case', () => {
  const policy = {
    sources: [
      { id: 'cn', version: 1 },
      { id: 'cn-zj', version: 2 },
      { id: 'cn-zj-demo-city', version: 3 },
    ],
  };

  it('gives one summary line and markdown details with jurisdiction, policy version and the console link', () => {
    const m = caseMetadata({
      caseId: 'suggestion-2026-0001',
      kind: 'suggestion',
      title: '关于在学校周边增设\n交通安全设施的建议',
      unit: 'edu-bureau',
      jurisdiction: 'cn-zj-demo-city',
      policy,
      facts: { 类别: 'education', 来源: undefined },
      consoleUrl: 'http://localhost:4010/',
    });
    expect(m.staticSummary).toBe('代表建议 suggestion-2026-0001 · 关于在学校周边增设 交通安全设施的建议 · edu-bureau');
    expect(m.staticSummary).not.toContain('\n');
    expect(m.staticDetails).toContain('- 辖区：cn-zj-demo-city');
    expect(m.staticDetails).toContain('- 政策版本：cn v1 › cn-zj v2 › cn-zj-demo-city v3');
    expect(m.staticDetails).toContain('- 类别：education');
    expect(m.staticDetails).not.toContain('来源');
    expect(m.staticDetails).toContain('[在督办台打开](http://localhost:4010/cases/suggestion-2026-0001)');
  });

  it('shortens a long title in the summary, links to the page given, and to more pages', () => {
    const m = caseMetadata({
      caseId: 'opinion-2026-0007-letter-1',
      kind: 'liaison_letter',
      title: '长'.repeat(100),
      jurisdiction: 'cn-zj-demo-city',
      consolePath: '/opinions/opinion-2026-0007',
      links: [{ label: '原意见', path: '/opinions/opinion-2026-0007' }],
      consoleUrl: 'http://console.example',
    });
    expect(m.staticSummary.length).toBeLessThan(100);
    expect(m.staticSummary).toContain('…');
    expect(m.staticSummary.startsWith('代表联系函 opinion-2026-0007-letter-1')).toBe(true);
    expect(m.staticDetails).toContain('(http://console.example/opinions/opinion-2026-0007)');
    expect(m.staticDetails).toContain('[原意见](http://console.example/opinions/opinion-2026-0007)');
    expect(m.staticDetails).not.toContain('政策版本');
  });

  it('names every case kind the search attributes carry', () => {
    for (const kind of [
      'suggestion',
      'ladder',
      'review_opinion',
      'resolution',
      'inquiry',
      'investigation',
      'supervision_plan',
      'citizen_opinion',
      'liaison_letter',
      'livelihood_cycle',
      'livelihood_project',
      'regulation_report',
      'appointee_report',
      'group_duty',
    ])
      expect(CASE_KIND_LABELS[kind]).toBeTruthy();
  });

  it('takes the console address from CONSOLE_PUBLIC_URL, else localhost:4010', () => {
    const before = process.env.CONSOLE_PUBLIC_URL;
    try {
      delete process.env.CONSOLE_PUBLIC_URL;
      expect(consoleUrlOf('inquiry-2026-0002')).toBe('http://localhost:4010/cases/inquiry-2026-0002');
      process.env.CONSOLE_PUBLIC_URL = 'https://duban.example.gov.cn';
      expect(consoleUrlOf('inquiry-2026-0002')).toBe('https://duban.example.gov.cn/cases/inquiry-2026-0002');
    } finally {
      if (before === undefined) delete process.env.CONSOLE_PUBLIC_URL;
      else process.env.CONSOLE_PUBLIC_URL = before;
    }
    expect(policyVersionOf(undefined)).toBeUndefined();
  });
});
