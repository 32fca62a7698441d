// The oversight service's configuration: environment variable → type, validated at start-up.
import type { z } from 'zod';
import { caseServiceConfigSchema } from '@duban/platform';

export const configSchema = caseServiceConfigSchema({ db: 'duban_oversight', port: 4007 });
export type OversightConfig = z.infer<typeof configSchema>;
