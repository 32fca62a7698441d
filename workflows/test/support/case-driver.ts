// Drives suggestion cases on the time-skipping test server: one environment, one bundle and
// one worker for the file; a fake publisher records every envelope.
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { SHIPPED_CALENDARS, WorkingCalendar, type CalendarYear, type EffectivePolicy } from '@duban/domain';
import type { Envelope } from '@duban/proto';
import { createActivities } from '../../src/activities';
import { registerSearchAttributes } from '../../src/search-attributes-admin';
import {
  SUGGESTION_WORKFLOW,
  stateQuery,
  type Actor,
  type SuggestionInput,
  type SuggestionState,
  type suggestionWorkflow,
} from '../../src';
import { TEST_SERVER } from '../../../tests/support/paths';
import type { CalendarSource } from '../../src/calendar-source';

export const staff: Actor = { role: 'staff', sub: 'clerk-1' };
export const deputy: Actor = { role: 'deputy', sub: 'deputy-001' };
export const unit = (u: string): Actor => ({ role: 'unit', sub: `handler-${u}`, unit: u });

export interface Harness {
  env: TestWorkflowEnvironment;
  /** The worker's task queue, for starting other kinds of workflows. */
  taskQueue: string;
  published: Envelope[];
  run<T>(fn: () => Promise<T>): Promise<T>;
  start(
    policy: EffectivePolicy,
    overrides?: Partial<SuggestionInput>,
  ): Promise<WorkflowHandle<typeof suggestionWorkflow>>;
  teardown(): Promise<void>;
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

/** extraCalendars: test fixtures for years the project has no official schedule for yet. */
export async function createHarness(
  opts: {
    extraCalendars?: CalendarYear[];
    /** The calendars the activities count on, instead of the shipped files and extraCalendars (e.g. a source a test changes). */
    calendar?: CalendarSource;
  } = {},
): Promise<Harness> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER } },
  });
  await registerSearchAttributes(env.connection);
  const taskQueue = `test-${randomUUID()}`;
  const published: Envelope[] = [];
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: quiet,
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    activities: createActivities({
      calendar: opts.calendar ?? new WorkingCalendar([...SHIPPED_CALENDARS, ...(opts.extraCalendars ?? [])]),
      producer: 'test',
      publish: async (_topic, e) => {
        published.push(e);
      },
      temporal: env.client,
      taskQueue,
    }),
  });
  const running = worker.run();
  return {
    env,
    taskQueue,
    published,
    run: (fn) => fn(),
    start: (policy, overrides = {}) => {
      const caseId = `suggestion-2026-${Math.floor(1e7 + Math.random() * 9e7)}`;
      return env.client.workflow.start<typeof suggestionWorkflow>(SUGGESTION_WORKFLOW, {
        workflowId: caseId,
        taskQueue,
        args: [
          {
            caseId,
            jurisdiction: 'cn-test-city',
            deputyId: 'deputy-001',
            title: '关于增加学校周边交通安全设施的建议',
            category: 'education',
            submittedAt: new Date().toISOString(),
            policy,
            ...overrides,
          },
        ],
      });
    },
    teardown: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

export async function stateOf(h: WorkflowHandle): Promise<SuggestionState> {
  return h.query(stateQuery);
}

/** Lets time pass in small steps until the case reaches the stage. */
export async function until(
  env: TestWorkflowEnvironment,
  h: WorkflowHandle,
  stage: string,
  step: Duration = '1 hour',
): Promise<SuggestionState> {
  for (let i = 0; i < 500; i++) {
    const s = await stateOf(h);
    if (s.stage === stage) return s;
    await env.sleep(step);
  }
  throw new Error(`case never reached ${stage}; it is ${(await stateOf(h)).stage}`);
}

export function typesOf(published: Envelope[], caseId: string): string[] {
  return published.filter((e) => e.caseId === caseId).map((e) => e.type);
}

/** The failure type of a refused Update, or 'accepted'. */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    const cause = (err as { cause?: { type?: string } }).cause;
    return cause?.type ?? (err as Error).name;
  }
}
