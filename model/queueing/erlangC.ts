/**
 * M/M/c steady state (Erlang C): Poisson arrivals at rate lambda, c servers with exponential
 * service at rate mu each, FCFS, infinite waiting room; valid for rho = lambda / (c mu) < 1.
 * Kleinrock, Queueing Systems Vol. 1 (1975), section 3.5; Gross & Harris, Fundamentals of
 * Queueing Theory, section 2.3.
 */

export interface MmcSteadyState {
  /** Server utilisation rho = lambda / (c mu). */
  utilization: number;
  /** Probability that an arrival has to wait (the Erlang C formula). */
  waitProbability: number;
  /** Mean waiting time in queue Wq, in the unit of 1/rate. */
  meanWait: number;
  /** Mean time in system W = Wq + 1/mu. */
  meanSojourn: number;
  /** Mean number waiting Lq = lambda Wq. */
  meanQueueLength: number;
  /** Mean number in system L = lambda W. */
  meanInSystem: number;
  /** q-quantile of the waiting time: P(Wq > t) = C e^{-(c mu - lambda) t}. */
  waitQuantile(q: number): number;
}

export function erlangC(arrivalRate: number, serviceRate: number, servers: number): MmcSteadyState {
  if (!(arrivalRate > 0)) throw new RangeError(`arrivalRate must be > 0, got ${arrivalRate}`);
  if (!(serviceRate > 0)) throw new RangeError(`serviceRate must be > 0, got ${serviceRate}`);
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be a positive integer, got ${servers}`);
  const a = arrivalRate / serviceRate;
  const rho = a / servers;
  if (!(rho < 1)) throw new RangeError(`M/M/c is unstable: rho = ${rho} must be < 1`);
  // sum_{k<c} a^k/k! and a^c/c!, built iteratively so large c does not overflow.
  let term = 1;
  let sum = 1;
  for (let k = 1; k < servers; k++) {
    term *= a / k;
    sum += term;
  }
  const top = (term * a) / servers / (1 - rho);
  const waitProbability = top / (sum + top);
  const decayRate = servers * serviceRate - arrivalRate;
  const meanWait = waitProbability / decayRate;
  const meanSojourn = meanWait + 1 / serviceRate;
  return {
    utilization: rho,
    waitProbability,
    meanWait,
    meanSojourn,
    meanQueueLength: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
    waitQuantile(q: number): number {
      if (!(q >= 0 && q < 1)) throw new RangeError(`q must be in [0, 1), got ${q}`);
      // P(Wq <= t) = 1 - C e^{-d t}; the atom at 0 has mass 1 - C.
      return q <= 1 - waitProbability ? 0 : Math.log(waitProbability / (1 - q)) / decayRate;
    },
  };
}
