// Deploy consistency: deploy/production (Kubernetes manifests, docker-compose.yml, Dockerfile)
// against the processes themselves. The processes are found at test time (every folder under
// services/ plus the worker), their environment read from their zod `configSchema`, so a new
// service, a new required variable or a typo in a manifest fails here, not in production.
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ConfigError, DEMO_SECRETS, loadConfig } from '../../platform/src/config';

const ROOT = path.resolve(__dirname, '../..');
const PROD = path.join(ROOT, 'deploy/production');
const K8S = path.join(PROD, 'kubernetes');
const COMPOSE_FILE = path.join(PROD, 'docker-compose.yml');
const SECRET_EXAMPLE = path.join(K8S, 'secret.example.yaml');

// ------------------------------------------------------------------ the processes

interface FieldLike {
  safeParse(value: unknown): { success: boolean; data?: unknown };
}
interface SchemaLike {
  shape: Record<string, FieldLike>;
}
interface Proc {
  /** Name of its Deployment and of its compose service. */
  name: string;
  configModule: string;
  entry: string;
}

const serviceDirs = fs
  .readdirSync(path.join(ROOT, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const PROCESSES: Proc[] = [
  ...serviceDirs.map((d) => ({
    name: d,
    configModule: `services/${d}/src/config.ts`,
    entry: `services/${d}/src/main.ts`,
  })),
  { name: 'worker', configModule: 'workflows/src/config.ts', entry: 'workflows/src/worker.ts' },
];
const isService = (p: Proc) => serviceDirs.includes(p.name);

const schemas = new Map<string, SchemaLike>();

beforeAll(async () => {
  for (const p of PROCESSES) {
    const mod = (await import(path.join(ROOT, p.configModule))) as { configSchema?: SchemaLike };
    if (!mod.configSchema?.shape) throw new Error(`${p.name}: ${p.configModule} does not export configSchema`);
    schemas.set(p.name, mod.configSchema);
  }
});

function schemaOf(p: Proc): SchemaLike {
  const s = schemas.get(p.name);
  if (!s) throw new Error(`${p.name}: no config schema loaded`);
  return s;
}
const declared = (p: Proc) => Object.keys(schemaOf(p).shape);
/** Variables without a default (and not optional): the deployment must set them. */
const required = (p: Proc) => declared(p).filter((k) => !schemaOf(p).shape[k].safeParse(undefined).success);
/** What the process uses when the variable is not set (undefined when it is required). */
function defaultOf(p: Proc, key: string): string | undefined {
  const field = schemaOf(p).shape[key];
  if (!field) return undefined;
  const r = field.safeParse(undefined);
  return r.success && r.data !== undefined ? String(r.data) : undefined;
}
/** The variable naming the port the process serves /healthz and /metrics on. */
const portVarOf = (p: Proc) => ['HTTP_PORT', 'WORKER_METRICS_PORT'].find((k) => k in schemaOf(p).shape);

// ------------------------------------------------------------------ Kubernetes manifests

interface KeyRef {
  name: string;
  key: string;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; fieldRef?: unknown; resourceFieldRef?: unknown };
}
interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name: string };
  secretRef?: { name: string };
}
interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface K8sDoc {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; annotations?: Record<string, string> };
  data?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
  spec?: {
    replicas?: number;
    ports?: { port: number; targetPort?: number | string }[];
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { containers?: Container[]; volumes?: { name: string; secret?: { secretName: string } }[] };
    };
  };
}
interface Kustomization {
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

function loadYamlDocs(file: string): K8sDoc[] {
  return yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d): d is K8sDoc => d !== null && typeof d === 'object');
}

const kustomization = yaml.load(fs.readFileSync(path.join(K8S, 'kustomization.yaml'), 'utf8')) as Kustomization;
const resources = kustomization.resources ?? [];
const k8sDocs: K8sDoc[] = resources
  .filter((r) => fs.existsSync(path.join(K8S, r)) && fs.statSync(path.join(K8S, r)).isFile())
  .flatMap((r) => loadYamlDocs(path.join(K8S, r)));
