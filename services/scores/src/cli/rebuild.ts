// Rebuilds the scores read model from the log, from the command line: asks the running service
// (POST /v1/admin/rebuild, with an operator token signed here) to empty its collections and
// replay the topic from the beginning into a new consumer group, then prints the progress
// until it is done.
//   SCORES_URL=http://127.0.0.1:4005 AUTH_JWT_SECRET=... (or AUTH_JWT_KEYS=...) npx tsx services/scores/src/cli/rebuild.ts
import { z } from 'zod';
import { common, exitOnConfigError, jwtAuth, loadConfig, serviceAudience, signToken } from '@duban/platform';

const cliSchema = z.object({
  SCORES_URL: z
    .url({ message: 'must be the scores service base URL, e.g. http://127.0.0.1:4005' })
    .default('http://127.0.0.1:4005'),
  ...common.auth,
});

async function main() {
  const cfg = loadConfig(cliSchema);
  const token = await signToken(
    { role: 'operator', sub: 'scores-rebuild-cli' },
    { ...jwtAuth(cfg), aud: serviceAudience('scores'), ttl: '1h' },
  );
  const headers = { authorization: `Bearer ${token}` };
  const started = await fetch(`${cfg.SCORES_URL}/v1/admin/rebuild`, { method: 'POST', headers });
  const body = (await started.json()) as Record<string, unknown>;
  if (started.status !== 202) throw new Error(`the service answered ${started.status}: ${JSON.stringify(body)}`);
  process.stdout.write(`rebuild into consumer group ${String(body.groupId)}: ${String(body.total)} messages\n`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const res = await fetch(`${cfg.SCORES_URL}/v1/admin/rebuild`, { headers });
    const s = (await res.json()) as { status: string; processed: number; total: number; error?: string };
    process.stdout.write(`${s.status}: ${s.processed}/${s.total}\n`);
    if (s.status === 'done') return;
    if (s.status === 'failed') throw new Error(s.error ?? 'rebuild failed');
  }
}

main().catch((err: unknown) => {
  try {
    exitOnConfigError(err);
  } catch (e) {
    process.stderr.write(`rebuild failed: ${(e as Error).message}\n`);
    process.exit(1);
  }
});
