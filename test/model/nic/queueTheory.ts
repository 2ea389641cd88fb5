/**
 * Blocking probability of M/G/1/K with deterministic service (M/D/1/K), written out for the NIC
 * tests independently of the model. Embedded Markov chain at departure epochs on {0..K-1} with
 * a_k = P(k Poisson arrivals in one service) = e^-r r^k / k!, r = lambda D; then by PASTA the
 * time-stationary p_K = 1 - 1 / (pi_0 + r) is the blocking probability (Gross & Harris,
 * Fundamentals of Queueing Theory, 4th ed., section 5.1.5 "M/G/1/K").
 */
export function md1kBlocking(lambdaPerNs: number, serviceNs: number, k: number): number {
  const r = lambdaPerNs * serviceNs;
  const a = poissonTerms(r, k);
  // Forward recursion of the balance equations pi_j = pi_0 a_j + sum_{i=1}^{j+1} pi_i a_{j-i+1}
  // (j <= K-2), solved for pi_{j+1} with pi_0 = 1, then normalised.
  const pi = [1];
  for (let j = 0; j < k - 1; j++) {
    let rest = pi[j]! - pi[0]! * a[j]!;
    for (let i = 1; i <= j; i++) rest -= pi[i]! * a[j - i + 1]!;
    pi.push(rest / a[0]!);
  }
  const total = pi.reduce((x, y) => x + y, 0);
  return 1 - 1 / (pi[0]! / total + r);
}

function poissonTerms(r: number, k: number): number[] {
  const a: number[] = [];
  let term = Math.exp(-r);
  for (let i = 0; i < k + 1; i++) {
    a.push(term);
    term = (term * r) / (i + 1);
  }
  return a;
}

/** The same by power iteration on the transition matrix (slow; a cross-check for small K). */
export function md1kBlockingPowerIteration(lambdaPerNs: number, serviceNs: number, k: number): number {
  const r = lambdaPerNs * serviceNs;
  const a: number[] = [];
  let term = Math.exp(-r);
  for (let i = 0; i < k + 1; i++) {
    a.push(term);
    term = (term * r) / (i + 1);
  }
  const n = k; // states 0..K-1
  // Transition matrix P[i][j] (departure leaves j behind when departure before left i).
  const P: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const base = Math.max(i - 1, 0);
    let acc = 0;
    for (let j = base; j < n - 1; j++) {
      const pij = a[j - base]!;
      P[i]![j] = pij;
      acc += pij;
    }
    P[i]![n - 1] = 1 - acc;
  }
  // Solve pi (P - I) = 0 with sum pi = 1 by power iteration on a well-conditioned chain (small K).
  let pi = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < 20_000; it++) {
    const next = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) next[j]! += pi[i]! * P[i]![j]!;
    let diff = 0;
    for (let j = 0; j < n; j++) diff += Math.abs(next[j]! - pi[j]!);
    pi = next;
    if (diff < 1e-15) break;
  }
  return 1 - 1 / (pi[0]! + r);
}

/** M/M/1/K blocking: (1 - rho) rho^K / (1 - rho^(K+1)). */
export function mm1kBlocking(lambdaPerNs: number, serviceNs: number, k: number): number {
  const rho = lambdaPerNs * serviceNs;
  if (Math.abs(rho - 1) < 1e-12) return 1 / (k + 1);
  return ((1 - rho) * rho ** k) / (1 - rho ** (k + 1));
}