const secretExamples = loadYamlDocs(SECRET_EXAMPLE).filter((d) => d.kind === 'Secret');

const ofKind = (kind: string) => k8sDocs.filter((d) => d.kind === kind);
const byName = (kind: string, name: string) => ofKind(kind).find((d) => d.metadata?.name === name);
const keysOf = (doc: K8sDoc) => [...Object.keys(doc.data ?? {}), ...Object.keys(doc.stringData ?? {})];

/** A key set by a Deployment's container, and its value when it can be known from the manifests. */
interface Setting {
  value?: string;
  problem?: string;
  /** Comes from a Secret (Kubernetes) or the git-ignored env_file (compose): its value is not in git. */
  secret?: boolean;
}

/** Every variable the Deployment's container sets (env and envFrom), with the ConfigMap/Secret references checked. */
function deploymentEnv(proc: Proc, container: Container): Map<string, Setting> {
  const env = new Map<string, Setting>();
  for (const src of container.envFrom ?? []) {
    if (src.configMapRef) {
      const cm = byName('ConfigMap', src.configMapRef.name);
      if (!cm)
        throw new Error(
          `${proc.name}: envFrom names ConfigMap ${src.configMapRef.name}, not in kustomization resources`,
        );
      for (const k of keysOf(cm)) env.set(`${src.prefix ?? ''}${k}`, { value: String((cm.data ?? {})[k]) });
    }
    if (src.secretRef) {
      const secret = secretExamples.find((s) => s.metadata?.name === src.secretRef!.name);
      if (!secret)
        throw new Error(`${proc.name}: envFrom names Secret ${src.secretRef.name}, not in secret.example.yaml`);
      for (const k of keysOf(secret)) env.set(`${src.prefix ?? ''}${k}`, { secret: true });
    }
  }
  for (const e of container.env ?? []) {
    const cmRef = e.valueFrom?.configMapKeyRef;
    const secretRef = e.valueFrom?.secretKeyRef;
    if (cmRef) {
      const cm = byName('ConfigMap', cmRef.name);
      if (!cm)
        env.set(e.name, { problem: `${e.name} refers to ConfigMap ${cmRef.name}, not in kustomization resources` });
      else if (!keysOf(cm).includes(cmRef.key))
        env.set(e.name, { problem: `${e.name} refers to key ${cmRef.key} missing from ConfigMap ${cmRef.name}` });
      else env.set(e.name, { value: String((cm.data ?? {})[cmRef.key]) });
    } else if (secretRef) {
      const secret = secretExamples.find((s) => s.metadata?.name === secretRef.name);
      if (!secret)
        env.set(e.name, { problem: `${e.name} refers to Secret ${secretRef.name}, not in secret.example.yaml` });
      else if (!keysOf(secret).includes(secretRef.key))
        env.set(e.name, { problem: `${e.name} refers to key ${secretRef.key} not documented in secret.example.yaml` });
      else env.set(e.name, { secret: true });
    } else {
      env.set(e.name, { value: e.value });
    }
  }
  return env;
}

function deploymentOf(proc: Proc): { doc: K8sDoc; container: Container } {
  const doc = byName('Deployment', proc.name);
  if (!doc) throw new Error(`${proc.name}: no Deployment named ${proc.name} in the kustomization resources`);
  const containers = doc.spec?.template?.spec?.containers ?? [];
  const container = containers.find((c) => c.name === proc.name) ?? containers[0];
  if (!container) throw new Error(`${proc.name}: its Deployment has no container`);
  return { doc, container };
}

// ------------------------------------------------------------------ docker-compose.yml

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | (string | { path: string })[];
}
const compose = yaml.load(fs.readFileSync(COMPOSE_FILE, 'utf8')) as { services?: Record<string, ComposeService> };
const composeServices = compose.services ?? {};

