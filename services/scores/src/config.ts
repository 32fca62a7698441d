// The scores service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { readServiceConfigShape, registryUrl } from '@duban/platform';

export const configSchema = z.object({
  // KAFKA_GROUP_ID is the live consumer group; a rebuild replays into a new group `<this>-rebuild-<timestamp>`.
  ...readServiceConfigShape({ db: 'duban_scores', group: 'duban-scores', port: 4005 }),
  REGISTRY_URL: registryUrl,
  /** How long a jurisdiction's policy read from the registry is reused; 0 reads it every time. */
  POLICY_CACHE_SECONDS: z.coerce.number().int().min(0).max(86400).default(60),
});
export type ScoresConfig = z.infer<typeof configSchema>;
/** What the app takes: the parsed config less the log level (the logger is passed in). */
export type ScoresAppConfig = Omit<ScoresConfig, 'LOG_LEVEL'>;
