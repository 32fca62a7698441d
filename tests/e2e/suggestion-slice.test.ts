// The first case end to end over real HTTP, the real Temporal dev server, Kafka and FerretDB:
// a deputy submits → stored → workflow started (once) → lead unit assigned by policy → events
// published → the case index shows it → the Temporal UI sees its search attributes and memo.
import { randomUUID } from 'node:crypto';
import { CaseKind, DueAt, Jurisdiction, Stage, Unit } from '@duban/workflows';
import {
  call,
  caseCounts,
  eventually,
  expectListed,
  listedCases,
  startSystem,
  token,
  type System,
} from '../support/system';

let sys: System;
beforeAll(async () => {
  sys = await startSystem();
});
afterAll(async () => {
  await sys?.stop();
});

const suggestion = {
  title: '关于在学校周边增设交通安全设施的建议',
  content: '多所小学周边上下学高峰拥堵，建议增设信号灯、减速带和护学岗。',
  category: 'education',
  jurisdiction: 'cn-zj-demo-city',
};

describe('a suggestion, end to end', () => {
  it('flows from HTTP through the workflow and Kafka into the case index, once', async () => {
    const deputy = await token({ role: 'deputy', sub: 'deputy-001' });
    const key = `click-${randomUUID()}`;
    const first = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
      token: deputy,
      body: suggestion,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(201);
    const caseId: string = first.body.caseId;
    expect(caseId).toMatch(/^suggestion-\d{4}-\d{4}$/);

    // A double click: same key, same body → the same case, no second workflow.
    const again = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
      token: deputy,
      body: suggestion,
      headers: { 'idempotency-key': key },
    });
    expect(again.status).toBe(200);
    expect(again.body.caseId).toBe(caseId);
    // Same key, different body → refused.
    const reused = await call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
      token: deputy,
      body: { ...suggestion, title: '另一条不同的建议标题' },
      headers: { 'idempotency-key': key },
    });
    expect(reused.status).toBe(409);

    // Committee staff accept it: the policy routes education to the education bureau.
    const staff = await token({ role: 'staff', sub: 'clerk-1' });
    const review = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/review`, {
      token: staff,
      body: { decision: 'accept' },
    });
    expect(review.status).toBe(200);

    // The read model, built only from the events, shows the assignment.
    const view = await eventually(async () => {
      const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token: staff });
      return r.status === 200 && r.body.stage === 'assigned' ? r.body : undefined;
    }, 'the case index to show the assignment');
    expect(view).toMatchObject({
      caseId,
      kind: 'suggestion',
      leadUnit: 'edu-bureau',
      deputyId: 'deputy-001',
      overdue: false,
    });
    expect(Date.parse(view.dueAt)).toBeGreaterThan(Date.now() + 80 * 86400000);
    expect(view).toMatchObject({ title: suggestion.title, units: ['edu-bureau'], deputies: ['deputy-001'] });
    // Listed for its unit and its deputy, found by its title, counted; not for another unit.
    const eduHandler = await token({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
    const transportHandler = await token({ role: 'unit', sub: 'handler-9', unit: 'transport-bureau' });
    await expectListed(sys, view, {
      staff,
      unit: { token: eduHandler, id: 'edu-bureau' },
      outsider: transportHandler,
    });
    expect(await listedCases(sys, deputy, { kind: 'suggestion', stage: 'assigned' })).toContain(caseId);

    const timeline = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}/timeline`, { token: deputy });
    expect(timeline.status).toBe(200);
    // Who did what, when: the deputy submitted, the clerk who accepted it assigned it.
    expect(timeline.body.events.map((e: { type: string; actor: string }) => [e.type, e.actor])).toEqual([
      ['SuggestionSubmitted', 'deputy:deputy-001'],
      ['SuggestionAssigned', 'staff:clerk-1'],
    ]);

    // Exactly one workflow for the business key, with search attributes and a title memo.
    const runs = [];
    for await (const wf of sys.temporal.workflow.list({ query: `WorkflowId = '${caseId}'` })) runs.push(wf);
    expect(runs).toHaveLength(1);
    const desc = await sys.temporal.workflow.getHandle(caseId).describe();
    expect(desc.typedSearchAttributes.get(CaseKind)).toBe('suggestion');
    expect(desc.typedSearchAttributes.get(Stage)).toBe('assigned');
    expect(desc.typedSearchAttributes.get(Unit)).toBe('edu-bureau');
    expect(desc.typedSearchAttributes.get(Jurisdiction)).toBe('cn-zj-demo-city');
    expect(desc.typedSearchAttributes.get(DueAt)?.toISOString()).toBe(new Date(view.dueAt).toISOString());
    expect(await desc.memo).toEqual({ title: suggestion.title });

    // Ownership: another deputy cannot see it; another unit cannot answer it.
    const other = await token({ role: 'deputy', sub: 'deputy-002' });
    expect((await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${caseId}`, { token: other })).status).toBe(404);
    expect((await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token: other })).status).toBe(404);
    const wrongUnit = await token({ role: 'unit', sub: 'handler-9', unit: 'transport-bureau' });
    const refused = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/reply`, {
      token: wrongUnit,
      body: { grade: 'A', summary: '不是本单位承办的建议。' },
    });
    expect(refused.status).toBe(403);

    // The lead unit replies; the deputy sees the state; the index follows.
    const unit = await token({ role: 'unit', sub: 'handler-1', unit: 'edu-bureau' });
    const reply = await call('POST', `${sys.suggestionsUrl}/v1/suggestions/${caseId}/reply`, {
      token: unit,
      body: { grade: 'A', summary: '已在三所小学周边增设信号灯和减速带。' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.state).toMatchObject({ stage: 'awaitingRating', replies: [{ grade: 'A', onTime: true }] });
    const mine = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${caseId}`, { token: deputy });
    expect(mine.body.state.stage).toBe('awaitingRating');
    await eventually(async () => {
      const r = await call('GET', `${sys.caseIndexUrl}/v1/cases/${caseId}`, { token: unit });
      return r.body.stage === 'awaitingRating' && r.body.grade === 'A';
    }, 'the case index to show the reply');
    expect(await caseCounts(sys, unit, { q: caseId })).toEqual({
      items: [{ kind: 'suggestion', stage: 'awaitingRating', count: 1, overdue: 0 }],
      total: 1,
      overdue: 0,
    });
    expect(await listedCases(sys, unit, { kind: 'suggestion', stage: 'assigned' })).not.toContain(caseId);
  });

  it('gives concurrent submissions distinct case numbers, and a double click one case', async () => {
    const deputy = await token({ role: 'deputy', sub: 'deputy-002' });
    const submit = (i: number, key?: string) =>
      call('POST', `${sys.suggestionsUrl}/v1/suggestions`, {
        token: deputy,
        body: { ...suggestion, title: `并发提交的第${i}条建议` },
        headers: key ? { 'idempotency-key': key } : {},
      });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => submit(i)));
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(201));
    const ids = results.map((r) => r.body.caseId as string);
    expect(new Set(ids).size).toBe(100);
    // Each case is its own suggestion, with its own title.
    for (const [i, id] of ids.entries()) {
      const r = await call('GET', `${sys.suggestionsUrl}/v1/suggestions/${id}`, { token: deputy });
      expect(r.body.title).toBe(`并发提交的第${i}条建议`);
    }
    // Five clicks with one key at once: one case.
    const key = `clicks-${Date.now()}`;
    const clicks = await Promise.all(Array.from({ length: 5 }, () => submit(99, key)));
    expect(new Set(clicks.map((r) => r.body.caseId)).size).toBe(1);
    expect(clicks.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('serves health, metrics and an OpenAPI document generated from the request schemas', async () => {
    for (const url of [sys.registryUrl, sys.suggestionsUrl, sys.caseIndexUrl]) {
      const health = await call('GET', `${url}/healthz`);
      expect(health.status).toBe(200);
      expect(Object.values(health.body.checks).every((c) => c === 'up')).toBe(true);
      const metrics = await fetch(`${url}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/http_requests_total/);
    }
    const doc = await call('GET', `${sys.suggestionsUrl}/openapi.json`);
    const post = doc.body.paths['/v1/suggestions'].post;
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'content', 'category', 'jurisdiction']));
    expect(schema.additionalProperties).toBe(false);
    expect(doc.body.paths['/v1/suggestions/{id}/reply'].post['x-roles']).toEqual(['unit']);
  });
});
