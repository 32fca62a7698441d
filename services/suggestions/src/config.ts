// The suggestions service's configuration: environment variable → type, validated at start-up.
import type { z } from 'zod';
import { caseServiceConfigSchema } from '@duban/platform';

export const configSchema = caseServiceConfigSchema({ db: 'duban_suggestions', port: 4002 });
export type SuggestionsConfig = z.infer<typeof configSchema>;
