/**
 * Kendall's A/S/c notation for a queue: M (exponential), D (deterministic), Ek (Erlang-k),
 * H2 (two-phase hyperexponential), G (anything else), for the inter-arrival and the service time.
 */
import type { Distribution } from '../engine/distributions/index.ts';

export function kendallSymbol(d: Distribution): string {
  switch (d.kind) {
    case 'exponential':
      return 'M';
    case 'deterministic':
      return 'D';
    case 'erlang':
      // describe() is "erlang:K:MEAN".
      return `E${d.describe().split(':')[1]}`;
    case 'hyperexponential':
      return 'H2';
    default:
      return 'G';
  }
}

/** e.g. "M/M/2", "M/D/1", "E2/M/1", "D/E4/3", "M/G/2". */
export function queueNotation(interarrival: Distribution, service: Distribution, servers: number): string {
  return `${kendallSymbol(interarrival)}/${kendallSymbol(service)}/${servers}`;
}
