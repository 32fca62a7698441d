// The suggestion workflow on the time-skipping test server: months pass in milliseconds.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { shippedCalendar } from '@duban/domain';
import type { Envelope } from '@duban/proto';
import { createActivities } from '../src/activities';
import { SUGGESTION_WORKFLOW, replyUpdate, stateQuery, type SuggestionInput } from '../src';
import { testPolicy } from '../../tests/support/policy';
import { registerSearchAttributes } from '../src/search-attributes-admin';
import { TEST_SERVER } from '../../tests/support/paths';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
const published: Envelope[] = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER } },
  });
  await registerSearchAttributes(env.connection);
  bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: quietLogger });
});

afterAll(async () => {
  await env?.teardown();
});

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: createActivities({
      calendar: shippedCalendar(),
      producer: 'test',
      publish: async (_topic, e) => {
        published.push(e);
      },
    }),
  });
  return worker.runUntil(fn(taskQueue));
}

function input(caseId: string, category = 'education'): SuggestionInput {
  return {
    caseId,
    jurisdiction: 'cn-test-city',
    deputyId: 'deputy-001',
    title: '关于增加学校周边交通安全设施的建议',
    category,
    submittedAt: new Date().toISOString(),
    policy: testPolicy(),
  };
}

const eventsOf = (caseId: string) => published.filter((e) => e.caseId === caseId);

describe('suggestion workflow', () => {
  it('assigns the lead unit by policy, takes a timely reply, and publishes each step once', async () => {
    const caseId = `suggestion-2026-${randomUUID().slice(0, 8)}`;
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(SUGGESTION_WORKFLOW, {
        workflowId: caseId,
        taskQueue,
        args: [input(caseId)],
      });
      // Wait until assigned.
      let state = await handle.query(stateQuery);
      while (state.stage !== 'assigned') {
        await env.sleep('1 second');
        state = await handle.query(stateQuery);
      }
      expect(state.leadUnit).toBe('edu-bureau');
      // The reply deadline is three months after assignment, at the end of a local working day.
      const months = (Date.parse(state.replyDueAt!) - Date.parse(state.assignedAt!)) / 86400000;
      expect(months).toBeGreaterThan(88);
      expect(months).toBeLessThan(96);

      await env.sleep('30 days');
      const after = await handle.executeUpdate(replyUpdate, {
        args: [{ unit: 'edu-bureau', grade: 'A', summary: '已增设信号灯和减速带，问题已解决。' }],
      });
      expect(after.stage).toBe('replied');
      expect(after.reply?.onTime).toBe(true);
      const final = await handle.result();
      expect(final.overdue).toBe(false);
    });
    expect(eventsOf(caseId).map((e) => e.type)).toEqual([
      'SuggestionSubmitted',
      'SuggestionAssigned',
      'SuggestionReplied',
    ]);
    expect(eventsOf(caseId).map((e) => e.eventId)).toEqual([
      `${caseId}/submitted`,
      `${caseId}/assigned/1`,
      `${caseId}/replied`,
    ]);
  });

  it('fires the overdue step when the reply deadline passes, then still takes a late reply', async () => {
    const caseId = `suggestion-2026-${randomUUID().slice(0, 8)}`;
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(SUGGESTION_WORKFLOW, {
        workflowId: caseId,
        taskQueue,
        args: [input(caseId, 'transport')],
      });
      await env.sleep('100 days');
      const state = await handle.query(stateQuery);
      expect(state.leadUnit).toBe('government-office'); // no routing rule for transport: the default unit
      expect(state.stage).toBe('overdue');
      expect(state.overdue).toBe(true);
      const after = await handle.executeUpdate(replyUpdate, {
        args: [{ unit: 'government-office', grade: 'C', summary: '已列入明年计划，预计年底完成。' }],
      });
      expect(after.reply?.onTime).toBe(false);
      await handle.result();
    });
    expect(eventsOf(caseId).map((e) => e.type)).toEqual([
      'SuggestionSubmitted',
      'SuggestionAssigned',
      'SuggestionOverdue',
      'SuggestionReplied',
    ]);
  });

  it('refuses a reply from another unit and a second reply, leaving the case unchanged', async () => {
    const caseId = `suggestion-2026-${randomUUID().slice(0, 8)}`;
    await withWorker(async (taskQueue) => {
      const handle = await env.client.workflow.start(SUGGESTION_WORKFLOW, {
        workflowId: caseId,
        taskQueue,
        args: [input(caseId)],
      });
      await env.sleep('1 hour');
      const before = await handle.query(stateQuery);
      const wrongUnit = await handle
        .executeUpdate(replyUpdate, {
          args: [{ unit: 'transport-bureau', grade: 'A', summary: '不是我们的案件但试图答复。' }],
        })
        .catch((e: unknown) => e);
      expect(wrongUnit).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(((wrongUnit as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('NotYourCase');
      expect(await handle.query(stateQuery)).toEqual(before);

      await handle.executeUpdate(replyUpdate, {
        args: [{ unit: 'edu-bureau', grade: 'B', summary: '正在推进，三个月内完成。' }],
      });
      const second = await handle
        .executeUpdate(replyUpdate, { args: [{ unit: 'edu-bureau', grade: 'A', summary: '再次答复，试图覆盖。' }] })
        .catch((e: unknown) => e);
      // The case closed with its reply: a second one is refused, whatever the server's wording.
      expect(second).toBeInstanceOf(Error);
      const final = await handle.result();
      expect(final.reply?.grade).toBe('B');
    });
    expect(eventsOf(caseId).filter((e) => e.type === 'SuggestionReplied')).toHaveLength(1);
  });
});
