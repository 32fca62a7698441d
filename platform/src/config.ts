// Configuration read from the environment into a typed object, validated at start-up.
// A missing or malformed value stops the process with a message naming the variable;
// values are never printed (some are secrets).
import { z } from 'zod';

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses `env` with a schema whose keys are environment variable names. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    picked[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(picked);
  if (result.success) {
    const problems = deploymentProblems(result.data as Record<string, unknown>, Object.keys(schema.shape), env);
    if (problems.length) throw new ConfigError(problems);
  }
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(root)';
        const missing = picked[String(issue.path[0])] === undefined;
        return missing ? `${name}: is required but not set` : `${name}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

/** Runs a process's main, turning a ConfigError into a clear message and exit code 78. */
export function exitOnConfigError(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  throw err;
}

const port = z.coerce.number().int().min(0).max(65535);
/** true/false; unset is false (optional, so code and tests may leave it out). */
const flag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((v) => v === 'true')
  .optional();
const file = z.string().min(1, 'must be a file path');

/** One HMAC key of the access tokens: its id (the token header's `kid`) and its secret. */
export interface JwtKey {
  kid: string;
  secret: string;
}

/** `kid:secret[,kid:secret...]`: the first signs, all verify (a rotation keeps the old key listed). */
const jwtKeys = z.string().transform((s, ctx): JwtKey[] => {
  const keys = s.split(',').map((part) => {
    const i = part.indexOf(':');
    return { kid: i < 0 ? '' : part.slice(0, i).trim(), secret: i < 0 ? '' : part.slice(i + 1).trim() };
  });
  for (const [n, k] of keys.entries()) {
    if (!/^[\w.-]{1,64}$/.test(k.kid))
      ctx.addIssue({ code: 'custom', message: `key ${n + 1} must be kid:secret with a kid of letters, digits, . _ -` });
    else if (Buffer.byteLength(k.secret) < 32)
      ctx.addIssue({ code: 'custom', message: `key "${k.kid}" is shorter than 32 bytes` });
  }
  if (new Set(keys.map((k) => k.kid)).size !== keys.length)
    ctx.addIssue({ code: 'custom', message: 'two keys share a kid' });
  return keys;
});

/** Variables shared by the processes; each process adds its own. */
export const common = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port...]')
    .transform((s) => s.split(',')),
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('duban-cases'),
  AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_ISSUER: z.string().min(1).default('duban'),
  http: { HTTP_PORT: port.default(0), HTTP_HOST: z.string().default('127.0.0.1') },
  /** Where the process runs; `production` applies the rules of deploymentProblems. Every process. */
  deployment: {
    DUBAN_ENV: z.enum(['development', 'production']).optional(),
    /** Production only: accept plaintext Temporal / Kafka / MongoDB (e.g. one Docker host's private network). */
    ALLOW_INSECURE_TRANSPORT: flag,
  },
  /** The access tokens: AUTH_JWT_KEYS (production) or AUTH_JWT_SECRET (development, tests). */
  auth: {
    AUTH_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_JWT_KEYS: jwtKeys.optional(),
    /** This service's audience: tokens must list it in `aud` (unset: `aud` is not checked). */
    AUTH_JWT_AUDIENCE: z
      .string()
      .regex(/^[\w.:/-]{1,100}$/, 'must be a name like duban-registry')
      .optional(),
    AUTH_ISSUER: z.string().min(1).default('duban'),
  },
  temporalSecurity: {
    TEMPORAL_TLS: flag,
    /** CA of the frontend's certificate (unset: the system CAs). */
    TEMPORAL_TLS_CA_FILE: file.optional(),
    /** mTLS: the client certificate and its key. */
    TEMPORAL_TLS_CERT_FILE: file.optional(),
    TEMPORAL_TLS_KEY_FILE: file.optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    /** Temporal Cloud API key (implies TLS). */
    TEMPORAL_API_KEY: z.string().min(1).optional(),
  },
  kafkaSecurity: {
    KAFKA_TLS: flag,
    KAFKA_TLS_CA_FILE: file.optional(),
    KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
    KAFKA_SASL_USERNAME: z.string().min(1).optional(),
    KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  },
  mongoSecurity: {
    /** TLS to MongoDB (a URL with tls=true or a mongodb+srv URL has it too). */
    MONGO_TLS: flag,
    MONGO_TLS_CA_FILE: file.optional(),
  },
  httpSecurity: {
    /** Writes (POST/PUT/PATCH/DELETE) one person (or one IP without a token) may make per minute, per
     * replica; 0 turns the limit off. Unset: off in development, 120 in production. */
    RATE_LIMIT_WRITES_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).optional(),
  },
} as const;

type Shape<T extends z.core.$ZodLooseShape> = z.infer<z.ZodObject<T>>;
export type DeploymentConfig = Shape<typeof common.deployment>;
export type AuthConfig = Shape<typeof common.auth>;
export type TemporalSecurityConfig = Shape<typeof common.temporalSecurity>;
export type KafkaSecurityConfig = Shape<typeof common.kafkaSecurity>;
export type MongoSecurityConfig = Shape<typeof common.mongoSecurity>;
export type HttpSecurityConfig = Shape<typeof common.httpSecurity>;

/** Secrets used by development, the tests and the examples: never accepted in production. */
export const DEMO_SECRETS: readonly string[] = [
  'test-secret-that-is-at-least-32-characters',
  'another-secret-of-32-characters-xx',
  'change-me-change-me-change-me-change-me',
];

export const RATE_LIMIT_PRODUCTION_DEFAULT = 120;

export const isProduction = (cfg: Partial<DeploymentConfig>, env: NodeJS.ProcessEnv = {}): boolean =>
  cfg.DUBAN_ENV === 'production' || env.DUBAN_ENV === 'production';

const insecure = (what: string, setting: string) =>
  `${setting}: ${what} must use TLS in production (set ${setting}=true, or ALLOW_INSECURE_TRANSPORT=true on a private network)`;

/**
 * Rules across variables, applied to whichever of them the process declares: a key source for the
 * tokens, and in production (DUBAN_ENV=production) no demo or short key, an audience, write limits,
 * and TLS with credentials to Temporal, Kafka and MongoDB unless ALLOW_INSECURE_TRANSPORT=true.
 */
export function deploymentProblems(
  cfg: Record<string, unknown>,
  declared: string[],
  env: NodeJS.ProcessEnv = {},
): string[] {
  const problems: string[] = [];
  const has = (k: string) => declared.includes(k);
  const keys = cfg.AUTH_JWT_KEYS as JwtKey[] | undefined;
  const secret = cfg.AUTH_JWT_SECRET as string | undefined;
  const hasAuth = has('AUTH_ISSUER') && has('AUTH_JWT_SECRET');
  if (hasAuth && has('AUTH_JWT_KEYS')) {
    if (!keys && !secret) problems.push('AUTH_JWT_KEYS: is required but not set (or AUTH_JWT_SECRET in development)');
    if (keys && secret) problems.push('AUTH_JWT_SECRET: set AUTH_JWT_KEYS or AUTH_JWT_SECRET, not both');
  } else if (hasAuth && !secret) problems.push('AUTH_JWT_SECRET: is required but not set');
  if (cfg.KAFKA_SASL_MECHANISM && !(cfg.KAFKA_SASL_USERNAME && cfg.KAFKA_SASL_PASSWORD))
    problems.push('KAFKA_SASL_USERNAME: KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  if (!cfg.TEMPORAL_TLS_CERT_FILE !== !cfg.TEMPORAL_TLS_KEY_FILE)
    problems.push('TEMPORAL_TLS_CERT_FILE: mTLS needs both TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE');
  if (!isProduction(cfg, env)) return problems;

  if (secret !== undefined) {
    if (DEMO_SECRETS.includes(secret)) problems.push('AUTH_JWT_SECRET: is a demo secret, refused in production');
    if (has('AUTH_JWT_KEYS'))
      problems.push('AUTH_JWT_SECRET: not used in production; set AUTH_JWT_KEYS=kid:secret (rotation needs a kid)');
  }
  for (const k of keys ?? [])
    if (DEMO_SECRETS.includes(k.secret))
      problems.push(`AUTH_JWT_KEYS: key "${k.kid}" is a demo secret, refused in production`);
  if (has('AUTH_JWT_AUDIENCE') && has('HTTP_PORT') && !cfg.AUTH_JWT_AUDIENCE)
    problems.push("AUTH_JWT_AUDIENCE: is required in production (this service's audience, e.g. duban-registry)");
  if (cfg.RATE_LIMIT_WRITES_PER_MINUTE === 0)
    problems.push('RATE_LIMIT_WRITES_PER_MINUTE: 0 (no limit) is refused in production');

  if (cfg.ALLOW_INSECURE_TRANSPORT === true) return problems;
  if (has('TEMPORAL_ADDRESS') && has('TEMPORAL_TLS')) {
    const credentials = cfg.TEMPORAL_API_KEY || (cfg.TEMPORAL_TLS_CERT_FILE && cfg.TEMPORAL_TLS_KEY_FILE);
    // An API key or a client certificate implies TLS (temporalConnectionOptions).
    if (!cfg.TEMPORAL_TLS && !credentials) problems.push(insecure('Temporal', 'TEMPORAL_TLS'));
    else if (!credentials)
      problems.push(
        'TEMPORAL_API_KEY: Temporal needs credentials in production (TEMPORAL_API_KEY, or TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE for mTLS)',
      );
  }
  if (has('KAFKA_BROKERS') && has('KAFKA_TLS')) {
    if (!cfg.KAFKA_TLS && !cfg.KAFKA_TLS_CA_FILE) problems.push(insecure('Kafka', 'KAFKA_TLS'));
    if (!cfg.KAFKA_SASL_MECHANISM)
      problems.push(
        'KAFKA_SASL_MECHANISM: Kafka needs SASL credentials in production (plain, scram-sha-256 or scram-sha-512)',
      );
  }
  if (
    has('MONGO_URL') &&
    has('MONGO_TLS') &&
    !cfg.MONGO_TLS &&
    !cfg.MONGO_TLS_CA_FILE &&
    !mongoUrlHasTls(String(cfg.MONGO_URL))
  )
    problems.push(insecure('MongoDB', 'MONGO_TLS'));
  return problems;
}

const mongoUrlHasTls = (url: string) => url.startsWith('mongodb+srv://') || /[?&](tls|ssl)=true\b/i.test(url);

/** The transport and HTTP security settings, all optional: what a process's code passes on. */
export type SecurityConfig = Partial<
  DeploymentConfig & TemporalSecurityConfig & KafkaSecurityConfig & MongoSecurityConfig & HttpSecurityConfig
>;
