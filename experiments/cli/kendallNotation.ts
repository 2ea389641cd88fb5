/**
 * Kendall's A/S/c notation for a queue with Poisson arrivals: M (exponential), D (deterministic),
 * Ek (Erlang-k), H2 (two-phase hyperexponential), G (anything else) for the service time.
 */
import type { Distribution } from '../../model/engine/distributions/index.ts';

export function serviceSymbol(service: Distribution): string {
  switch (service.kind) {
    case 'exponential':
      return 'M';
    case 'deterministic':
      return 'D';
    case 'erlang':
      // describe() is "erlang:K:MEAN".
      return `E${service.describe().split(':')[1]}`;
    case 'hyperexponential':
      return 'H2';
    default:
      return 'G';
  }
}

/** e.g. "M/M/2", "M/D/1", "M/E4/3", "M/G/2". */
export function poissonQueueNotation(service: Distribution, servers: number): string {
  return `M/${serviceSymbol(service)}/${servers}`;
}
