/**
 * A capacity plan for one cluster (`svcpath plan`): for each node class and datapath, what a node
 * sees today and as the cluster grows, and what breaks first. Each point is a model run on the
 * cluster's own inputs (clusterSpecs.ts):
 *   - simulatePath on a node of the class at the cluster's Service count, endpoints and real
 *     KUBE-SERVICES positions, at the per-node connection rate: first-packet p50 and p99, drops,
 *     core utilisation, and the conntrack table's steady-state fill at that rate;
 *   - simulatePropagation on the cluster's node count and size, with its kube-proxy minSyncPeriod:
 *     the network programming latency p99 (once per proxy and size; it does not depend on the
 *     node class or the connection rate);
 *   - with a conntrack count from one of the cluster's nodes, the measured fill of the table (of
 *     the cluster's own datapath) at each connection growth;
 *   - on a cloud VM's class, the connection rate over what its allowances pass after the burst
 *     (the path model has no cloud shaper in front of its NIC: cloudConnectionRateBound).
 * Growth is one quantity at a time (Services, endpoints per Service, connections per second) by each
 * factor. A point breaks when its first-packet p99 passes the SLO, it drops a packet in 1000 or
 * more, its conntrack table is full, its rate exceeds a cloud allowance, or programming latency p99
 * passes its SLO (or never drains).
 * Pure: the runs are deterministic for the seed, and `onRun` only reports progress.
 */
import { CAPACITY_MAX_DROP_FRACTION } from '../datapaths/capacity.ts';
import { datapathSpec, type DatapathName } from '../datapaths/datapathSpec.ts';
import { pathRunSpec } from '../datapaths/pathRunSpec.ts';
import { simulatePath } from '../datapaths/simulatePath.ts';
import { simulatePropagation } from '../controlplane/propagation.ts';
import type { ClusterProfile, NodeClass } from './clusterProfile.ts';
import { clusterPropagationFields, clusterServices, clusterSpecFields, nodeClassPreset, propagationProxy, workerClasses, type ClusterGrowth } from './clusterSpecs.ts';
import { cloudConnectionRateBound } from '../node/cloudConnectionBound.ts';

export const PLAN_DIMENSIONS = ['services', 'endpoints', 'connections'] as const;
export type PlanDimension = (typeof PLAN_DIMENSIONS)[number];

export const BREAK_CAUSES = ['first-packet p99', 'drops', 'conntrack full', 'cloud allowance', 'programming latency'] as const;
export type BreakCause = (typeof BREAK_CAUSES)[number];

export interface PlanOptions {
  readonly datapaths: readonly DatapathName[];
  /** Growth factors, each > 0 (1, the cluster as it is, is always planned). */
  readonly growth: readonly number[];
  /** Node classes by name; default: every class with workers. */
  readonly nodeClasses?: readonly string[];
  /** New connections per second per node today. */
  readonly connectionsPerSec: number;
  /** First-packet p99 limit, µs. */
  readonly sloP99Us: number;
  /** Network programming latency p99 limit, s. */
  readonly programmingSloSec: number;
  /** Endpoint changes per second across the cluster (default: the calibration table's). */
  readonly churnPerSec?: number;
  readonly seed: number;
  /** Packets a path run simulates at most (run length, not a model quantity). */
  readonly packetBudget: number;
  /** Simulated seconds of a propagation run (default: the calibration table's). */
  readonly propagationDurationSec?: number;
  /** Called before each run with what it is (progress). */
  readonly onRun?: (what: string, done: number, total: number) => void;
}

export interface PlanPoint {
  readonly nodeClass: string;
  readonly datapath: DatapathName;
  readonly dimension: PlanDimension;
  readonly factor: number;
  readonly services: number;
  readonly endpointsPerService: number;
  readonly connectionsPerSec: number;
  readonly positionsFrom: 'iptables-save' | 'uniform';
  readonly firstPacketP50Us: number;
  readonly firstPacketP99Us: number;
  readonly dropFraction: number;
  readonly coreUtilization: number;
  /** Steady-state entries at this rate (model) and the table's capacity on this node. */
  readonly conntrackEntries: number;
  readonly conntrackCapacityEntries: number;
  readonly conntrackFill: number;
  /** The measured count grown with the connection rate over the capacity; null without a count or for another datapath. */
  readonly measuredConntrackFill: number | null;
  /**
   * A cloud VM's class: the connection rate over what its PPS and bandwidth allowances pass once
   * the burst credits are spent (cloudConnectionRateBound); null for a node without allowances.
   */
  readonly cloudAllowanceFill: number | null;
  readonly programmingP99Sec: number;
  /** (change, node) pairs still waiting at the end of the propagation run: a backlog that does not drain. */
  readonly programmingBacklog: number;
  readonly fullSyncSec: number;
  readonly breaks: readonly BreakCause[];
}

