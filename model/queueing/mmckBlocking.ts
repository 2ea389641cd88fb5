/**
 * M/M/c/K (finite room for K customers in total, c <= K servers): arrivals finding K in the
 * system are lost. Birth-death stationary distribution; by PASTA the blocking probability is
 * p_K. Gross & Harris, Fundamentals of Queueing Theory, section 2.5. Valid for any load.
 */

export interface MmckSteadyState {
  /** Probability that an arrival is blocked (finds K in the system). */
  blockingProbability: number;
  /** Mean number in system L. */
  meanInSystem: number;
  /** Mean number waiting Lq. */
  meanQueueLength: number;
  /** Mean time in system of admitted customers, W = L / (lambda (1 - pK)). */
  meanSojourn: number;
  /** Mean wait of admitted customers. */
  meanWait: number;
  /** Busy servers / c. */
  utilization: number;
}

export function mmckBlocking(arrivalRate: number, serviceRate: number, servers: number, capacity: number): MmckSteadyState {
  if (!(arrivalRate > 0)) throw new RangeError(`arrivalRate must be > 0, got ${arrivalRate}`);
  if (!(serviceRate > 0)) throw new RangeError(`serviceRate must be > 0, got ${serviceRate}`);
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`servers must be a positive integer, got ${servers}`);
  if (!Number.isInteger(capacity) || capacity < servers) {
    throw new RangeError(`capacity must be an integer >= servers (${servers}), got ${capacity}`);
  }
  // Unnormalised p_n, built as ratios p_n / p_{n-1} = lambda / (min(n, c) mu).
  const p = new Float64Array(capacity + 1);
  p[0] = 1;
  for (let n = 1; n <= capacity; n++) p[n] = (p[n - 1]! * arrivalRate) / (Math.min(n, servers) * serviceRate);
  let total = 0;
  for (const x of p) total += x;
  let meanInSystem = 0;
  let meanQueueLength = 0;
  let busy = 0;
  for (let n = 0; n <= capacity; n++) {
    const pn = p[n]! / total;
    meanInSystem += n * pn;
    meanQueueLength += Math.max(0, n - servers) * pn;
    busy += Math.min(n, servers) * pn;
  }
  const blockingProbability = p[capacity]! / total;
  const admittedRate = arrivalRate * (1 - blockingProbability);
  return {
    blockingProbability,
    meanInSystem,
    meanQueueLength,
    meanSojourn: meanInSystem / admittedRate,
    meanWait: meanQueueLength / admittedRate,
    utilization: busy / servers,
  };
}
