import { z } from 'zod';

/** A decimal amount as a number or a decimal string ("1250.50"); kept exact. */
const decimal = z.union([
  z.number().finite(),
  z.string().regex(/^-?\d+(\.\d+)?$/, 'use a decimal number like 1250.50'),
]);
const nonNegative = decimal.refine((v) => Number(v) >= 0, 'must not be negative');

/** The fully loaded cost model of a program (Phillips), as an admin enters it. */
export const costModelSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'use an ISO 4217 code like USD')
      .default('USD'),
    development: z
      .object({ total: nonNegative, offerings: z.number().int().min(1) })
      .strict()
      .optional(),
    delivery: nonNegative.optional(),
    platform: nonNegative.optional(),
    facilitation: nonNegative.optional(),
    participantTime: z
      .object({
        hoursPerParticipant: nonNegative,
        hourlyWage: nonNegative,
        benefitsLoad: nonNegative,
        participants: z.number().int().min(0),
      })
      .strict()
      .optional(),
    evaluation: nonNegative.optional(),
    other: z
      .array(z.object({ label: z.string().trim().min(1).max(200), amount: nonNegative }).strict())
      .max(50)
      .optional(),
  })
  .strict();

export type CostModelInputJson = z.input<typeof costModelSchema>;

const outcomeName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'use a lowercase name like absence_days');

/** The money value of one unit of an outcome, with where that value comes from and how sure we are. */
export const assumptionSchema = z
  .object({
    outcome: outcomeName,
    perspective: z.enum(['employer', 'employee']).default('employer'),
    label: z.string().trim().min(1).max(200),
    unit: z.string().trim().min(1).max(50),
    valuePerUnit: decimal,
    source: z
      .string()
      .trim()
      .min(1, 'say where the value comes from (a study, finance, a benchmark)')
      .max(1000),
    confidencePercent: z.number().gt(0).max(100),
  })
  .strict();

export type AssumptionInput = z.input<typeof assumptionSchema>;

/** An attributed effect per participant per year, with the method that estimated it. */
export const effectSchema = z
  .object({
    outcome: outcomeName,
    unitsPerParticipant: decimal,
    lower: decimal.optional(),
    upper: decimal.optional(),
    participants: z.number().int().min(1),
    method: z.enum(['randomized', 'did', 'psm', 'trend', 'manual']),
    note: z.string().max(2000).default(''),
  })
  .strict()
  .refine((e) => (e.lower === undefined) === (e.upper === undefined), {
    message: 'give both lower and upper, or neither',
  })
  .refine((e) => e.lower === undefined || Number(e.lower) <= Number(e.upper), {
    message: 'lower is above upper',
  });

export type EffectInput = z.input<typeof effectSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-03-31');

export const eventSchema = z
  .object({
    startsOn: isoDate,
    endsOn: isoDate.optional(),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).default(''),
    /** True for an event that touches every program of the tenant (a plan rule change, a market shift). */
    tenantWide: z.boolean().default(false),
  })
  .strict()
  .refine((e) => !e.endsOn || e.startsOn <= e.endsOn, { message: 'the event ends before it starts' });

export const evidenceSchema = z
  .object({
    kind: z.enum(['manager_note', 'case_study', 'quote', 'other']),
    title: z.string().trim().min(1).max(200),
    body: z.string().min(1).max(50000),
    author: z.string().max(200).default(''),
    recordedOn: isoDate.optional(),
  })
  .strict();
