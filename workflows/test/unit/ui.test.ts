// The Temporal UI's names for timers and activities (workflows/src/ui.ts): pure functions of
// their arguments, so the same on replay.
import { activitySummary, stepLabel, timer, windowLabel } from '../../src/ui';
import { LADDER_STEPS } from '@duban/domain/pure';

describe('timer summaries', () => {
  it('name the deadline, its local day and the window it was counted with', () => {
    // 2027-03-02T15:59:59.999Z is the end of 2 March in China.
    expect(timer('答复期限', '2027-03-02T15:59:59.999Z', { amount: 3, unit: 'months' })).toEqual({
      summary: '答复期限 2027-03-02 (3 个月)',
    });
    expect(timer('催办提醒 1', '2027-02-15T01:00:00Z', '答复期限 2027-03-02')).toEqual({
      summary: '催办提醒 1 2027-02-15 (答复期限 2027-03-02)',
    });
    expect(timer('催办提醒')).toEqual({ summary: '催办提醒' });
    expect(windowLabel({ amount: 15, unit: 'workingDays' })).toBe('15 个工作日');
  });
});

describe('activity summaries', () => {
  it('say what each activity does, from its arguments', () => {
    expect(
      activitySummary('computeDeadline', [{ from: '2026-12-02T02:00:00Z', window: { amount: 1, unit: 'months' } }]),
    ).toBe('计算期限 1 个月（自 2026-12-02）');
    expect(
      activitySummary('publishEvents', [[{ body: { suggestionSubmitted: {} } }, { body: { suggestionAssigned: {} } }]]),
    ).toBe('发布事件 suggestionSubmitted, suggestionAssigned');
    expect(activitySummary('startLadder', [{ ladderId: 'suggestion-2026-0001-ladder-1' }])).toBe(
      '启动督办升级 suggestion-2026-0001-ladder-1',
    );
  });

  it('fall back to the activity name for an unknown activity or odd arguments', () => {
    expect(activitySummary('somethingNew', [])).toBe('somethingNew');
    expect(activitySummary('publishEvents', [undefined])).toBe('发布事件');
  });

  it('name every ladder step', () => {
    for (const s of LADDER_STEPS) expect(stepLabel(s)).not.toBe(s);
  });
});
