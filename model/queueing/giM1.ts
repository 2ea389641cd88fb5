/**
 * GI/M/1 steady state, exact: renewal arrivals with inter-arrival time A (any law with a Laplace
 * transform A*(s)), one FCFS server with exponential service at rate mu, rho = 1 / (mu E[A]) < 1.
 * An arrival finds the server busy with probability sigma, the unique root in (0, 1) of
 * sigma = A*(mu (1 - sigma)); its wait is then exponential at rate mu (1 - sigma), so
 * P(Wq > t) = sigma e^{-mu (1 - sigma) t}. Kleinrock, Queueing Systems Vol. 1 (1975), section 6.4;
 * Gross & Harris, Fundamentals of Queueing Theory, section 6.3 (G/M/1).
 */

export interface Gim1SteadyState {
  utilization: number;
  /** Probability that an arrival waits: the root sigma. */
  waitProbability: number;
  meanWait: number;
  meanSojourn: number;
  meanQueueLength: number;
  meanInSystem: number;
  waitQuantile(q: number): number;
}

/** Bisection stops when the bracket is this narrow (sigma is a probability). */
const SIGMA_TOLERANCE = 1e-14;

/**
 * @param interarrivalLaplace s -> E[e^{-sA}] for s >= 0
 * @param interarrivalMean E[A], in the unit of 1/serviceRate
 */
export function giM1(interarrivalLaplace: (s: number) => number, interarrivalMean: number, serviceRate: number): Gim1SteadyState {
  if (!(interarrivalMean > 0)) throw new RangeError(`interarrivalMean must be > 0, got ${interarrivalMean}`);
  if (!(serviceRate > 0)) throw new RangeError(`serviceRate must be > 0, got ${serviceRate}`);
  const rho = 1 / (interarrivalMean * serviceRate);
  if (!(rho < 1)) throw new RangeError(`GI/M/1 is unstable: rho = ${rho} must be < 1`);
  // f(sigma) = A*(mu (1 - sigma)) - sigma is convex with f(0) > 0, f(1) = 0 and f'(1) = 1/rho - 1 > 0,
  // so it has exactly one root in (0, 1) and is negative between that root and 1.
  const f = (sigma: number): number => interarrivalLaplace(serviceRate * (1 - sigma)) - sigma;
  let lo = 0;
  let gap = (1 - rho) / 2;
  while (f(1 - gap) >= 0) {
    gap /= 2;
    if (gap < SIGMA_TOLERANCE) throw new RangeError(`GI/M/1: no root below 1 found (rho = ${rho} too close to 1)`);
  }
  let hi = 1 - gap;
  while (hi - lo > SIGMA_TOLERANCE) {
    const mid = (lo + hi) / 2;
    if (f(mid) > 0) lo = mid;
    else hi = mid;
  }
  const sigma = (lo + hi) / 2;
  const arrivalRate = 1 / interarrivalMean;
  const decayRate = serviceRate * (1 - sigma);
  const meanWait = sigma / decayRate;
  const meanSojourn = meanWait + 1 / serviceRate;
  return {
    utilization: rho,
    waitProbability: sigma,
    meanWait,
    meanSojourn,
    meanQueueLength: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
    waitQuantile: (q: number): number => (q <= 1 - sigma ? 0 : Math.log(sigma / (1 - q)) / decayRate),
  };
}
