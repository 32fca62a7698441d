// The workflow bundle is evaluated again for every case a worker starts (each workflow gets
// fresh module state), so what it imports costs on every start: zod's schema constructors and
// the calendar files took more time than the workflow's own first step in the city-year
// benchmark. Workflows import the domain's pure entry ('@duban/domain/pure'); schemas,
// calendars and policy resolution stay in activities and services.
import { readFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';

let code: string;

beforeAll(async () => {
  ({ code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  }));
}, 60_000);

it('leaves zod out of the workflow bundle', () => {
  expect(code).not.toMatch(/node_modules\/zod\//);
});

it('leaves the calendars and the policy schema out of the workflow bundle', () => {
  expect(code).not.toMatch(/domain\/src\/(calendars?|policy|deadline)\.ts/);
  expect(code).not.toMatch(/domain\/data\//);
});

it('still bundles the workflows themselves', () => {
  expect(code).toMatch(/suggestion\/workflow\.ts/);
  expect(code).toMatch(/ladder\/workflow\.ts/);
});

it('loads each workflow type only when a case of that type starts', () => {
  // A static import or re-export in the entry would evaluate that module for every case.
  const entry = readFileSync(require.resolve('../../src/workflows'), 'utf8');
  expect(entry).not.toMatch(/^\s*(export|import)\s+(?!type\b)[^;]*from\s+'\.\.?\//m);
  expect(entry).toMatch(/require\('\.\/suggestion\/workflow'\)/);
});
