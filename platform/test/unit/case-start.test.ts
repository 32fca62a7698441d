// A case's workflow starts once, with the search attributes every case carries; a start of a
// case that runs or ran starts nothing and says so.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { startCaseWorkflow } from '../../src/http/case-actions';

function fakeTemporal(fail?: Error) {
  const calls: { type: string; opts: Record<string, unknown> }[] = [];
  const temporal = {
    workflow: {
      start: async (type: string, opts: Record<string, unknown>) => {
        calls.push({ type, opts });
        if (fail) throw fail;
        return {};
      },
    },
  } as never;
  return { temporal, calls };
}

const attrsOf = (opts: Record<string, unknown>) =>
  Object.fromEntries((opts.typedSearchAttributes as TypedSearchAttributes).getAll().map((p) => [p.key.name, p.value]));

it('starts with kind, stage (since now), not overdue, unit, jurisdiction and year, joining a running case', async () => {
  const { temporal, calls } = fakeTemporal();
  const started = await startCaseWorkflow(temporal, {
    workflowType: 'inquiryWorkflow',
    workflowId: 'inquiry-2026-0001',
    taskQueue: 'q',
    args: [{ x: 1 }],
    kind: 'inquiry',
    jurisdiction: 'cn-a',
    stage: 'filed',
    unit: 'u-1',
    cycleYear: 2026,
    memo: { title: 'T' },
    ui: { title: 'T' },
  });
  expect(started).toBe(true);
  const { type, opts } = calls[0];
  expect(type).toBe('inquiryWorkflow');
  expect(opts).toMatchObject({
    workflowId: 'inquiry-2026-0001',
    taskQueue: 'q',
    args: [{ x: 1 }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    memo: { title: 'T' },
  });
  expect(opts.staticSummary).toContain('T');
  const attrs = attrsOf(opts);
  expect(attrs).toMatchObject({
    CaseKind: 'inquiry',
    Stage: 'filed',
    Overdue: false,
    Unit: 'u-1',
    Jurisdiction: 'cn-a',
    CycleYear: 2026,
  });
  expect(attrs.StageSince).toBeInstanceOf(Date);
});

it('names no stage, overdue or unit for a case without them, and can refuse a running one', async () => {
  const { temporal, calls } = fakeTemporal();
  await startCaseWorkflow(temporal, {
    workflowType: 'cycle',
    workflowId: 'c',
    taskQueue: 'q',
    args: [],
    kind: 'livelihood_cycle',
    jurisdiction: 'cn-a',
    cycleYear: 2027,
    whenRunning: 'fail',
    ui: {},
  });
  expect(attrsOf(calls[0].opts)).toEqual({ CaseKind: 'livelihood_cycle', Jurisdiction: 'cn-a', CycleYear: 2027 });
  expect(calls[0].opts.workflowIdConflictPolicy).toBeUndefined();
  expect(calls[0].opts.memo).toBeUndefined();
});

it('answers false when the case already runs or ran, and passes other errors on', async () => {
  const already = fakeTemporal(new WorkflowExecutionAlreadyStartedError('started', 'c', 'cycle'));
  const start = {
    workflowType: 'cycle',
    workflowId: 'c',
    taskQueue: 'q',
    args: [],
    kind: 'k',
    jurisdiction: 'j',
    ui: {},
  };
  await expect(startCaseWorkflow(already.temporal, start)).resolves.toBe(false);
  const down = fakeTemporal(new Error('unavailable'));
  await expect(startCaseWorkflow(down.temporal, start)).rejects.toThrow('unavailable');
});
