/**
 * Textbook closed forms, written out here independently of model/queueing so that the suite
 * checks the simulator against the formulas and the library's formulas against the textbook
 * (each by a different computational route). Rates are per unit time; the unit is the caller's.
 * References: Kleinrock, Queueing Systems Vol. 1 (1975); Gross & Harris, Fundamentals of
 * Queueing Theory (4th ed.), sections 2.2-2.5 and 5.1; Jackson (1957).
 */

/** M/M/1: P(wait > 0) = rho, Wq = rho / (mu - lambda), W = 1 / (mu - lambda), Lq = rho^2 / (1 - rho). */
export function mm1(lambda: number, mu: number) {
  const rho = lambda / mu;
  return {
    rho,
    meanWait: rho / (mu - lambda),
    meanSojourn: 1 / (mu - lambda),
    meanQueueLength: (rho * rho) / (1 - rho),
    meanInSystem: rho / (1 - rho),
    /** P(Wq > t) = rho e^{-(mu - lambda) t}: the q-quantile is 0 while q <= 1 - rho. */
    waitQuantile: (q: number): number => (q <= 1 - rho ? 0 : Math.log(rho / (1 - q)) / (mu - lambda)),
  };
}

/**
 * M/M/c via the Erlang B recursion B(k) = a B(k-1) / (k + a B(k-1)) and
 * C = c B / (c - a (1 - B)) (Erlang C from Erlang B), a = lambda / mu.
 */
export function mmc(lambda: number, mu: number, c: number) {
  const a = lambda / mu;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const waitProbability = (c * b) / (c - a * (1 - b));
  const meanWait = waitProbability / (c * mu - lambda);
  return {
    rho: a / c,
    waitProbability,
    meanWait,
    meanSojourn: meanWait + 1 / mu,
    meanQueueLength: lambda * meanWait,
  };
}

/** Pollaczek-Khinchine mean wait: Wq = lambda E[S^2] / (2 (1 - lambda E[S])). */
export function pkMeanWait(lambda: number, es: number, es2: number): number {
  return (lambda * es2) / (2 * (1 - lambda * es));
}

/**
 * M/M/c/K stationary distribution in closed form: p_n = p_0 a^n / n! for n <= c and
 * p_0 a^c / c! (a / c)^{n - c} for c < n <= K. Blocking (PASTA) = p_K; admitted rate
 * lambda (1 - p_K); Little's law gives the waits of admitted customers.
 */
export function mmck(lambda: number, mu: number, c: number, k: number) {
  const a = lambda / mu;
  let fact = 1;
  for (let i = 2; i <= c; i++) fact *= i;
  const weight = (n: number): number => {
    if (n <= c) {
      let f = 1;
      for (let i = 2; i <= n; i++) f *= i;
      return a ** n / f;
    }
    return ((a ** c) / fact) * (a / c) ** (n - c);
  };
  let total = 0;
  for (let n = 0; n <= k; n++) total += weight(n);
  let l = 0;
  let lq = 0;
  let busy = 0;
  for (let n = 0; n <= k; n++) {
    const p = weight(n) / total;
    l += n * p;
    lq += Math.max(0, n - c) * p;
    busy += Math.min(n, c) * p;
  }
  const blocking = weight(k) / total;
  const admitted = lambda * (1 - blocking);
  return { blocking, meanInSystem: l, meanQueueLength: lq, utilization: busy / c, meanWait: lq / admitted, meanSojourn: l / admitted };
}

/** |actual - expected| <= rel |expected| (for deterministic quantities only). */
export function relClose(actual: number, expected: number, rel = 1e-12): boolean {
  return Math.abs(actual - expected) <= rel * Math.abs(expected);
}

/**
 * GI/M/1 (Gross & Harris section 6.3): sigma is the smallest root of sigma = A*(mu (1 - sigma)),
 * found here by the fixed-point iteration sigma_{n+1} = A*(mu (1 - sigma_n)) from 0 (monotone,
 * converging to the smallest root), a different route from the library's bisection.
 * Wq = sigma / (mu (1 - sigma)).
 */
export function gim1MeanWait(laplace: (s: number) => number, mu: number): { sigma: number; meanWait: number } {
  let sigma = 0;
  for (let i = 0; i < 1_000_000; i++) {
    const next = laplace(mu * (1 - sigma));
    if (Math.abs(next - sigma) < 1e-15) break;
    sigma = next;
  }
  return { sigma, meanWait: sigma / (mu * (1 - sigma)) };
}
