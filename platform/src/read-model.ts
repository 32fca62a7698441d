// What the read-side services (case index, scores, notifications) share: the stored form of an
// event, and their HTTP service, healthy while its database answers and its consumer runs.
import { z } from 'zod';
import type { Connection } from 'mongoose';
import { timestampDate, toJson, EnvelopeSchema, type Envelope } from '@duban/proto';
import { mongoHealthy } from './mongo';
import { startHttpService, type RouteSpec } from './http/service';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { common, type AuthConfig, type SecurityConfig } from './config';
import { jwtAuth } from './auth';

/** The fields every stored event has; its body in protobuf JSON form under its oneof name. */
export interface StoredEventFields {
  _id: string; // event id
  caseId: string;
  type: string;
  caseKind: string;
  jurisdiction: string;
  occurredAt: Date;
  /** Who caused it: "deputy:deputy-001", "unit:edu-bureau/handler-1", "staff:clerk-1", "system". */
  actor?: string;
  /** The body in protobuf JSON form, under its oneof name, e.g. { suggestionReplied: {...} }. */
  body: Record<string, unknown>;
}

export function storedEventFields(env: Envelope): StoredEventFields & { actor: string } {
  const json = toJson(EnvelopeSchema, env) as Record<string, unknown>;
  const bodyKey = env.body.case!;
  return {
    _id: env.eventId,
    caseId: env.caseId,
    type: env.type,
    caseKind: env.caseKind,
    jurisdiction: env.jurisdiction,
    occurredAt: env.occurredAt ? timestampDate(env.occurredAt) : new Date(0),
    actor: env.actor || 'system',
    body: { [bodyKey]: json[bodyKey] ?? {} },
  };
}

/** The variables every read-side service reads (its store, the events, auth, HTTP); each adds its own. */
export function readServiceConfigShape(own: { db: string; group: string; port: number }) {
  return {
    LOG_LEVEL: common.LOG_LEVEL,
    ...common.deployment,
    MONGO_URL: common.MONGO_URL,
    ...common.mongoSecurity,
    MONGO_DB: z.string().min(1).default(own.db),
    KAFKA_BROKERS: common.KAFKA_BROKERS,
    ...common.kafkaSecurity,
    KAFKA_GROUP_ID: z.string().min(1).default(own.group),
    ...common.auth,
    HTTP_PORT: common.http.HTTP_PORT.default(own.port),
    HTTP_HOST: common.http.HTTP_HOST,
    ...common.httpSecurity,
  };
}

/** The registry's base URL, for the read-side services that ask it. */
export const registryUrl = z.url({ message: 'must be the registry base URL, e.g. http://127.0.0.1:4001' });

type ReadServiceConfig = AuthConfig & SecurityConfig & { HTTP_PORT: number; HTTP_HOST: string };

/** Serves a read-side service's routes; /healthz checks its database and that its consumer runs. */
export function startReadService(opts: {
  name: string;
  cfg: ReadServiceConfig;
  logger: Logger;
  metrics: Metrics;
  routes: RouteSpec[];
  conn: Connection;
  consuming: () => boolean;
}): Promise<{ port: number; close: () => Promise<void> }> {
  return startHttpService({
    name: opts.name,
    logger: opts.logger,
    metrics: opts.metrics,
    auth: jwtAuth(opts.cfg),
    security: opts.cfg,
    routes: opts.routes,
    health: { mongo: () => mongoHealthy(opts.conn), consumer: async () => opts.consuming() },
    port: opts.cfg.HTTP_PORT,
    host: opts.cfg.HTTP_HOST,
  });
}

/**
 * A read-side service's HTTP side and the flag its /healthz reads: `consuming` is set once its
 * consumer runs; `listen` serves the routes and answers the port; `close` stops serving and marks
 * the consumer stopped, first thing on stop, before the consumer leaves.
 */
export function readServiceHttp(opts: { name: string; cfg: ReadServiceConfig; logger: Logger; metrics: Metrics }) {
  let close: (() => Promise<void>) | undefined;
  const http = {
    consuming: false,
    async listen(routes: RouteSpec[], conn: Connection): Promise<number> {
      const listening = await startReadService({ ...opts, routes, conn, consuming: () => http.consuming });
      close = listening.close;
      return listening.port;
    },
    async close(): Promise<void> {
      await close?.();
      http.consuming = false;
    },
  };
  return http;
}