/** Keys (and values) of a dotenv file; `.env` is git-ignored, so its template `.env.example` stands for it. */
function dotenv(file: string): Map<string, string> {
  const resolved = path.basename(file) === '.env' ? `${file}.example` : file;
  const out = new Map<string, string>();
  if (!fs.existsSync(resolved)) return out;
  for (const raw of fs.readFileSync(resolved, 'utf8').split('\n')) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    out.set(eq < 0 ? line : line.slice(0, eq).trim(), eq < 0 ? '' : line.slice(eq + 1).trim());
  }
  return out;
}

function composeEnv(proc: Proc, svc: ComposeService): { env: Map<string, Setting>; problems: string[] } {
  const env = new Map<string, Setting>();
  const problems: string[] = [];
  const files = svc.env_file === undefined ? [] : Array.isArray(svc.env_file) ? svc.env_file : [svc.env_file];
  for (const f of files) {
    const rel = typeof f === 'string' ? f : f.path;
    const file = path.resolve(PROD, rel);
    const template = path.basename(file) === '.env' ? `${file}.example` : file;
    if (!fs.existsSync(template))
      problems.push(`${proc.name}: env_file ${rel} (template ${path.relative(ROOT, template)}) does not exist`);
    for (const [k, v] of dotenv(file)) env.set(k, { value: v, secret: true });
  }
  const environment = svc.environment ?? {};
  const entries: [string, string | undefined][] = Array.isArray(environment)
    ? environment.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, undefined] : [line.slice(0, eq), line.slice(eq + 1)];
      })
    : Object.entries(environment).map(([k, v]) => [k, v === null ? undefined : String(v)]);
  for (const [k, v] of entries) env.set(k, { value: v });
  return { env, problems };
}

const argv = (cmd: string | string[] | undefined): string[] =>
  cmd === undefined ? [] : Array.isArray(cmd) ? cmd.map(String) : cmd.split(/\s+/).filter(Boolean);

// ------------------------------------------------------------------ the checks

/** The files a Deployment's container can read from Secret volumes: mount path + a key of the Secret. */
function secretFiles(proc: Proc): Set<string> {
  const { doc, container } = deploymentOf(proc);
  const files = new Set<string>();
  for (const m of container.volumeMounts ?? []) {
    const volume = doc.spec?.template?.spec?.volumes?.find((v) => v.name === m.name);
    const secret = secretExamples.find((x) => x.metadata?.name === volume?.secret?.secretName);
    for (const k of secret ? keysOf(secret) : []) files.add(path.posix.join(m.mountPath, k));
  }
  return files;
}

/** What a Secret's value stands for in the checks (the real value is not in git). */
const SECRET_STAND_INS: Record<string, string> = {
  AUTH_JWT_KEYS: `k1:${'s'.repeat(48)}`,
  MONGO_URL: 'mongodb://duban:password@mongo:27017',
};

/** Variables whose value must never be written into a manifest: they come from a Secret or the env_file. */
const SECRET_ONLY = ['AUTH_JWT_KEYS', 'AUTH_JWT_SECRET', 'KAFKA_SASL_PASSWORD', 'TEMPORAL_API_KEY'];

/**
 * The production security settings of one deployment target: the process's own start-up rules
 * (loadConfig with DUBAN_ENV=production refuses demo or short keys, plaintext transport, a missing
 * audience or write limit) on the environment the target gives it, and what only the manifests can
 * show: the keys come from a Secret, no demo secret is written anywhere, each service has its own
 * audience, the write limit is set, and every *_FILE names a file of a mounted Secret.
 */
