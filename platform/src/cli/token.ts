// Issues a signed token for the demo and for tests:
//   npm run token -- --role deputy --sub deputy-001 [--unit edu-bureau] [--ttl 12h] [--aud duban-registry,...]
// Reads AUTH_JWT_KEYS (signs with the first key, its kid in the header) or AUTH_JWT_SECRET, and
// AUTH_ISSUER from the environment. The token is valid at every service unless --aud names some.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ALL_AUDIENCES, jwtAuth, signToken, ROLES, type Role } from '../auth';
import { loadConfig, exitOnConfigError, common } from '../config';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      sub: { type: 'string' },
      unit: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: '12h' },
      aud: { type: 'string' },
    },
  });
  if (!values.role || !(ROLES as readonly string[]).includes(values.role) || !values.sub) {
    process.stderr.write(
      `usage: token --role <${ROLES.join('|')}> --sub <subject> [--unit <unit>] [--ttl 12h] [--aud a,b]\n`,
    );
    process.exit(64);
  }
  const cfg = loadConfig(z.object({ ...common.deployment, ...common.auth }));
  const token = await signToken(
    { role: values.role as Role, sub: values.sub, unit: values.unit, name: values.name },
    { ...jwtAuth(cfg), aud: values.aud ? values.aud.split(',') : ALL_AUDIENCES, ttl: values.ttl },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((err: unknown) => {
  try {
    exitOnConfigError(err);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
});
