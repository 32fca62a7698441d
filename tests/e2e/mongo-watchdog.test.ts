// A service's MongoDB connection that stops answering while the database is up (the driver once
// stopped monitoring the server after a slowed and cut link) is rebuilt by the watchdog, and the
// models bound to it work again without a restart.
import { Writable } from 'node:stream';
import pino from 'pino';
import { Schema } from 'mongoose';
import { MONGO_WATCH, connectMongo } from '@duban/platform';
import { stackEnv } from '../support/system';

it('rebuilds a connection whose pings keep failing, and its models answer again', async () => {
  Object.assign(MONGO_WATCH, { everyMs: 100, pingTimeoutMs: 100, stuckAfterMs: 600 });
  const lines: { msg: string; level: number }[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    }),
  );
  const conn = await connectMongo(stackEnv().MONGO_URL, 'duban_watchdog_test', {}, logger);
  try {
    const Note = conn.model('Note', new Schema({ _id: String, text: String }, { collection: 'notes' }));
    await Note.deleteMany({});
    await Note.create({ _id: 'a', text: 'before' });
    // The stuck driver: every ping of this connection hangs (the Db object a rebuild replaces).
    const stuck = conn.db!;
    (stuck as any).admin = () => ({ ping: () => new Promise(() => {}) });

    const end = Date.now() + 20_000;
    while (!lines.some((l) => l.msg === 'MongoDB connection rebuilt') && Date.now() < end)
      await new Promise((r) => setTimeout(r, 100));
    expect(lines.some((l) => /^MongoDB has not answered this connection for \d+ s/.test(l.msg))).toBe(true);
    expect(lines.map((l) => l.msg)).toContain('MongoDB connection rebuilt');
    expect(conn.db).not.toBe(stuck);
    await Note.create({ _id: 'b', text: 'after' });
    expect((await Note.find().sort({ _id: 1 }).lean()).map((n) => n.text)).toEqual(['before', 'after']);
  } finally {
    await conn.close();
  }
});
