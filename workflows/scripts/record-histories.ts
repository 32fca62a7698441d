// Records workflow histories for the replay tests: runs the scenarios of the current workflow
// code on the time-skipping test server and writes each history (and the histories of the
// ladders they started) as binary protobuf into workflows/test/histories/<prefix>-<name>.pb.
// Run it when releasing a workflow change:
//   node --import tsx workflows/scripts/record-histories.ts suggestion-v2
// A prefix starting with "oversight" records the oversight workflows' scenarios instead:
//   node --import tsx workflows/scripts/record-histories.ts oversight-v1
// `... suggestion-v4 calendar` records a case whose provisional deadline a published calendar moves.
// The replay test then proves that later code still replays every recorded history.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { testPolicy } from '../../tests/support/policy';
import { createHarness } from '../test/support/case-driver';
import { scenarios } from './history-scenarios';
import { citizenScenarios } from './citizen-history-scenarios';
import { recordLivelihood } from './livelihood-history-scenarios';
import { oversightScenarios } from './oversight-history-scenarios';
import { recordCalendarRecount } from './calendar-history-scenario';

async function save(handle: WorkflowHandle, name: string): Promise<void> {
  const history = await handle.fetchHistory();
  const file = path.join(__dirname, '../test/histories', `${name}.pb`);
  writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
  process.stdout.write(`recorded ${path.relative(process.cwd(), file)} (${history.events?.length} events)\n`);
}

async function main(): Promise<void> {
  const prefix = process.argv[2] ?? 'suggestion';
  if (process.argv[3] === 'calendar') return recordCalendarRecount(save, prefix);
  const h = await createHarness();
  try {
    // `... citizen-v1 citizen`: the citizen and duty workflows' scenarios instead.
    if (process.argv[3] === 'citizen') {
      let n = 0;
      for (const [name, run] of Object.entries(citizenScenarios))
        for (const id of await run(h, testPolicy(), ++n))
          await save(
            h.env.client.workflow.getHandle(id),
            `${prefix}-${name}${id.match(/-(letter|ladder)-\d+$/g)?.join('') ?? ''}`,
          );
      return;
    }
    // Livelihood cycles and projects have scenarios of their own.
    if (prefix.startsWith('livelihood')) return await recordLivelihood(h, save, prefix);
    if (prefix.startsWith('oversight')) {
      for (const [name, run] of Object.entries(oversightScenarios))
        for (const [suffix, handle] of await run(h)) await save(handle, `${prefix}-${name}${suffix}`);
      return;
    }
    for (const [name, run] of Object.entries(scenarios)) {
      const wf = await h.start(testPolicy(), { submittedAt: '2026-03-02T02:00:00.000Z' });
      await run(h, wf);
      await save(wf, `${prefix}-${name}`);
      const { ladders } = await wf.result();
      for (const [i, l] of ladders.entries())
        await save(h.env.client.workflow.getHandle(l.ladderId), `${prefix}-${name}-ladder-${i + 1}`);
    }
  } finally {
    await h.teardown();
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
