/**
 * The error parseDistribution throws for a malformed spec. Its message names the spec, what is
 * wrong and every accepted form, so a CLI can print it as is.
 */

/** The accepted spec forms, in the order error messages list them. */
export const DISTRIBUTION_SPEC_FORMS: readonly string[] = Object.freeze([
  'exp:MEAN',
  'det:MEAN',
  'erlang:K:MEAN',
  'hyperexp:P:MEAN1:MEAN2',
  'lognormal:MEAN:CV',
  'uniform:A:B',
]);

export class DistributionSpecError extends Error {
  /** The spec exactly as given. */
  readonly spec: string;
  /** What is wrong, without the spec or the list of forms. */
  readonly reason: string;

  constructor(spec: string, reason: string) {
    super(`invalid distribution ${JSON.stringify(spec)}: ${reason}; allowed: ${DISTRIBUTION_SPEC_FORMS.join(', ')}`);
    this.name = 'DistributionSpecError';
    this.spec = spec;
    this.reason = reason;
  }
}