export interface FirstBreak {
  readonly nodeClass: string;
  readonly datapath: DatapathName;
  readonly dimension: PlanDimension;
  /** The smallest factor at which something breaks; null when nothing does up to the largest factor. */
  readonly factor: number | null;
  readonly causes: readonly BreakCause[];
}

export interface CapacityPlan {
  readonly cluster: string;
  readonly proxyMode: string;
  readonly currentDatapath: DatapathName | null;
  readonly nodes: number;
  readonly nodeClasses: readonly NodeClass[];
  readonly servicePortsWithEndpoints: number;
  readonly endpointsPerServicePortMean: number;
  readonly kubeServicesRules: number | null;
  readonly conntrackEntriesMeasured: number | null;
  readonly options: Omit<PlanOptions, 'onRun'>;
  readonly points: readonly PlanPoint[];
  readonly firstBreaks: readonly FirstBreak[];
}

const grow = (dimension: PlanDimension, factor: number): ClusterGrowth => ({
  services: dimension === 'services' ? factor : 1,
  endpoints: dimension === 'endpoints' ? factor : 1,
  connections: dimension === 'connections' ? factor : 1,
});

function checkOptions(o: PlanOptions): void {
  if (o.datapaths.length === 0) throw new RangeError('datapaths must name at least one datapath');
  if (o.growth.length === 0 || o.growth.some((g) => !(g > 0 && Number.isFinite(g)))) throw new RangeError(`growth must be finite factors > 0, got ${o.growth.join(', ')}`);
  for (const [k, v] of [['connectionsPerSec', o.connectionsPerSec], ['sloP99Us', o.sloP99Us], ['programmingSloSec', o.programmingSloSec], ['packetBudget', o.packetBudget]] as const) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`${k} must be a finite number > 0, got ${v}`);
  }
}

