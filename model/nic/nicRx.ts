/**
 * The receive path of one node built from a NicModel:
 *   [cloud allowances] -> wire (physical: one link, serialisation at line rate) or vhost thread of
 *   the packet's queue pair (virtio; shared with the pair's TX direction when given the device's
 *   VhostThreads) -> RSS -> RX ring of the queue (drop-tail) -> interrupt moderation
 *   -> NAPI poll on the queue's core -> onDelivered.
 * Every drop is counted by reason. The upstream side of the wire (a switch port) is not modelled:
 * offered load above line rate waits, unbounded, for the wire.
 * A guest NIC given its VM's host side (`vmHost`, model/hypervisor) first crosses the host: the
 * host's port, NIC moderation and stack (or a VF's link and pipeline), then the queue pair's host
 * worker; the interrupt's delivery into the vCPU is added to NAPI's interrupt work. A packet with
 * `hostWireNs`, `hostModerationNs` and `hostWakeNs` fields gets where it waited on the host.
 */
import type { CpuCores } from '../cpu/cpuCores.ts';
import type { Work } from '../cpu/workCost.ts';
import { CloudShaper, type ShaperDropReason } from './cloudShaper.ts';
import { NapiPoll } from './napiPoll.ts';
import type { NetRxSoftirq } from './netRxSoftirq.ts';
import type { NicModel } from './nicModel.ts';
import type { NicPacket } from './nicPacket.ts';
import { RssQueues } from './rssQueues.ts';
import { RxRing } from './rxRing.ts';
import { VhostQueue } from './vhostQueue.ts';
import { vhostThreadsFor, type VhostThreads } from './vhostThreads.ts';
import type { VmHost } from '../hypervisor/vmHost.ts';

export type NicDropReason = 'rx-ring-full' | 'host-backlog-full' | ShaperDropReason;

export interface NicRxOptions<T extends NicPacket> {
  readonly nic: NicModel;
  readonly cores: CpuCores;
  /** Default nic.queueCount(cores.coreCount). */
  readonly queueCount?: number;
  /** Core of each queue's interrupt; default queue q -> core q mod cores. */
  readonly queueToCore?: readonly number[];
  /** CPU work to receive one packet on `core` (driver + stack + programs). */
  readonly perPacketWork: (pkt: T, core: number, poll: NapiPoll<T>) => Work;
  readonly onDelivered: (pkt: T, nowNs: number) => void;
  readonly onDropped?: (pkt: T, reason: NicDropReason, nowNs: number) => void;
  /** Physical NICs: hold frames for their wire time (default true). */
  readonly serializeOnWire?: boolean;
  /** virtio: the device's vhost threads, shared with its TX side (NicTx); default: threads of its own. */
  readonly vhostThreads?: VhostThreads;
  /** The node's NET_RX budget and ksoftirqd hand-off, shared by every queue's NAPI; default none. */
  readonly softirq?: NetRxSoftirq;
  /** A guest NIC's host side (its VM boundary); its worker threads are the vhost threads. Default none (the NIC alone). */
  readonly vmHost?: VmHost;
}

/** Where a packet waited on its VM's host before the guest's ring (set when the packet has these fields). */
interface HostStamps {
  hostWireNs?: number;
  hostModerationNs?: number;
  hostWakeNs?: number;
}

export class NicRx<T extends NicPacket> {
  readonly nic: NicModel;
  readonly rss: RssQueues;
  readonly rings: readonly RxRing<T>[];
  readonly napis: readonly NapiPoll<T>[];
  readonly vhosts: readonly VhostQueue<T>[] | undefined;
  readonly shaper: CloudShaper<T> | undefined;
  readonly drops: Record<NicDropReason, number> = {
    'rx-ring-full': 0,
    'host-backlog-full': 0,
    bw_in_allowance_exceeded: 0,
    bw_out_allowance_exceeded: 0,
    pps_allowance_exceeded: 0,
    conntrack_allowance_exceeded: 0,
    per_flow_allowance_exceeded: 0,
  };
  receivedPackets = 0;
  deliveredPackets = 0;

  private wireFreeNs = 0;
  private readonly serializeOnWire: boolean;
  private readonly onDropped: ((pkt: T, reason: NicDropReason, nowNs: number) => void) | undefined;
  private readonly cores: CpuCores;
  private readonly toNicFn = (pkt: T): void => this.toNic(pkt);
  private readonly toRingFn = (pkt: T, q: number): void => this.toRing(pkt, q);
  private readonly toVhostFn = (pkt: T, q: number): void => {
    if (!this.vhosts![q]!.arrive(pkt)) this.dropped(pkt, 'host-backlog-full', this.cores.sim.nowNs);
  };
  private readonly vmHost: VmHost | undefined;
  private readonly shaperDropFn = (pkt: T, reason: ShaperDropReason, nowNs: number): void => this.dropped(pkt, reason, nowNs);

