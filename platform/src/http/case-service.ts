// The life of a case service, written once: its store, its Temporal client, its HTTP routes and
// /healthz (Mongo and Temporal), and a stop that closes them in reverse order.
import type { Connection } from 'mongoose';
import type { Model } from 'mongoose';
import type { Client, Connection as TemporalConnection } from '@temporalio/client';
import { jwtAuth } from '../auth';
import { connectTemporal } from '../clients/temporal';
import type { CaseServiceConfig } from '../case-service-config';
import type { Logger } from '../logger';
import { createMetrics } from '../metrics';
import { connectModels, mongoHealthy } from '../mongo';
import { startHttpService, type HttpServiceOptions, type RouteSpec } from './service';

export interface CaseServiceContext<M> {
  models: M;
  temporal: Client;
}

export function createCaseService<M extends Record<string, Model<any>>>(spec: {
  name: string;
  cfg: CaseServiceConfig;
  logger: Logger;
  models: (conn: Connection) => M;
  routes: (ctx: CaseServiceContext<M>) => RouteSpec[];
  warnings?: HttpServiceOptions['warnings'];
  /** Runs once the service listens (e.g. background set-up); its returned function runs first on stop. */
  afterStart?: (ctx: CaseServiceContext<M>) => Promise<(() => void | Promise<void>) | void>;
}) {
  const { cfg, logger } = spec;
  let conn: Connection | undefined;
  let temporalConn: TemporalConnection | undefined;
  let close: (() => Promise<void>) | undefined;
  let cleanup: (() => void | Promise<void>) | void;
  return {
    port: 0,
    models: undefined as M | undefined,
    async start(): Promise<number> {
      let models: M;
      ({ conn, models } = await connectModels(cfg.MONGO_URL, cfg.MONGO_DB, spec.models, cfg, logger));
      this.models = models;
      const temporal = await connectTemporal(cfg);
      temporalConn = temporal.connection;
      const ctx = { models, temporal: temporal.client };
      const listening = await startHttpService({
        name: spec.name,
        logger,
        metrics: createMetrics(spec.name),
        auth: jwtAuth(cfg),
        security: cfg,
        routes: spec.routes(ctx),
        health: { mongo: () => mongoHealthy(conn!), temporal: temporal.healthy },
        ...(spec.warnings ? { warnings: spec.warnings } : {}),
        port: cfg.HTTP_PORT,
        host: cfg.HTTP_HOST,
      });
      close = listening.close;
      this.port = listening.port;
      cleanup = await spec.afterStart?.(ctx);
      return listening.port;
    },
    async stop(): Promise<void> {
      await cleanup?.();
      await close?.();
      await temporalConn?.close();
      await conn?.close();
    },
  };
}
