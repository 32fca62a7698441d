// The livelihood routes' path parameters, list queries and role sets.
import { z } from 'zod';
import type { Role } from '@duban/platform';
import { lowerId } from './actions';

export const cycleIdParam = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}$/, 'must look like livelihood-cn-zj-demo-city-2027');
export const projectIdParam = z
  .string()
  .regex(/^livelihood-[a-z0-9-]+-\d{4}-p\d{2,}$/, 'must look like livelihood-cn-zj-demo-city-2027-p01');

export const listQuery = z
  .object({
    jurisdiction: lowerId.optional(),
    year: z.coerce.number().int().min(2000).max(2999).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export const projectListQuery = z
  .object({
    unit: lowerId.optional(),
    jurisdiction: lowerId.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(100),
  })
  .strict();
export const CYCLE_START_ROLES: readonly Role[] = ['staff', 'operator'];

export const ALL: readonly Role[] = ['deputy', 'unit', 'staff', 'citizen', 'operator'];
