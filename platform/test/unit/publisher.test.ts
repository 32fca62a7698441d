// The batching sender: one request in flight; what arrives meanwhile goes out together, in order.
import type { Message, ProducerBatch } from 'kafkajs';
import { MAX_BATCH, batchingSender, type BatchSender } from '../../src/kafka/publisher';

/** A producer whose requests finish when the test says so. */
function fakeProducer() {
  const requests: { batch: ProducerBatch; finish: (err?: Error) => void }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const producer: BatchSender = {
    sendBatch: (batch) =>
      new Promise((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        requests.push({
          batch,
          finish: (err) => {
            inFlight--;
            if (err) reject(err);
            else resolve([]);
          },
        });
      }),
  };
  return { producer, requests, maxInFlight: () => maxInFlight };
}

const msg = (key: string): Message => ({ key, value: Buffer.from(key) });
const keys = (b: ProducerBatch) => b.topicMessages!.map((t) => `${t.topic}:${t.messages.map((m) => m.key).join(',')}`);
const flush = () => new Promise((r) => setImmediate(r));

describe('batchingSender', () => {
  it('sends what comes in while a request is in flight in the next request, in arrival order', async () => {
    const { producer, requests, maxInFlight } = fakeProducer();
    const send = batchingSender(producer);
    const done: string[] = [];
    const track = (key: string, p: Promise<void>) => p.then(() => void done.push(key));

    const first = [track('a1', send('t-a', msg('a1'))), track('a2', send('t-a', msg('a2')))];
    await flush();
    expect(requests).toHaveLength(1);
    expect(keys(requests[0].batch)).toEqual(['t-a:a1,a2']);

    const second = [
      track('a3', send('t-a', msg('a3'))),
      track('b1', send('t-b', msg('b1'))),
      track('a4', send('t-a', msg('a4'))),
    ];
    await flush();
    expect(requests).toHaveLength(1); // still waiting for the first acknowledgement
    expect(done).toEqual([]);

    requests[0].finish();
    await Promise.all(first);
    await flush();
    expect(done).toEqual(['a1', 'a2']);
    expect(requests).toHaveLength(2);
    expect(keys(requests[1].batch)).toEqual(['t-a:a3,a4', 't-b:b1']);
    expect(requests[1].batch.acks).toBe(-1);

    requests[1].finish();
    await Promise.all(second);
    expect(done).toEqual(['a1', 'a2', 'a3', 'b1', 'a4']);
    expect(maxInFlight()).toBe(1);
  });

  it('rejects every publish of a failed request, and the next ones still go out', async () => {
    const { producer, requests } = fakeProducer();
    const send = batchingSender(producer);
    const failed = [send('t', msg('x1')), send('t', msg('x2'))];
    await flush();
    const later = send('t', msg('y1'));
    requests[0].finish(new Error('broker gone'));
    await expect(failed[0]).rejects.toThrow('broker gone');
    await expect(failed[1]).rejects.toThrow('broker gone');
    await flush();
    expect(keys(requests[1].batch)).toEqual(['t:y1']);
    requests[1].finish();
    await expect(later).resolves.toBeUndefined();
  });

  it(`puts at most ${MAX_BATCH} messages in one request`, async () => {
    const { producer, requests } = fakeProducer();
    const send = batchingSender(producer);
    const all = Array.from({ length: MAX_BATCH + 3 }, (_, i) => send('t', msg(`m${i}`)));
    await flush();
    expect(requests[0].batch.topicMessages![0].messages).toHaveLength(MAX_BATCH);
    requests[0].finish();
    await flush();
    expect(requests[1].batch.topicMessages![0].messages.map((m) => m.key)).toEqual([
      `m${MAX_BATCH}`,
      `m${MAX_BATCH + 1}`,
      `m${MAX_BATCH + 2}`,
    ]);
    requests[1].finish();
    await Promise.all(all);
  });
});