export function planCapacity(profile: ClusterProfile, o: PlanOptions): CapacityPlan {
  checkOptions(o);
  const factors = [...new Set([1, ...o.growth])].sort((a, b) => a - b);
  const classes: (NodeClass | null)[] =
    o.nodeClasses === undefined ? workerClasses(profile) : o.nodeClasses.map((n) => profile.nodeClasses.find((k) => k.name === n) ?? null);
  if (o.nodeClasses !== undefined) {
    const missing = o.nodeClasses.filter((n, i) => classes[i] === null);
    if (missing.length > 0) throw new RangeError(`node class "${missing[0]}" is not in the profile; allowed: ${profile.nodeClasses.map((k) => `"${k.name}"`).join(', ')}`);
  }
  if (classes.length === 0) classes.push(null);
  const dims = (f: number): PlanDimension[] => (f === 1 ? ['services'] : [...PLAN_DIMENSIONS]);
  const pathRuns = classes.length * o.datapaths.length * factors.reduce((n, f) => n + dims(f).length, 0);
  const proxies = [...new Set(o.datapaths.map(propagationProxy))];
  const propagationRuns = proxies.length * factors.reduce((n, f) => n + (f === 1 ? 1 : 2), 0);
  const total = pathRuns + propagationRuns;
  let done = 0;

  // Programming latency per (proxy, dimension, factor); connection growth leaves it as it is.
  const propagation = new Map<string, { p99: number; backlog: number; fullSyncSec: number }>();
  const propagationKey = (proxy: string, d: PlanDimension, f: number): string => JSON.stringify([proxy, d === 'connections' || f === 1 ? 'none' : d, f === 1 || d === 'connections' ? 1 : f]);
  for (const proxy of proxies) {
    const datapath = o.datapaths.find((d) => propagationProxy(d) === proxy)!;
    for (const f of factors) {
      for (const d of f === 1 ? (['services'] as const) : (['services', 'endpoints'] as const)) {
        o.onRun?.(`propagation ${proxy}, ${f === 1 ? 'today' : `${d} x${f}`}`, done++, total);
        const size = clusterPropagationFields(profile, datapath, grow(d, f));
        const r = simulatePropagation({
          proxy, ...size, seed: o.seed,
          ...(o.churnPerSec === undefined ? {} : { churnPerSec: o.churnPerSec }),
          ...(o.propagationDurationSec === undefined ? {} : { durationSec: o.propagationDurationSec }),
        });
        propagation.set(propagationKey(proxy, d, f), { p99: r.programmingLatencySec.p99, backlog: r.unprogrammed, fullSyncSec: r.fullSyncSec });
      }
    }
  }

  const points: PlanPoint[] = [];
  for (const k of classes) {
    const className = k?.name ?? 'typical node';
    for (const datapath of o.datapaths) {
      const todayByDim = new Map<string, PlanPoint>();
      for (const f of factors) {
        for (const d of dims(f)) {
          o.onRun?.(`path ${className}, ${datapath}, ${f === 1 ? 'today' : `${d} x${f}`}`, done++, total);
          const g = grow(d, f);
          const fields = clusterSpecFields(profile, k, datapath, o.connectionsPerSec, g);
          const svc = clusterServices(profile, datapath, g);
          const spec = pathRunSpec(datapathSpec(fields), o.packetBudget);
          const r = simulatePath(spec, o.seed);
          const cloud = k === null ? undefined : nodeClassPreset(k).cloud;
          const prop = propagation.get(propagationKey(propagationProxy(datapath), d, f))!;
          const measured =
            profile.conntrackEntries !== null && datapath === profile.proxy.datapath ? (profile.conntrackEntries * g.connections) / r.conntrackCapacityEntries : null;
          const point = evaluate({
            nodeClass: className, datapath, dimension: d, factor: f,
            services: spec.services, endpointsPerService: spec.endpointsPerService, connectionsPerSec: spec.connectionsPerSec, positionsFrom: svc.positionsFrom,
            firstPacketP50Us: r.firstPacketRttUs.p50, firstPacketP99Us: r.firstPacketRttUs.p99,
            dropFraction: r.dropFraction, coreUtilization: r.coreUtilization,
            conntrackEntries: r.conntrackEntries, conntrackCapacityEntries: r.conntrackCapacityEntries, conntrackFill: r.conntrackEntries / r.conntrackCapacityEntries,
            measuredConntrackFill: measured,
            cloudAllowanceFill: cloud === undefined ? null : spec.connectionsPerSec / cloudConnectionRateBound(spec, cloud).boundPerSec,
            programmingP99Sec: prop.p99, programmingBacklog: prop.backlog, fullSyncSec: prop.fullSyncSec,
          }, o);
          if (f === 1) for (const dim of PLAN_DIMENSIONS) todayByDim.set(dim, { ...point, dimension: dim });
          else points.push(point);
        }
      }
      // Today's point heads each dimension's series.
      for (const dim of PLAN_DIMENSIONS) points.push(todayByDim.get(dim)!);
    }
  }
  const { onRun: _progress, ...options } = o;
  points.sort((a, b) => a.nodeClass.localeCompare(b.nodeClass) || o.datapaths.indexOf(a.datapath) - o.datapaths.indexOf(b.datapath) || PLAN_DIMENSIONS.indexOf(a.dimension) - PLAN_DIMENSIONS.indexOf(b.dimension) || a.factor - b.factor);
  return {
    cluster: profile.name,
    proxyMode: profile.proxyMode,
    currentDatapath: profile.proxy.datapath,
    nodes: profile.nodes,
    nodeClasses: classes.filter((k): k is NodeClass => k !== null),
    servicePortsWithEndpoints: profile.servicePortsWithEndpoints,
    endpointsPerServicePortMean: profile.endpointsPerServicePort.mean,
    kubeServicesRules: profile.kubeServicesRules,
    conntrackEntriesMeasured: profile.conntrackEntries,
    options,
    points,
    firstBreaks: firstBreaks(points),
  };
}

function evaluate(p: Omit<PlanPoint, 'breaks'>, o: PlanOptions): PlanPoint {
  const breaks: BreakCause[] = [];
  if (!(p.firstPacketP99Us <= o.sloP99Us)) breaks.push('first-packet p99');
  if (p.dropFraction >= CAPACITY_MAX_DROP_FRACTION) breaks.push('drops');
  if (p.conntrackFill >= 1 || (p.measuredConntrackFill ?? 0) >= 1) breaks.push('conntrack full');
  if ((p.cloudAllowanceFill ?? 0) >= 1) breaks.push('cloud allowance');
  if (!(p.programmingP99Sec <= o.programmingSloSec) || p.programmingBacklog > 0) breaks.push('programming latency');
  return { ...p, breaks };
}

/** For each class, datapath and dimension, the smallest factor at which a point breaks. */
export function firstBreaks(points: readonly PlanPoint[]): FirstBreak[] {
  const groups = new Map<string, PlanPoint[]>();
  for (const p of points) {
    const key = JSON.stringify([p.nodeClass, p.datapath, p.dimension]);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = []));
    g.push(p);
  }
  return [...groups.values()].map((g) => {
    const first = [...g].sort((a, b) => a.factor - b.factor).find((p) => p.breaks.length > 0);
    const p = g[0]!;
    return { nodeClass: p.nodeClass, datapath: p.datapath, dimension: p.dimension, factor: first?.factor ?? null, causes: first?.breaks ?? [] };
  });
}
