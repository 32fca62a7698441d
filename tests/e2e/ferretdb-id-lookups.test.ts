// The local FerretDB finds, updates and deletes documents by _id through its _id index.
//
// FerretDB 1.24's SQLite backend filtered on `_ferretdb_sjson->'$._id'` while its _id index is
// on `_ferretdb_sjson->"_id"`, so every lookup by _id scanned the table (50 ms per update on
// 3,000 documents). deploy/local/install.sh builds it with the filter written as the index's
// expression; this test reads SQLite's plan through `explain`, and checks that updates and
// deletes by _id still touch exactly the document named.
import { connectMongo } from '@duban/platform';
import type { Connection } from 'mongoose';
import { stackEnv } from '../support/system';

describe('FerretDB lookups by _id (local stack)', () => {
  let conn: Connection;
  beforeAll(async () => {
    conn = await connectMongo(stackEnv().MONGO_URL, 'duban_test_id_lookups');
    const docs = conn.db!.collection<{ _id: string; n: number }>('docs');
    await docs.deleteMany({});
    await docs.insertMany(Array.from({ length: 50 }, (_, n) => ({ _id: `case-${n}`, n })));
  });
  afterAll(async () => {
    await conn.db!.dropDatabase();
    await conn.close();
  });

  it('plans a find by _id as a search of the _id index, not a scan', async () => {
    const explained = await conn.db!.command({
      explain: { find: 'docs', filter: { _id: 'case-42' } },
      verbosity: 'queryPlanner',
    });
    const plan: string[] = explained.queryPlanner.Plan;
    expect(plan.join('\n')).toMatch(/SEARCH .* USING INDEX .*_id_/);
    expect(plan.join('\n')).not.toMatch(/SCAN/);
  });

  it('updates, replaces and deletes exactly the document named by _id', async () => {
    const docs = conn.db!.collection<{ _id: string; n: number; tag?: string }>('docs');
    await docs.updateOne({ _id: 'case-7' }, { $set: { tag: 'updated' } });
    await docs.replaceOne({ _id: 'case-8' }, { n: 800 });
    await docs.deleteOne({ _id: 'case-9' });
    await docs.updateOne({ _id: 'case-new' }, { $set: { n: 1000 } }, { upsert: true });

    const all = await docs.find({}).toArray();
    expect(all).toHaveLength(50); // one deleted, one upserted
    const byId = new Map(all.map((d) => [d._id, d]));
    expect(byId.get('case-7')).toEqual({ _id: 'case-7', n: 7, tag: 'updated' });
    expect(byId.get('case-8')).toEqual({ _id: 'case-8', n: 800 });
    expect(byId.has('case-9')).toBe(false);
    expect(byId.get('case-new')).toEqual({ _id: 'case-new', n: 1000 });
    expect(all.filter((d) => d.tag === 'updated').map((d) => d._id)).toEqual(['case-7']);
    expect(byId.get('case-10')).toEqual({ _id: 'case-10', n: 10 });
  });
});
