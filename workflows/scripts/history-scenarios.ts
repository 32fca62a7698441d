// The scenarios recorded for replay tests (see record-histories.ts), for the workflow code as
// it is now. Each drives one case to its end.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import { replyUpdate, type stateQuery as StateQuery } from '../src';

interface Ctx {
  env: TestWorkflowEnvironment;
  handle: WorkflowHandle;
  stateQuery: typeof StateQuery;
}

async function until(ctx: Ctx, stage: string): Promise<void> {
  while ((await ctx.handle.query(ctx.stateQuery)).stage !== stage) await ctx.env.sleep('1 second');
}

export const scenarios: Record<string, (ctx: Ctx) => Promise<void>> = {
  'replied-in-time': async (ctx) => {
    await until(ctx, 'assigned');
    await ctx.env.sleep('20 days');
    await ctx.handle.executeUpdate(replyUpdate, { args: [{ unit: 'edu-bureau', grade: 'A', summary: '已解决。' }] });
    await ctx.handle.result();
  },
  'overdue-then-replied': async (ctx) => {
    await until(ctx, 'assigned');
    await ctx.env.sleep('100 days');
    await until(ctx, 'overdue');
    await ctx.handle.executeUpdate(replyUpdate, { args: [{ unit: 'edu-bureau', grade: 'C', summary: '列入计划。' }] });
    await ctx.handle.result();
  },
};
