// The citizen service's configuration: environment variable → type, validated at start-up.
import { z } from 'zod';
import { caseServiceConfigSchema } from '@duban/platform';

export const configSchema = caseServiceConfigSchema(
  { db: 'duban_citizen', port: 4008 },
  {
    SUGGESTIONS_URL: z.url({ message: 'must be the suggestions service base URL, e.g. http://127.0.0.1:4002' }),
  },
);
export type CitizenConfig = z.infer<typeof configSchema>;
