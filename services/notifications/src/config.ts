// The notifications service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { readServiceConfigShape, registryUrl } from '@duban/platform';
import { LANGUAGES } from './use-cases/templates';

export const configSchema = z.object({
  ...readServiceConfigShape({ db: 'duban_notifications', group: 'duban-notifications', port: 4004 }),
  REGISTRY_URL: registryUrl,
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  SMTP_FROM: z.string().min(3).default('督办系统 <duban@localhost>'),
  /** Optional SMTP login. */
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** Where messages to the supervising committee's staff go; unset: they are parked with the reason. */
  NOTIFY_STAFF_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  NOTIFY_LANGUAGE: z.enum(LANGUAGES).default('zh'),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
  NOTIFY_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
});
export type NotificationsConfig = z.infer<typeof configSchema>;
