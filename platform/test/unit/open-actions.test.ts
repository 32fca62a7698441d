// Open actions are described by the service's own routes: path, roles and request schema.
import { z } from 'zod';
import { actionCatalog, described, route } from '../../src';

const routes = [
  route({
    method: 'post',
    path: '/v1/things/:id/items/:itemId/feedback',
    summary: 'feedback',
    roles: ['unit'],
    body: z.object({ progress: z.string().min(2), done: z.boolean() }).strict(),
    handler: async () => ({ body: {} }),
  }),
  route({
    method: 'get',
    path: '/v1/things/:id',
    summary: 'read',
    roles: ['unit'],
    handler: async () => ({ body: {} }),
  }),
];
const describe_ = actionCatalog(routes);

it("fills the route's path and carries its body's JSON Schema", () => {
  const a = describe_(
    { role: 'unit' },
    {
      action: 'itemFeedback',
      title: '整改反馈',
      route: '/v1/things/:id/items/:itemId/feedback',
      params: { id: 'x-1', itemId: '2' },
      target: { itemId: '2' },
    },
  );
  expect(a).toEqual({
    action: 'itemFeedback',
    title: '整改反馈',
    method: 'POST',
    path: '/v1/things/x-1/items/2/feedback',
    schema: expect.objectContaining({
      type: 'object',
      required: ['progress', 'done'],
      properties: { progress: { type: 'string', minLength: 2 }, done: { type: 'boolean' } },
    }),
    target: { itemId: '2' },
  });
});

it('leaves out a caller whose role the route does not allow', () => {
  const req = {
    action: 'f',
    title: 't',
    route: '/v1/things/:id/items/:itemId/feedback',
    params: { id: 'a', itemId: '1' },
  };
  expect(described([describe_({ role: 'staff' }, req), describe_({ role: 'unit' }, req)])).toHaveLength(1);
});

it('refuses to describe a route the service does not have, or a path parameter left out', () => {
  expect(() => describe_({ role: 'unit' }, { action: 'f', title: 't', route: '/v1/things/:id' })).toThrow(
    /no route POST/,
  );
  expect(() =>
    describe_(
      { role: 'unit' },
      { action: 'f', title: 't', route: '/v1/things/:id/items/:itemId/feedback', params: { id: 'a' } },
    ),
  ).toThrow(/no value for :itemId/);
});
