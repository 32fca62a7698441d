// Starts and stops a stack of the project's own (deploy/local/infra.sh) on the given ports and
// data folder, fresh each time, and exports its addresses (MONGO_URL, KAFKA_BROKERS,
// TEMPORAL_ADDRESS, …) into this process's environment. Used by the stack tests' global setup
// and by the benchmarks, each with ports of its own.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { INFRA } from './paths';

/** DUBAN_DATA_DIR plus the port variables infra.sh reads. */
export type StackEnv = Record<string, string> & { DUBAN_DATA_DIR: string };

function infra(env: StackEnv, cmd: 'up' | 'down' | 'env'): string {
  return execFileSync(INFRA, [cmd], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: cmd === 'env' ? 'pipe' : ['ignore', 'inherit', 'inherit'],
  });
}

/** Stops a leftover of an interrupted run (ours only), wipes its data, starts it anew. */
export function startFreshStack(env: StackEnv): void {
  infra(env, 'down');
  rmSync(env.DUBAN_DATA_DIR, { recursive: true, force: true });
  infra(env, 'up');
  for (const line of infra(env, 'env').split('\n')) {
    const m = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) process.env[m[1]] = m[2];
  }
}

export function stopStack(env: StackEnv): void {
  infra(env, 'down');
}
