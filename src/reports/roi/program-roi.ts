import { benefitModel, type BenefitModel, type BenefitModelInput } from './benefit-model.js';
import { fullyLoadedCost, type CostBreakdown, type CostModelInput } from './cost-model.js';
import { phillipsRoi, type RoiResult } from './phillips.js';

/** A program's monetization assumptions and cost inputs, at one scope (e.g. one cohort). */
export interface ProgramInput {
  benefit: BenefitModelInput;
  cost: CostModelInput;
}

/** Benefit model, cost breakdown and the resulting ROI. */
export interface ProgramRoi {
  benefit: BenefitModel;
  cost: CostBreakdown;
  roi: RoiResult;
}

/**
 * ROI of a program from its models: benefit = present value over the horizon (benefit-model.ts),
 * cost = fully loaded total (cost-model.ts), payback from the first-year benefit actually used
 * (adjusted or not, as the benefit model says).
 *
 * @throws StatsInputError from either model, or when the total cost is zero.
 */
export function programRoi(program: ProgramInput): ProgramRoi {
  const benefit = benefitModel(program.benefit);
  const cost = fullyLoadedCost(program.cost);
  const roi = phillipsRoi({
    benefit: benefit.presentValue,
    cost: cost.total,
    annualBenefit: benefit.annualUsed,
  });
  return { benefit, cost, roi };
}