function securityProblems(proc: Proc, t: Target): string[] {
  const problems: string[] = [];
  const keys = declared(proc);
  const env: Record<string, string> = {};
  for (const [k, s] of t.env)
    if (s.value !== undefined && s.value !== '' && !s.secret) env[k] = s.value;
    else if (s.secret) env[k] = SECRET_STAND_INS[k] ?? 'x'.repeat(48);
  const where = `${proc.name}: ${t.where}`;
  if (env.DUBAN_ENV !== 'production') problems.push(`${where} does not set DUBAN_ENV=production`);
  try {
    loadConfig(schemaOf(proc) as unknown as Parameters<typeof loadConfig>[0], env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems.map((p) => `${where} would not start: ${p}`));
  }
  for (const k of SECRET_ONLY)
    if (t.env.has(k) && !t.env.get(k)!.secret) problems.push(`${where} sets ${k} in the open, not from a Secret`);
  const mongo = t.env.get('MONGO_URL');
  if (mongo && !mongo.secret && /\/\/[^/]*@/.test(mongo.value ?? ''))
    problems.push(`${where} writes MongoDB credentials into MONGO_URL in the open, not from a Secret`);
  if (keys.includes('AUTH_JWT_KEYS') && !t.env.get('AUTH_JWT_KEYS')?.secret)
    problems.push(`${where} does not take AUTH_JWT_KEYS from a Secret`);
  if (t.env.has('AUTH_JWT_SECRET')) problems.push(`${where} sets AUTH_JWT_SECRET (development only)`);
  for (const [k, s] of t.env)
    if (s.value && DEMO_SECRETS.some((d) => s.value!.includes(d))) problems.push(`${where} gives ${k} a demo secret`);
  if (keys.includes('RATE_LIMIT_WRITES_PER_MINUTE') && !(Number(env.RATE_LIMIT_WRITES_PER_MINUTE) > 0))
    problems.push(`${where} does not set RATE_LIMIT_WRITES_PER_MINUTE to a limit`);
  if (isService(proc) && keys.includes('AUTH_JWT_AUDIENCE') && env.AUTH_JWT_AUDIENCE !== `duban-${proc.name}`)
    problems.push(`${where} has AUTH_JWT_AUDIENCE=${env.AUTH_JWT_AUDIENCE}, expected duban-${proc.name}`);
  if (t.files)
    for (const [k, v] of Object.entries(env))
      if (k.endsWith('_FILE') && !t.files.has(v))
        problems.push(`${where}: ${k}=${v} is not a file of a mounted Secret`);
  return problems;
}

/** The environment of a process as deployed by each target. */
interface Target {
  where: string;
  env: Map<string, Setting>;
  problems: string[];
  /** Kubernetes: the files of the Secret volumes the container mounts (path → present). */
  files?: Set<string>;
}

function targets(proc: Proc): Target[] {
  const { container } = deploymentOf(proc);
  const svc = composeServices[proc.name];
  if (!svc) throw new Error(`${proc.name}: no service named ${proc.name} in docker-compose.yml`);
  const c = composeEnv(proc, svc);
  return [
    { where: 'Kubernetes Deployment', env: deploymentEnv(proc, container), problems: [], files: secretFiles(proc) },
    { where: 'compose service', env: c.env, problems: c.problems },
  ];
}