  constructor(options: NicRxOptions<T>) {
    const { nic, cores } = options;
    this.nic = nic;
    this.cores = cores;
    const sim = cores.sim;
    const queueCount = options.queueCount ?? nic.queueCount(cores.coreCount);
    this.rss = new RssQueues(queueCount, cores.coreCount, nic.rss, options.queueToCore);
    this.serializeOnWire = options.serializeOnWire ?? true;
    this.onDropped = options.onDropped;
    const rings: RxRing<T>[] = [];
    const napis: NapiPoll<T>[] = [];
    for (let q = 0; q < queueCount; q++) {
      const ring = new RxRing<T>(sim, nic.rxRing, `${nic.name}-rx${q}`);
      rings.push(ring);
      napis.push(new NapiPoll<T>({
        ring, cores, core: this.rss.coreForQueue(q), coalescing: nic.coalescing, params: nic.napi,
        perPacketWork: options.perPacketWork,
        ...(options.softirq === undefined ? {} : { softirq: options.softirq }),
        ...(options.vmHost === undefined ? {} : { deliveryNs: options.vmHost.deliveryNs.bind(options.vmHost) }),
        onDone: (pkt, nowNs) => {
          this.deliveredPackets++;
          options.onDelivered(pkt, nowNs);
        },
      }));
    }
    this.rings = rings;
    this.napis = napis;
    this.vmHost = options.vmHost;
    if (options.vmHost !== undefined && options.vhostThreads !== undefined && options.vmHost.threads !== options.vhostThreads) {
      throw new RangeError('vhostThreads must be the vmHost\'s threads when both are given');
    }
    const threads = vhostThreadsFor(nic, queueCount, options.vmHost?.threads ?? options.vhostThreads);
    this.vhosts = threads === undefined ? undefined
      : Array.from({ length: queueCount }, (_, q) => new VhostQueue<T>(sim, threads, q, (pkt) => this.toRing(pkt, q)));
    this.shaper = nic.cloud === undefined ? undefined : new CloudShaper<T>(sim, nic.cloud);
  }

  /** A packet arrives for this node. */
  receive(pkt: T): void {
    this.receivedPackets++;
    if (this.shaper !== undefined) this.shaper.offer(pkt, 'in', this.toNicFn, this.shaperDropFn);
    else this.toNic(pkt);
  }

  /** Interrupts raised over all queues. */
  get interrupts(): number {
    let n = 0;
    for (const napi of this.napis) n += napi.interrupts;
    return n;
  }

  private toNic(pkt: T): void {
    const q = this.rss.queueForFlow(pkt.flowId);
    if (this.vmHost !== undefined) {
      this.toVmHost(pkt, q);
      return;
    }
    if (this.vhosts !== undefined) {
      if (!this.vhosts[q]!.arrive(pkt)) this.dropped(pkt, 'host-backlog-full', this.cores.sim.nowNs);
      return;
    }
    if (!this.serializeOnWire) {
      this.toRing(pkt, q);
      return;
    }
    const sim = this.cores.sim;
    const nowNs = sim.nowNs;
    const doneNs = Math.max(nowNs, this.wireFreeNs) + this.nic.frameServiceNs(pkt.frameBytes);
    this.wireFreeNs = doneNs;
    sim.schedule(Math.max(0, Math.round(doneNs) - nowNs), this.toRingFn, pkt, q);
  }

  /** Through the VM's host (port, moderation, stack; or a VF's link and pipeline), then its worker or the ring. */
  private toVmHost(pkt: T, q: number): void {
    const vm = this.vmHost!;
    const sim = this.cores.sim;
    const nowNs = sim.nowNs;
    const readyNs = vm.rxHost(q, pkt.frameBytes, nowNs);
    const stamps = pkt as HostStamps;
    if (stamps.hostWireNs !== undefined) {
      stamps.hostWireNs += vm.lastRxWireNs;
      stamps.hostModerationNs! += vm.lastRxModerationNs;
      stamps.hostWakeNs! += vm.lastRxWakeNs;
    }
    sim.schedule(Math.max(0, Math.round(readyNs) - nowNs), this.vhosts === undefined ? this.toRingFn : this.toVhostFn, pkt, q);
  }

  private toRing(pkt: T, q: number): void {
    if (!this.napis[q]!.arrive(pkt)) this.dropped(pkt, 'rx-ring-full', this.cores.sim.nowNs);
  }

  private dropped(pkt: T, reason: NicDropReason, nowNs: number): void {
    this.drops[reason]++;
    this.onDropped?.(pkt, reason, nowNs);
  }
}
