import { render, TemplateError, templateKeys } from '../../src/use-cases/render';
import { TEMPLATES } from '../../src/use-cases/templates';
import { afterFailure } from '../../src/use-cases/dispatcher';
import { PermanentError } from '../../src/use-cases/errors';

// Every field any template uses, with a value.
const full = {
  caseId: 'suggestion-2026-0001',
  title: '关于增加学校周边停车位的建议',
  recipientName: '市教育局',
  leadUnit: 'edu-bureau',
  coHandlers: 'transport-bureau',
  unit: 'edu-bureau',
  replyDueAt: '2026-05-01T02:00:00.000Z',
  objectionDueAt: '2026-04-10T02:00:00.000Z',
  coHandlerDueAt: '2026-04-20T02:00:00.000Z',
  dueAt: '2026-05-01T02:00:00.000Z',
  requestedDueAt: '2026-06-01T02:00:00.000Z',
  secondReplyDueAt: '2026-07-01T02:00:00.000Z',
  reportDueAt: '2026-08-01T02:00:00.000Z',
  reminderNo: 1,
  oldDueAt: '2027-03-01T15:59:59.999Z',
  newDueAt: '2027-03-08T15:59:59.999Z',
  calendarYear: 2027,
  reason: '职责不符',
  intoCaseId: 'suggestion-2026-0002',
  grade: 'B',
  round: 'round2',
  approved: true,
  note: '同意',
  total: 86,
  replyStage: 50,
  implementationStage: 36,
  outcome: 'completed',
  commitmentId: 'c-1',
  ladderId: 'suggestion-2026-0001-ladder-1',
  stepNo: 2,
  step: 'specialSupervision',
  owner: 'committee-staff',
  lastStep: 'specialInquiry',
  stationId: 'station-riverside',
  missing: 'supervisedSuggestion',
  candidateId: 'c0001',
  period: 3,
  findingId: 'i1-f1',
};

describe('templates', () => {
  it.each(templateKeys())('%s renders in Chinese and English with no placeholder left', (key) => {
    for (const lang of ['zh', 'en'] as const) {
      const m = render(key, lang, full);
      expect(m.subject).not.toMatch(/\{\{|\}\}|undefined/);
      expect(m.text).not.toMatch(/\{\{|\}\}|undefined/);
      expect(m.text).toContain('suggestion-2026-0001');
    }
  });

  it('uses the domain wording in Chinese and formats deadlines in China time', () => {
    const reminder = render('reminderLead', 'zh', full);
    expect(reminder.subject).toBe('【到期提醒】建议《关于增加学校周边停车位的建议》答复期限将至');
    expect(reminder.text).toContain('2026年5月1日 10:00');
    expect(render('overdueLead', 'zh', full).subject).toContain('催办');
    expect(render('repliedDeputy', 'zh', full).text).toContain('满意度评价');
    expect(render('repliedDeputy', 'zh', full).text).toContain('二次答复');
    expect(render('repliedDeputy', 'zh', full).text).toContain('B类');
    expect(render('extensionDecidedDeputy', 'zh', full).subject).toBe(
      '【延期已批准】建议《关于增加学校周边停车位的建议》的延期申请',
    );
    expect(render('specialSupervisionLead', 'zh', full).subject).toContain('专项督办');
    expect(render('assignedLead', 'zh', full).subject).toContain('交办通知');
    expect(render('ladderStepStaff', 'zh', full).subject).toContain('专项督办');
  });

  it('renders English with English labels and dates', () => {
    const m = render('extensionDecidedDeputy', 'en', { ...full, approved: false });
    expect(m.subject).toBe('[Extension refused] Suggestion "关于增加学校周边停车位的建议"');
    expect(render('reminderLead', 'en', full).text).toContain('1 May 2026');
  });

  it('refuses to render with a field missing, naming it', () => {
    const { dueAt: _dueAt, ...partial } = full;
    expect(() => render('reminderLead', 'zh', partial)).toThrow(TemplateError);
    expect(() => render('reminderLead', 'zh', partial)).toThrow(/needs field "dueAt"/);
    expect(() => render('reminderLead', 'zh', { ...full, title: '' })).toThrow(/needs field "title"/);
    expect(() => render('reminderLead', 'zh', { ...full, dueAt: 'not a date' })).toThrow(/not a date/);
    expect(() => render('noSuchTemplate', 'zh', full)).toThrow(/no template "noSuchTemplate"/);
  });

  it('every template has both languages', () => {
    for (const t of Object.values(TEMPLATES)) {
      expect(t.zh.subject && t.zh.text && t.en.subject && t.en.text).toBeTruthy();
    }
  });
});

describe('what a failed attempt leads to', () => {
  const policy = { maxAttempts: 3, baseDelayMs: 1000 };
  const now = new Date('2026-01-01T00:00:00Z');

  it('parks a message whose template cannot render, at once, with the reason', () => {
    let err: unknown;
    try {
      render('reminderLead', 'zh', { caseId: 'x', title: 't', recipientName: 'n' });
    } catch (e) {
      err = e;
    }
    const outcome = afterFailure(1, err, now, policy);
    expect(outcome.status).toBe('parked');
    expect(outcome.lastError).toMatch(/^template: .*needs field "dueAt"/);
  });

  it('parks at once when retrying cannot help', () => {
    const outcome = afterFailure(1, new PermanentError('unit "x" has no email address'), now, policy);
    expect(outcome).toMatchObject({ status: 'parked', lastError: 'unit "x" has no email address' });
  });

  it('retries with exponential backoff, then parks after the last attempt', () => {
    const a1 = afterFailure(1, new Error('connection refused'), now, policy);
    expect(a1.status).toBe('failed');
    expect(a1.nextAttemptAt.getTime() - now.getTime()).toBe(1000);
    const a2 = afterFailure(2, new Error('connection refused'), now, policy);
    expect(a2.nextAttemptAt.getTime() - now.getTime()).toBe(2000);
    const a3 = afterFailure(3, new Error('connection refused'), now, policy);
    expect(a3).toMatchObject({ status: 'parked', lastError: 'gave up after 3 attempts: connection refused' });
  });
});
