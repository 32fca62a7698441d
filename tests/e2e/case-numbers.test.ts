// Case numbers on the real local store, where a concurrent $inc can be lost: every intake's
// allocator (platform/src/case-numbers.ts) still gives each document its own number, in one
// process and across two (two connections, as two service replicas would have).
import { allocateCaseNumber, connectMongo, counterModel } from '@duban/platform';
import { Schema, type Connection, type Model } from 'mongoose';
import { stackEnv } from '../support/system';

const DB = 'duban_test_case_numbers';

interface NumberedCase {
  _id: string;
  title: string;
}

function caseModel(conn: Connection): Model<NumberedCase> {
  if (conn.models.NumberedCase) return conn.models.NumberedCase as Model<NumberedCase>;
  return conn.model<NumberedCase>(
    'NumberedCase',
    new Schema({ _id: String, title: String }, { collection: 'cases', versionKey: false }),
  );
}

describe('case numbers (local stack)', () => {
  let a: Connection;
  let b: Connection;
  beforeAll(async () => {
    a = await connectMongo(stackEnv().MONGO_URL, DB);
    b = await connectMongo(stackEnv().MONGO_URL, DB);
    await a.db!.dropDatabase();
  });
  afterAll(async () => {
    await a.db!.dropDatabase();
    await a.close();
    await b.close();
  });

  it('gives 40 concurrent submissions from two processes 40 different numbers, each stored once', async () => {
    const replicas = [a, b].map((conn) => ({ counter: counterModel(conn, 'Counter'), cases: caseModel(conn) }));
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, n) => {
        const { counter, cases } = replicas[n % 2];
        return allocateCaseNumber(counter, {
          series: 'suggestion-2026',
          width: 4,
          insert: (caseId) => cases.create({ _id: caseId, title: `case ${n}` }),
        });
      }),
    );
    expect(new Set(ids).size).toBe(40);
    for (const id of ids) expect(id).toMatch(/^suggestion-2026-\d{4}$/);
    const stored = await replicas[0].cases.find({}).lean();
    expect(stored).toHaveLength(40);
    expect(new Set(stored.map((d) => d.title)).size).toBe(40);
  });

  it('numbers each series on its own and pads to its width', async () => {
    const counter = counterModel(a, 'Counter');
    const cases = caseModel(a);
    const first = await allocateCaseNumber(counter, {
      series: 'opinion-2027',
      width: 6,
      insert: (caseId) => cases.create({ _id: caseId, title: 'first of 2027' }),
    });
    expect(first).toBe('opinion-2027-000001');
  });

  it('passes on an error that is not a taken number, and the next allocation still works', async () => {
    const counter = counterModel(a, 'Counter');
    const cases = caseModel(a);
    await expect(
      allocateCaseNumber(counter, {
        series: 'inquiry-2026',
        width: 4,
        insert: () => Promise.reject(new Error('store refused')),
      }),
    ).rejects.toThrow('store refused');
    const next = await allocateCaseNumber(counter, {
      series: 'inquiry-2026',
      width: 4,
      insert: (caseId) => cases.create({ _id: caseId, title: 'after a failure' }),
    });
    expect(next).toMatch(/^inquiry-2026-000[12]$/);
  });
});
