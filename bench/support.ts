// Small helpers shared by the benchmarks: a bounded-concurrency pool, a memory sampler and the
// way a figure is printed. Benchmarks measure and report; they never fail on slowness.
import { appendFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

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

/** The stack's processes whose CPU time the benchmarks report (deploy/local/infra.sh parts). */
const STACK_PARTS = ['temporal', 'kafka', 'ferretdb'] as const;

/**
 * CPU seconds used so far by this process (all its threads) and by each process of the stack
 * whose pid file is in `<dataDir>/run` (Linux /proc; a part that cannot be read counts 0).
 */
export function cpuSeconds(dataDir: string): Record<'node' | (typeof STACK_PARTS)[number], number> {
  const own = process.cpuUsage();
  const out = { node: (own.user + own.system) / 1e6, temporal: 0, kafka: 0, ferretdb: 0 };
  for (const part of STACK_PARTS) {
    try {
      const pid = readFileSync(path.join(dataDir, 'run', `${part}.pid`), 'utf8').trim();
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[part] = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      // not running, or not Linux
    }
  }
  return out;
}

/** "node 61 ms, temporal 30 ms, … = 140 ms": CPU per item between two cpuSeconds() readings. */
export function cpuPerItem(before: Record<string, number>, after: Record<string, number>, items: number): string {
  const parts = Object.keys(after).map((k) => [k, ((after[k] - before[k]) * 1000) / items] as const);
  const total = parts.reduce((s, [, ms]) => s + ms, 0);
  return `${parts.map(([k, ms]) => `${k} ${ms.toFixed(0)} ms`).join(', ')} = ${total.toFixed(0)} ms`;
}

/**
 * A JSON HTTP client on keep-alive sockets (node:http). The benchmarks drive the services from
 * the process that runs them, so the client's own CPU competes with what is measured: fetch
 * took 1.9 ms of CPU per request against 0.5 ms for this (client and a trivial server, 500
 * requests each). With `timeoutMs`, a request that has no answer by then fails ("timed out").
 */
export function jsonClient(maxSockets = 64, timeoutMs?: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    call(
      method: string,
      url: string,
      opts: { token?: string; body?: unknown } = {},
    ): Promise<{ status: number; body: any }> {
      const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const headers: Record<string, string> = {};
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (payload !== undefined) headers['content-type'] = 'application/json';
      return new Promise((resolve, reject) => {
        const req = http.request(url, { method, agent, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let body: any = text;
            try {
              body = JSON.parse(text);
            } catch {
              // not JSON: keep the text
            }
            resolve({ status: res.statusCode ?? 0, body });
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}
