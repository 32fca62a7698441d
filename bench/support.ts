// Small helpers shared by the benchmarks: a bounded-concurrency pool, a memory sampler and the
// way a figure is printed. Benchmarks measure and report; they never fail on slowness.
import { appendFileSync } from 'node:fs';

/** Runs fn over items with at most `concurrency` in flight; resolves when all are done. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(lanes);
}

export interface MemoryPeak {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
}

/** Samples this process's memory every `everyMs`; stop() returns the peaks seen. */
export function sampleMemory(everyMs = 100): { stop(): MemoryPeak } {
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
      return { rssMb: mb(peak.rss), heapUsedMb: mb(peak.heapUsed), heapTotalMb: mb(peak.heapTotal) };
    },
  };
}

export const seconds = (ms: number) => (ms / 1000).toFixed(1);
export const rate = (n: number, ms: number) => (n / (ms / 1000)).toFixed(1);

/**
 * Prints a line. Lines given with `summary: true` are the headline figures; they are also
 * appended to $BENCH_SUMMARY_FILE when set (bench/run.sh collects them there).
 */
export function report(line: string, opts: { summary?: boolean } = {}): void {
  console.log(line);
  const file = process.env.BENCH_SUMMARY_FILE;
  if (opts.summary && file) appendFileSync(file, `${line}\n`);
}

/** "met" or "NOT met", for a figure printed beside its target. */
export const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
