// Records workflow histories for the replay tests: runs the scenarios of the current workflow
// code on the time-skipping test server and writes each history as JSON into
// workflows/test/histories/<name>.pb (binary protobuf History). Run it when releasing a workflow change:
//   node --import tsx workflows/scripts/record-histories.ts <prefix>
// The replay test then proves that later code still replays every recorded history.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { shippedCalendar } from '@duban/domain';
import { createActivities } from '../src/activities';
import { registerSearchAttributes } from '../src/search-attributes-admin';
import { SUGGESTION_WORKFLOW, stateQuery, type SuggestionInput } from '../src';
import { testPolicy } from '../../tests/support/policy';
import { TEST_SERVER } from '../../tests/support/paths';
import { scenarios } from './history-scenarios';

async function main(): Promise<void> {
  const prefix = process.argv[2] ?? 'suggestion';
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER } },
  });
  try {
    await registerSearchAttributes(env.connection);
    const taskQueue = `record-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows') }),
      activities: createActivities({ calendar: shippedCalendar(), producer: 'record', publish: async () => {} }),
    });
    await worker.runUntil(async () => {
      for (const [name, run] of Object.entries(scenarios)) {
        const caseId = `suggestion-2026-${randomUUID().slice(0, 8)}`;
        const input: SuggestionInput = {
          caseId,
          jurisdiction: 'cn-test-city',
          deputyId: 'deputy-001',
          title: '录制用建议',
          category: 'education',
          submittedAt: '2026-03-02T02:00:00.000Z',
          policy: testPolicy(),
        };
        const handle: WorkflowHandle = await env.client.workflow.start(SUGGESTION_WORKFLOW, {
          workflowId: caseId,
          taskQueue,
          args: [input],
        });
        await run({ env, handle, stateQuery });
        const history = await handle.fetchHistory();
        const file = path.join(__dirname, '../test/histories', `${prefix}-${name}.pb`);
        writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
        process.stdout.write(`recorded ${file} (${history.events?.length} events)\n`);
      }
    });
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
