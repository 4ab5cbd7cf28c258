import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-03-31');
const windowSchema = z
  .object({ start: isoDate.nullable(), end: isoDate.nullable() })
  .refine((w) => !w.start || !w.end || w.start <= w.end, { message: 'the window ends before it starts' });

/** What an admin gives to set up a program. */
export const newProgramSchema = z
  .object({
    name: z.string().trim().min(1, 'give the program a name').max(200),
    description: z.string().max(5000).default(''),
    targetOutcomes: z.array(z.string().trim().min(1)).max(20).default([]),
    preWindow: windowSchema.optional(),
    postWindow: windowSchema.optional(),
    leadingCadence: z.enum(['daily', 'weekly', 'monthly']).default('weekly'),
    laggingCadence: z.enum(['monthly', 'quarterly', 'yearly']).default('quarterly'),
    moneyPerspective: z.enum(['employer', 'employee']).default('employer'),
    benefitHorizonYears: z.number().int().min(1).max(10).default(1),
    discountRate: z.number().min(0, 'a rate cannot be negative').max(0.99).default(0.05),
    effectDecay: z.number().min(0, 'use a share from 0 to 1').max(1, 'use a share from 0 to 1').default(0.2),
    kpiRules: z
      .object({
        attemptPolicy: z.enum(['first', 'best', 'latest'], {
          message: 'choose which post-test attempt counts: first, best or latest',
        }),
        denominator: z.enum(['assigned', 'enrolled-now'], {
          message: 'choose who rates divide by: assigned (everyone assigned) or enrolled-now',
        }),
      })
      .strict()
      .default({ attemptPolicy: 'first', denominator: 'assigned' }),
  })
  .strict();

export type NewProgramInput = z.input<typeof newProgramSchema>;

const armSchema = z.object({
  name: z.string().trim().min(1).max(100),
  ratio: z.number().int().min(1).max(10).default(1),
});

/** How to randomize a program's pool of people into arms. */
export const randomizeSchema = z
  .object({
    algorithm: z.enum(['simple', 'permuted-blocks']).default('permuted-blocks'),
    arms: z
      .array(armSchema)
      .min(2)
      .default([
        { name: 'Treatment', ratio: 1 },
        { name: 'Control', ratio: 1 },
      ]),
    seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    blockSizes: z.array(z.number().int().min(2)).min(1).default([4]),
    strata: z.array(z.string().trim().min(1)).max(5).default([]),
    pool: z
      .object({
        criteria: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
        employeeIds: z.array(z.string().trim().min(1)).optional(),
      })
      .default({}),
  })
  .strict();

export type RandomizeInput = z.input<typeof randomizeSchema>;
