// The bench worker's workflow bundle: the product's workflows, unchanged, plus a no-op
// workflow used as the baseline of what the Temporal server and worker can do at all.
// The no-op lives here, never in the product's bundle (workflows/src/workflows.ts).
export { suggestionWorkflow, escalationLadderWorkflow } from '../workflows/src/workflows';

/** Starts, does nothing, completes: one workflow task. */
export async function noopWorkflow(n: number): Promise<number> {
  return n;
}
