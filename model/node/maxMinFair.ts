/**
 * Max-min fair rates by progressive filling (Bertsekas and Gallager, "Data Networks", §6.5.2): all
 * flows' rates rise together until some resource is full; the flows that use it keep that rate
 * (the resource is their limiter) and the others go on rising; repeat until every flow is frozen.
 * Long-lived TCP flows with similar RTTs that share their bottlenecks end up close to this
 * allocation, which is what a fluid model of bulk throughput needs.
 *
 * Flows come in classes of identical flows (same resources, same coefficients): `count` flows,
 * each using `coef` units of resource r per unit of its rate. A shared resource carries the sum
 * over all flows; a per-flow resource (a per-flow cap, a window) gives each flow of its class the
 * whole capacity.
 */

export interface FairResource {
  /** The resource's kind: what `limitedBy` reports (e.g. 'line-rate'). */
  readonly kind: string;
  /** Units per second (a rate for shared resources; per flow for per-flow ones). */
  readonly capacity: number;
  /** Each flow of the one class that uses it gets the whole capacity. */
  readonly perFlow: boolean;
}

export interface FairUse {
  /** Index into the resources. */
  readonly resource: number;
  /** Units of the resource per unit of the flow's rate (> 0). */
  readonly coef: number;
}

export interface FairClass {
  readonly count: number;
  readonly uses: readonly FairUse[];
}

export interface FairAllocation {
  /** Rate of each flow of each class. */
  readonly rates: readonly number[];
  /** Index of the resource that froze each class (-1: a class with no flows). */
  readonly limiter: readonly number[];
  /** Load on each resource (sum over its flows of rate x coef). */
  readonly load: readonly number[];
}

/** Relative slack within which several resources count as filling at the same level. */
const LEVEL_TOLERANCE = 1e-12;

export function maxMinFair(resources: readonly FairResource[], classes: readonly FairClass[]): FairAllocation {
  for (const [i, r] of resources.entries()) {
    if (!(r.capacity >= 0) || Number.isNaN(r.capacity)) throw new RangeError(`resource ${i} (${r.kind}): capacity must be >= 0, got ${r.capacity}`);
  }
  const n = classes.length;
  const rates = new Array<number>(n).fill(0);
  const limiter = new Array<number>(n).fill(-1);
  const active = new Array<boolean>(n).fill(false);
  for (const [k, c] of classes.entries()) {
    if (!(Number.isSafeInteger(c.count) && c.count >= 0)) throw new RangeError(`class ${k}: count must be an integer >= 0, got ${c.count}`);
    for (const u of c.uses) {
      if (!(u.resource >= 0 && u.resource < resources.length)) throw new RangeError(`class ${k}: resource index ${u.resource} out of range`);
      if (!(u.coef > 0) || !Number.isFinite(u.coef)) throw new RangeError(`class ${k}: coef must be a finite number > 0, got ${u.coef}`);
    }
    if (c.count > 0) {
      if (c.uses.length === 0) throw new RangeError(`class ${k} uses no resource: its rate would be unbounded`);
      active[k] = true;
    }
  }
  const frozenLoad = new Array<number>(resources.length).fill(0);
  let remaining = active.filter(Boolean).length;
  while (remaining > 0) {
    const activeCoef = new Array<number>(resources.length).fill(0);
    for (let k = 0; k < n; k++) {
      if (!active[k]) continue;
      for (const u of classes[k]!.uses) activeCoef[u.resource]! += resources[u.resource]!.perFlow ? u.coef : classes[k]!.count * u.coef;
    }
    let level = Infinity;
    const levels = new Array<number>(resources.length).fill(Infinity);
    for (let r = 0; r < resources.length; r++) {
      if (!(activeCoef[r]! > 0)) continue;
      const res = resources[r]!;
      levels[r] = Math.max(0, (res.perFlow ? res.capacity : res.capacity - frozenLoad[r]!) / activeCoef[r]!);
      if (levels[r]! < level) level = levels[r]!;
    }
    const full = (r: number): boolean => levels[r]! <= level * (1 + LEVEL_TOLERANCE);
    for (let k = 0; k < n; k++) {
      if (!active[k]) continue;
      const hit = classes[k]!.uses.find((u) => full(u.resource));
      if (hit === undefined) continue;
      active[k] = false;
      remaining--;
      rates[k] = level;
      limiter[k] = hit.resource;
      for (const u of classes[k]!.uses) if (!resources[u.resource]!.perFlow) frozenLoad[u.resource]! += classes[k]!.count * u.coef * level;
    }
  }
  const load = new Array<number>(resources.length).fill(0);
  for (let k = 0; k < n; k++) {
    for (const u of classes[k]!.uses) load[u.resource]! += (resources[u.resource]!.perFlow ? 1 : classes[k]!.count) * u.coef * rates[k]!;
  }
  return { rates, limiter, load };
}
