/**
 * Thrown by the pure statistics and ROI calculators when their input cannot give a meaningful answer:
 * an empty sample, too few observations for the requested estimate, a non-finite value, a probability
 * outside its range. The message says which argument was wrong and what the caller can do about it, so a
 * report service can show it to the analyst as is.
 *
 * Calculators have no knowledge of HTTP or of the application's `AppError` family; a service that calls
 * them maps this class to its own `invalid` error.
 */
export class StatsInputError extends Error {
  /** The name of the offending argument, e.g. `"x"` or `"confidence"`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.name = 'StatsInputError';
    this.argument = argument;
  }
}
