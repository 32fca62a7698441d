// The console's livelihood to-do (待办) per role, built from one answer of the livelihood
// service's GET /v1/livelihood/waiting (which asks only running workflows on its own task queue,
// each for at most 2 s). The service is a stand-in `call` that records what it is asked.
import { createLogger, type Principal } from '@duban/platform';
import { livelihoodTodo } from '../../src/http/livelihood';

const logger = createLogger('console-test', 'silent');
const DAY = 86_400_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString();

const cycle = (over: object) => ({
  cycleId: 'livelihood-cn-zj-demo-city-2027',
  title: '2027 年民生实事项目票决',
  stage: 'voting',
  dueAt: inDays(1),
  actions: [],
  ballot: null,
  ...over,
});
const project = (id: string, over: object) => ({
  projectId: `livelihood-cn-zj-demo-city-2027-${id}`,
  cycleId: 'livelihood-cn-zj-demo-city-2027',
  title: `项目 ${id}`,
  leadUnit: 'edu-bureau',
  stage: 'implementation',
  dueAt: inDays(30),
  overdue: false,
  atRisk: false,
  actions: [],
  ...over,
});

function stub(body: unknown, status = 200) {
  const asked: string[] = [];
  const call = async (_token: string, base: string, path: string) => {
    asked.push(`${base}${path}`);
    return { status, body };
  };
  return { asked, call };
}

const staff: Principal = { role: 'staff', sub: 'clerk-1' } as Principal;
const deputy: Principal = { role: 'deputy', sub: 'deputy-1' } as Principal;
const unit: Principal = { role: 'unit', sub: 'h', unit: 'edu-bureau' } as Principal;
const keys = (lists: { key: string }[]) => lists.map((l) => l.key);

it('asks the waiting list once and lists the clerk’s steps by their titles, and the ratings to count', async () => {
  const { asked, call } = stub({
    cycles: [
      cycle({
        stage: 'screening',
        actions: [
          { action: 'screen', title: '初审' },
          { action: 'screen', title: '初审' },
          { action: 'closeCollection', title: '截止征集' },
        ],
      }),
    ],
    projects: [
      project('p01', { stage: 'evaluation', actions: [{ action: 'countEvaluation', title: '统计代表测评' }] }),
    ],
    unanswered: 1,
  });
  const lists = await livelihoodTodo({ livelihoodUrl: 'http://lh', call, logger }, staff, 't');
  expect(asked).toEqual(['http://lh/v1/livelihood/waiting?limit=50']);
  expect(keys(lists)).toEqual(['lh-cycle', 'lh-evaluation']);
  expect(lists[0].items).toEqual([
    expect.objectContaining({
      id: 'livelihood-cn-zj-demo-city-2027',
      title: '2027 年民生实事项目票决：初审 ×2、截止征集',
      stageLabel: '初审中',
      href: '/livelihood/cycles/livelihood-cn-zj-demo-city-2027',
    }),
  ]);
  expect(lists[1].items.map((i) => i.id)).toEqual(['livelihood-cn-zj-demo-city-2027-p01']);
});

it('lists a deputy’s open vote until they have cast it, and a project to rate', async () => {
  const waiting = (cast: boolean) =>
    stub({
      cycles: [cycle({ ballot: { cast, mayVote: true, closesAt: inDays(1) } })],
      projects: [
        project('p02', { stage: 'evaluation', actions: [{ action: 'evaluationBallot', title: '满意度测评' }] }),
      ],
      unanswered: 0,
    }).call;
  const before = await livelihoodTodo({ livelihoodUrl: 'http://lh', call: waiting(false), logger }, deputy, 't');
  expect(keys(before)).toEqual(['lh-vote', 'lh-rating']);
  expect(before[0].items).toEqual([
    expect.objectContaining({ title: '2027 年民生实事项目票决', stageLabel: '投票中' }),
  ]);
  const after = await livelihoodTodo({ livelihoodUrl: 'http://lh', call: waiting(true), logger }, deputy, 't');
  expect(after[0]).toMatchObject({ key: 'lh-vote', items: [] });
});

it('lists a handler’s reports due within a week, overdue or to re-report, and candidates to review', async () => {
  const { call } = stub({
    cycles: [
      cycle({ stage: 'feasibility', actions: [{ action: 'feasibility', title: '可行性论证' }] }),
      cycle({ cycleId: 'livelihood-cn-zj-demo-city-2028', stage: 'collecting', actions: [] }),
    ],
    projects: [
      project('p01', { dueAt: inDays(3) }),
      project('p02', { dueAt: inDays(30) }),
      project('p03', { dueAt: inDays(-2), overdue: true }),
      project('p04', { stage: 'reReport', dueAt: inDays(20) }),
      project('p05', { leadUnit: 'transport-bureau', dueAt: inDays(1) }),
      project('p06', { stage: 'closed', dueAt: inDays(1) }),
    ],
    unanswered: 0,
  });
  const lists = await livelihoodTodo({ livelihoodUrl: 'http://lh', call, logger }, unit, 't');
  expect(keys(lists)).toEqual(['lh-feasibility', 'lh-progress']);
  expect(lists[0].items.map((i) => i.id)).toEqual(['livelihood-cn-zj-demo-city-2027']);
  expect(lists[1].items.map((i) => i.id.slice(-3))).toEqual(['p01', 'p03', 'p04']);
});

it('leaves the lists out when the service does not answer or is not configured', async () => {
  const down = stub({ error: { message: 'down' } }, 503);
  expect(await livelihoodTodo({ livelihoodUrl: 'http://lh', call: down.call, logger }, staff, 't')).toEqual([]);
  const none = stub({});
  expect(await livelihoodTodo({ call: none.call, logger }, staff, 't')).toEqual([]);
  expect(none.asked).toEqual([]);
  // A citizen has no livelihood to-do: nothing is asked.
  const citizen = stub({});
  const c = { role: 'citizen', sub: 'c-1' } as Principal;
  expect(await livelihoodTodo({ livelihoodUrl: 'http://lh', call: citizen.call, logger }, c, 't')).toEqual([]);
  expect(citizen.asked).toEqual([]);
});