describe('deploy/production', () => {
  it('lists only existing files as kustomization resources, and not the example Secret', () => {
    const problems: string[] = [];
    for (const r of resources) {
      if (!fs.existsSync(path.join(K8S, r)))
        problems.push(`kustomization resource ${r} does not exist in ${path.relative(ROOT, K8S)}`);
    }
    if (resources.some((r) => path.basename(r) === 'secret.example.yaml'))
      problems.push('secret.example.yaml must not be a kustomization resource');
    expect(problems).toEqual([]);
    expect(secretExamples.length).toBeGreaterThan(0);
  });

  it('deploys every service under services/ and the worker, in Kubernetes and in compose', () => {
    expect(serviceDirs.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const p of PROCESSES) {
      if (!byName('Deployment', p.name))
        problems.push(`${p.name}: no Deployment named ${p.name} in the kustomization resources`);
      if (isService(p) && !byName('Service', p.name))
        problems.push(`${p.name}: no Service named ${p.name} in the kustomization resources`);
      if (!composeServices[p.name]) problems.push(`${p.name}: no service named ${p.name} in docker-compose.yml`);
    }
    expect(problems).toEqual([]);
  });

  it('copies every npm workspace manifest into the image before npm ci', () => {
    const dockerfile = fs.readFileSync(path.join(PROD, 'Dockerfile'), 'utf8');
    const workspaces = (
      JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }
    ).workspaces;
    const missing = workspaces.filter(
      (w) => !new RegExp(`^COPY\\s+${w.replace(/[/.-]/g, '\\$&')}/package\\.json\\s`, 'm').test(dockerfile),
    );
    expect(missing.map((w) => `Dockerfile: no COPY of ${w}/package.json`)).toEqual([]);
  });

  describe.each(PROCESSES.map((p) => [p.name, p] as const))('%s', (_name, proc) => {
    it('is given every variable its configSchema requires', () => {
      const problems: string[] = [];
      for (const t of targets(proc)) {
        problems.push(...t.problems);
        for (const key of required(proc)) {
          const s = t.env.get(key);
          if (!s) problems.push(`${proc.name}: ${t.where} does not set ${key} (required by ${proc.configModule})`);
          else if (s.problem) problems.push(`${proc.name}: ${t.where}: ${s.problem}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('is given no variable its configSchema does not declare, and only resolvable references', () => {
      const problems: string[] = [];
      for (const t of targets(proc)) {
        for (const [key, s] of t.env) {
          if (!declared(proc).includes(key))
            problems.push(`${proc.name}: ${t.where} sets ${key}, which ${proc.configModule} does not declare`);
          if (s.problem) problems.push(`${proc.name}: ${t.where}: ${s.problem}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it('passes the production security rules: TLS and credentials, keys from a Secret, no demo secret, its audience, write limits', () => {
      expect(targets(proc).flatMap((t) => securityProblems(proc, t))).toEqual([]);
    });

    it('listens on 0.0.0.0 (HTTP_HOST)', () => {
      const problems: string[] = [];
      for (const t of targets(proc)) {
        const value = t.env.get('HTTP_HOST')?.value ?? defaultOf(proc, 'HTTP_HOST');
        if (value !== '0.0.0.0')
          problems.push(`${proc.name}: ${t.where} has HTTP_HOST=${value}, must be 0.0.0.0 in a container`);
      }
      expect(problems).toEqual([]);
    });

    it('runs its own entry file, which exists', () => {
      const problems: string[] = [];
      if (!fs.existsSync(path.join(ROOT, proc.entry)))
        problems.push(`${proc.name}: entry file ${proc.entry} does not exist`);
      const { container } = deploymentOf(proc);
      const k8sArgs = [...(container.command ?? []), ...(container.args ?? [])];
      if (!k8sArgs.includes(proc.entry))
        problems.push(`${proc.name}: Deployment command "${k8sArgs.join(' ')}" does not run ${proc.entry}`);
      for (const arg of k8sArgs.filter((a) => /\.(ts|js)$/.test(a)))
        if (!fs.existsSync(path.join(ROOT, arg)))
          problems.push(`${proc.name}: Deployment command names ${arg}, which does not exist`);
      const svc = composeServices[proc.name];
      const composeArgs = svc ? [...argv(svc.entrypoint), ...argv(svc.command)] : [];
      if (!composeArgs.includes(proc.entry))
        problems.push(`${proc.name}: compose command "${composeArgs.join(' ')}" does not run ${proc.entry}`);
      expect(problems).toEqual([]);
    });

    it('is built from the Duban image (the kustomization image and the compose build)', () => {
      const problems: string[] = [];
      const { container } = deploymentOf(proc);
      const images = (kustomization.images ?? []).map((i) => i.name);
      if (!container.image || !images.includes(container.image))
        problems.push(
          `${proc.name}: Deployment image ${container.image} is not one of the kustomization images (${images.join(', ')})`,
        );
      const build = composeServices[proc.name]?.build as { dockerfile?: string } | undefined;
      if (build?.dockerfile !== 'deploy/production/Dockerfile')
        problems.push(`${proc.name}: compose service is not built from deploy/production/Dockerfile`);
      expect(problems).toEqual([]);
    });

    it('probes /healthz and is scraped on the port it listens on, with resources and 2 replicas (or 1 with a stated reason)', () => {
      const problems: string[] = [];
      const { doc, container } = deploymentOf(proc);
      const portVar = portVarOf(proc);
      if (!portVar)
        throw new Error(`${proc.name}: ${proc.configModule} declares neither HTTP_PORT nor WORKER_METRICS_PORT`);
      const env = deploymentEnv(proc, container);
      const port = Number(env.get(portVar)?.value ?? defaultOf(proc, portVar));
      const resolve = (p: number | string | undefined) =>
        typeof p === 'string' ? container.ports?.find((cp) => cp.name === p)?.containerPort : p;
      for (const [kind, probe] of [
        ['readinessProbe', container.readinessProbe],
        ['livenessProbe', container.livenessProbe],
      ] as const) {
        if (probe?.httpGet?.path !== '/healthz') problems.push(`${proc.name}: ${kind} is not an HTTP GET of /healthz`);
        else if (resolve(probe.httpGet.port) !== port)
          problems.push(`${proc.name}: ${kind} port ${probe.httpGet.port} is not ${portVar}=${port}`);
      }
      const annotations = doc.spec?.template?.metadata?.annotations ?? {};
      if (annotations['prometheus.io/scrape'] !== 'true')
        problems.push(`${proc.name}: pod template lacks prometheus.io/scrape: "true"`);
      if (annotations['prometheus.io/port'] !== String(port))
        problems.push(
          `${proc.name}: prometheus.io/port ${annotations['prometheus.io/port']} is not ${portVar}=${port}`,
        );
      if (isService(proc)) {
        const svcPorts = byName('Service', proc.name)?.spec?.ports ?? [];
        if (!svcPorts.some((sp) => resolve(sp.targetPort ?? sp.port) === port))
          problems.push(`${proc.name}: Service does not target ${portVar}=${port}`);
      }
      for (const r of ['cpu', 'memory'])
        if (!container.resources?.requests?.[r] || !container.resources?.limits?.[r])
          problems.push(`${proc.name}: container lacks a ${r} request or limit`);
      // Two replicas, unless the Deployment says why it must run alone.
      const alone = doc.metadata?.annotations?.['duban.io/single-replica-reason'];
      const expected = alone ? 1 : 2;
      if (doc.spec?.replicas !== expected)
        problems.push(`${proc.name}: replicas is ${doc.spec?.replicas}, expected ${expected}`);
      expect(problems).toEqual([]);
    });
  });

  it('fails the security check when a production setting is missing, plaintext or a demo secret', () => {
    const byNameProc = (n: string) => PROCESSES.find((p) => p.name === n)!;
    const kube = (p: Proc) => targets(p)[0];
    const without = (p: Proc, drop: string[], set: Record<string, Setting> = {}) => {
      const t = kube(p);
      const env = new Map([...t.env].filter(([k]) => !drop.includes(k)));
      for (const [k, v] of Object.entries(set)) env.set(k, v);
      return securityProblems(p, { ...t, env });
    };
    const suggestions = byNameProc('suggestions');
    const worker = byNameProc('worker');
    expect(securityProblems(suggestions, kube(suggestions))).toEqual([]);
    const cases: [Proc, string[], Record<string, Setting>, RegExp][] = [
      [suggestions, ['DUBAN_ENV'], {}, /DUBAN_ENV=production/],
      [suggestions, ['AUTH_JWT_KEYS'], {}, /AUTH_JWT_KEYS/],
      [suggestions, ['AUTH_JWT_KEYS'], { AUTH_JWT_KEYS: { value: `k1:${'a'.repeat(40)}` } }, /in the open/],
      [suggestions, [], { AUTH_JWT_KEYS: { value: `k1:${DEMO_SECRETS[0]}` } }, /demo secret/],
      [suggestions, [], { AUTH_JWT_KEYS: { value: 'k1:too-short' } }, /shorter than 32 bytes/],
      [suggestions, ['AUTH_JWT_AUDIENCE'], {}, /AUTH_JWT_AUDIENCE/],
      [suggestions, [], { AUTH_JWT_AUDIENCE: { value: 'duban-registry' } }, /expected duban-suggestions/],
      [suggestions, [], { RATE_LIMIT_WRITES_PER_MINUTE: { value: '0' } }, /RATE_LIMIT_WRITES_PER_MINUTE/],
      [suggestions, ['MONGO_TLS', 'MONGO_TLS_CA_FILE'], {}, /MONGO_TLS: MongoDB must use TLS/],
      [
        suggestions,
        ['TEMPORAL_TLS', 'TEMPORAL_TLS_CA_FILE', 'TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE'],
        {},
        /TEMPORAL_TLS: Temporal must use TLS/,
      ],
      [suggestions, ['TEMPORAL_TLS_CERT_FILE', 'TEMPORAL_TLS_KEY_FILE'], {}, /Temporal needs credentials/],
      [
        suggestions,
        [],
        { TEMPORAL_TLS_CA_FILE: { value: '/etc/duban/tls/nowhere.crt' } },
        /not a file of a mounted Secret/,
      ],
      [suggestions, [], { MONGO_URL: { value: 'mongodb://duban:pw@mongo:27017' } }, /MongoDB credentials/],
      [worker, ['KAFKA_TLS', 'KAFKA_TLS_CA_FILE'], {}, /KAFKA_TLS: Kafka must use TLS/],
      [worker, ['KAFKA_SASL_MECHANISM'], {}, /KAFKA_SASL_MECHANISM/],
      [worker, ['KAFKA_SASL_PASSWORD'], {}, /KAFKA_SASL_USERNAME/],
    ];
    for (const [p, drop, set, message] of cases)
      expect({ drop, set, problems: without(p, drop, set) }).toEqual({
        drop,
        set,
        problems: expect.arrayContaining([expect.stringMatching(message)]),
      });
  });

  it('gives TEMPORAL_TASK_QUEUE the same value to every process that declares it (suggestions starts, worker polls)', () => {
    const problems: string[] = [];
    for (const target of ['Kubernetes Deployment', 'compose service']) {
      const values = PROCESSES.filter((p) => declared(p).includes('TEMPORAL_TASK_QUEUE')).map((p) => {
        const t = targets(p).find((x) => x.where === target)!;
        return { name: p.name, value: t.env.get('TEMPORAL_TASK_QUEUE')?.value ?? defaultOf(p, 'TEMPORAL_TASK_QUEUE') };
      });
      if (new Set(values.map((v) => v.value)).size > 1)
        problems.push(
          `${target}s disagree on TEMPORAL_TASK_QUEUE: ${values.map((v) => `${v.name}=${v.value}`).join(', ')}`,
        );
    }
    expect(PROCESSES.filter((p) => declared(p).includes('TEMPORAL_TASK_QUEUE')).map((p) => p.name)).toEqual(
      expect.arrayContaining(['suggestions', 'worker']),
    );
    expect(problems).toEqual([]);
  });

  it('registers every search attribute the workflows set, with its type, in every deployment', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SEARCH_ATTRIBUTES } = require('../../workflows/src/search-attributes') as {
      SEARCH_ATTRIBUTES: { name: string; type: string }[];
    };
    const typeName = (t: string) => ({ KEYWORD: 'Keyword', DATETIME: 'Datetime', BOOL: 'Bool', INT: 'Int' })[t] ?? t;
    const wanted = SEARCH_ATTRIBUTES.map((a) => `${a.name}=${typeName(a.type)}`).sort();
    const pairsIn = (text: string) =>
      [...text.matchAll(/\b([A-Z][A-Za-z]+)=(Keyword|Datetime|Bool|Int)\b/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    const infra = fs.readFileSync(path.join(ROOT, 'deploy/local/infra.sh'), 'utf8');
    expect(
      pairsIn(
        infra.slice(
          infra.indexOf('TEMPORAL_SEARCH_ATTRIBUTES=('),
          infra.indexOf(')', infra.indexOf('TEMPORAL_SEARCH_ATTRIBUTES=(')),
        ),
      ),
    ).toEqual(wanted);
    expect(pairsIn(fs.readFileSync(COMPOSE_FILE, 'utf8'))).toEqual(wanted);
    const k8s = fs.readFileSync(path.join(K8S, 'README.md'), 'utf8');
    const k8sPairs = [...k8s.matchAll(/--name (\w+) --type (\w+)/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    expect(k8sPairs).toEqual(wanted);
  });
});
