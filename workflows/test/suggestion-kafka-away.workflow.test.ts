// A suggestion whose review Update publishes while Kafka is away for 40 s: every send fails and
// is retried, the reminder timer fires meanwhile, and the Update completes once Kafka is back.
// The case must then replay on a fresh worker. Before the suggestion-events-scheduled patch the
// publish was a local activity retried inside one long workflow task, and this very history
// failed to replay ("[TMPRL1100] Nondeterminism error: Timer machine does not handle this
// event: … WorkflowExecutionUpdateCompleted"): a case nobody could query or move on, as a
// chaos run once found. On the dev server (real time, real workflow-task timeouts), with a
// drill policy's windows of seconds.
import { randomUUID } from 'node:crypto';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { SHIPPED_CALENDARS, WorkingCalendar, resolvePolicy, type PolicyDocument } from '@duban/domain';
import national from '@duban/domain/data/policy-national.json';
import { temporalConnectionOptions } from '@duban/platform';
import { createActivities } from '../src/activities';
import { registerSearchAttributes } from '../src/search-attributes-admin';
import { SUGGESTION_WORKFLOW, reviewUpdate, stateQuery, type suggestionWorkflow } from '../src';
import { stackEnv } from '../../tests/support/system';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

const policy = resolvePolicy([
  { doc: national as PolicyDocument, version: 1 },
  {
    doc: {
      id: 'cn-slow-drill',
      name: 'Drill (windows of seconds)',
      level: 'county',
      parent: 'cn-national',
      drill: true,
      settings: {
        suggestion: {
          routing: { byCategory: { education: 'edu-bureau' } },
          replyWindow: { amount: 30, unit: 'seconds' },
          maxReplyWindow: { amount: 120, unit: 'seconds' },
          reminderBefore: [{ amount: 25, unit: 'seconds' }],
          veryOverdueAfter: { amount: 600, unit: 'seconds' },
          ratingWindow: { amount: 600, unit: 'seconds' },
        },
      },
    } as PolicyDocument,
    version: 1,
  },
]);

it('finishes a review Update whose publish outlasts a workflow task while a timer fires, and replays', async () => {
  const env = stackEnv();
  const connection = await Connection.connect(temporalConnectionOptions(env));
  const client = new Client({ connection });
  const native = await NativeConnection.connect(temporalConnectionOptions(env));
  await registerSearchAttributes(connection);
  const taskQueue = `slow-publish-${randomUUID()}`;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../src/workflows'),
    logger: quiet,
  });
  let downUntil = 0;
  const published: string[] = [];
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle,
    activities: createActivities({
      calendar: new WorkingCalendar(SHIPPED_CALENDARS),
      producer: 'test',
      publish: async (_topic, e) => {
        // From the first event after the review on, Kafka is away for 40 s: every send fails
        // (the activity is retried; its task times out at 10 s and is kept alive).
        if (!downUntil && published.length > 0) downUntil = Date.now() + 40_000;
        if (Date.now() < downUntil) {
          await new Promise((r) => setTimeout(r, 500));
          throw new Error('Kafka is away');
        }
        published.push(e.eventId);
      },
      temporal: client,
      taskQueue,
    }),
  });
  const caseId = `suggestion-2026-${Math.floor(1e7 + Math.random() * 9e7)}`;
  try {
    await worker.runUntil(async () => {
      const wf = await client.workflow.start<typeof suggestionWorkflow>(SUGGESTION_WORKFLOW, {
        workflowId: caseId,
        taskQueue,
        args: [
          {
            caseId,
            jurisdiction: 'cn-slow-drill',
            deputyId: 'deputy-001',
            title: '关于增加学校周边交通安全设施的建议',
            category: 'education',
            submittedAt: new Date().toISOString(),
            policy,
          },
        ],
      });
      for (let i = 0; i < 50 && (await wf.query(stateQuery)).stage !== 'submitted'; i++)
        await new Promise((r) => setTimeout(r, 200));
      const assigned = await wf.executeUpdate(reviewUpdate, {
        args: [{ by: { role: 'staff', sub: 'clerk-1' }, decision: 'accept' }],
      });
      expect(assigned.stage).toBe('assigned');
      // The reminder (25 s before a 30 s deadline) came while the publish was held.
      for (let i = 0; i < 100 && !published.some((id) => id.includes('/reminder')); i++)
        await new Promise((r) => setTimeout(r, 300));
    });
    const history = await client.workflow.getHandle(caseId).fetchHistory();
    const events = history.events ?? [];
    const at = (pred: (e: (typeof events)[number]) => unknown) => events.findIndex(pred);
    const accepted = at((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const completed = at((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    const fired = at((e) => e.timerFiredEventAttributes);
    // The condition that broke replay: a timer fired while the Update's publish was being retried.
    expect(accepted).toBeGreaterThan(0);
    expect(fired).toBeGreaterThan(accepted);
    expect(completed).toBeGreaterThan(fired);
    // The events went out from scheduled activities, their retries recorded as attempts.
    const publishes = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'publishEvents',
    );
    expect(publishes.length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1)).toBe(true);
    expect(published.filter((id) => id.includes('/assigned'))).toHaveLength(1);
    await Worker.runReplayHistory({ workflowBundle }, history, caseId);
  } finally {
    await client.workflow
      .getHandle(caseId)
      .terminate('test over')
      .catch(() => undefined);
    await native.close();
    await connection.close();
  }
}, 180_000);
