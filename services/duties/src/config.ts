// The duties service's configuration: environment variable → type, validated at start-up.
import type { z } from 'zod';
import { caseServiceConfigSchema } from '@duban/platform';

export const configSchema = caseServiceConfigSchema({ db: 'duban_duties', port: 4009 });
export type DutiesConfig = z.infer<typeof configSchema>;
