/**
 * Where the tail comes from (idle states, wake-ups, cold caches, softirq budget, loss and
 * retransmission), checked by properties: the causes add up to every RTT; a deeper allowed idle
 * state never shortens the tail at light load; with idle=poll the idle exits vanish from the split;
 * random loss of p per direction delays 1 - (1 - p)^2 of the connections by the initial RTO (1 s);
 * no cache pressure means no cold walks, more pressure never makes iptables faster; the iptables
 * tail grows with the Services; a burst beyond the NET_RX budget squeezes and hands off to ksoftirqd.
 */
import { describe, expect, it } from 'vitest';
import { calibrated } from '../../../model/calibration/index.ts';
import { IDLE_LIMIT_NAMES } from '../../../model/cpu/idleStates.ts';
import { defaultSchedulerWakeupParams } from '../../../model/cpu/schedulerWakeup.ts';
import { datapathSpec, simulatePath, DATAPATH_NAMES, type DatapathSpec, type PathResult } from '../../../model/datapaths/index.ts';
import { LATENCY_CAUSES } from '../../../model/datapaths/latencyCauses.ts';
import { expectCausesAddUp, short, sumCauses } from './causeChecks.ts';


describe('tail attribution', () => {
  const cases: Partial<DatapathSpec>[] = [
    ...DATAPATH_NAMES.map((datapath) => ({ datapath })),
    { datapath: 'kube-proxy-iptables', services: 30_000, idleState: 'c6' },
    { datapath: 'cilium-tc', nic: 'virtio', lossFraction: 0.01 },
    { datapath: 'kube-proxy-nftables', requestBytes: 20_000, responseBytes: 60_000, lossFraction: 0.02 },
    { datapath: 'cilium-socket-lb', cpuModel: 'kvm-guest-haltpoll', idleState: 'c6' },
  ];

  it.each(cases)('the causes add up to every message RTT exactly (%o)', (o) => {
    expectCausesAddUp(simulatePath(short(o), 3));
  });

  it('no cause is negative, even when packets reach the ring while their core is waking from C6', () => {
    const r = simulatePath(datapathSpec({ datapath: 'kube-proxy-iptables', services: 10_000, idleState: 'c6', durationSec: 1 }), 1);
    for (const rtt of [r.tailAttribution.firstPacket, r.tailAttribution.established]) {
      for (const split of [rtt.p50, rtt.p99, rtt.p999]) {
        if (split.messages === 0) continue;
        for (const c of LATENCY_CAUSES) expect(split.causesUs[c], c).toBeGreaterThanOrEqual(-1e-9);
      }
    }
  });

  it('the split of the tail is the split of slower messages: p99 and p999 RTTs are at least the p50 bucket\'s', () => {
    const r = simulatePath(short({ datapath: 'kube-proxy-iptables', services: 10_000 }), 1);
    const t = r.tailAttribution.firstPacket;
    expect(t.p99.rttUs).toBeGreaterThanOrEqual(t.p50.rttUs);
    expect(t.p99.rttUs).toBeGreaterThanOrEqual(r.firstPacketRttUs.p99 * 0.97);
  });
});

describe('idle states', () => {
  const light = (idleState: (typeof IDLE_LIMIT_NAMES)[number]): PathResult =>
    simulatePath(short({ datapath: 'kube-proxy-nftables', connectionsPerSec: 500, idleState }), 2);

  it('at light load a deeper allowed idle state never lowers the first-packet or established p99', () => {
    const runs = IDLE_LIMIT_NAMES.map(light);
    for (let i = 1; i < runs.length; i++) {
      expect(runs[i]!.firstPacketRttUs.p99, IDLE_LIMIT_NAMES[i]).toBeGreaterThanOrEqual(runs[i - 1]!.firstPacketRttUs.p99);
      expect(runs[i]!.establishedRttUs.p99, IDLE_LIMIT_NAMES[i]).toBeGreaterThanOrEqual(runs[i - 1]!.establishedRttUs.p99);
    }
  });

  it('with idle=poll no wake-up pays an exit and the split has no idle exit', () => {
    const poll = light('poll');
    expect(poll.idle.meanExitLatencyUs).toBe(0);
    for (const s of [poll.tailAttribution.firstPacket.p50, poll.tailAttribution.firstPacket.p99]) expect(s.causesUs.idleExit).toBe(0);
  });

  it('long regular idle periods (one short connection now and then) let the governor choose C6, and its exits show in the split', () => {
    const r = simulatePath(short({ datapath: 'kube-proxy-nftables', connectionsPerSec: 50, requestsPerConnection: 1, idleState: 'c6', cores: 1, durationSec: 2 }), 2);
    const exitUs = calibrated('cpu.idleIcxC6ExitLatencyUs');
    expect(r.idle.wakeups.c6).toBeGreaterThan(0);
    // Up to three cores wake for a first packet (client egress, remote, client ingress), each from at most C6.
    const idle = r.tailAttribution.firstPacket.p99.causesUs.idleExit;
    expect(idle).toBeGreaterThanOrEqual(exitUs);
    expect(idle).toBeLessThanOrEqual(3 * exitUs + 1e-9);
  });

  it('a PM QoS limit keeps the exits within it', () => {
    const r = simulatePath(short({ datapath: 'kube-proxy-nftables', connectionsPerSec: 500, idleState: 'c6', pmQosLatencyUs: 10 }), 2);
    expect(r.idle.wakeups.c6).toBe(0);
    expect(r.idle.meanExitLatencyUs).toBeLessThanOrEqual(10);
  });
});

describe('loss and retransmission', () => {
  it('random loss p per direction delays 1 - (1 - p)^2 of the connections past the 1 s initial RTO', () => {
    const p = 0.01;
    const r = simulatePath(datapathSpec({ datapath: 'cilium-tc', connectionsPerSec: 5000, requestsPerConnection: 1, durationSec: 2, warmupSec: 0.1, lossFraction: p }), 4);
    const n = r.connections.measured;
    // A connection retransmits when its SYN or SYN-ACK, any request or response, or its FIN or FIN-ACK is lost: six packets.
    const expected = 1 - (1 - p) ** 6;
    const sd = Math.sqrt((expected * (1 - expected)) / n);
    expect(Math.abs(r.connections.retried / n - expected)).toBeLessThan(4 * sd);
    // Handshake losses (SYN or SYN-ACK: 1 - (1-p)^2, about 2 %) cost at least the 1 s initial RTO: the p99 is past it.
    expect(r.firstPacketRttUs.p99).toBeGreaterThanOrEqual(1e6);
    expect(r.tailAttribution.firstPacket.p99.causesUs.retransmission).toBeGreaterThan(0.5e6);
    expect(r.packets.lostOnWire).toBeGreaterThan(0);
  });

  it('a lost segment with three later segments behind it is fast-retransmitted, not left to the RTO', () => {
    const r = simulatePath(short({ datapath: 'kube-proxy-nftables', responseBytes: 60_000, lossFraction: 0.01 }), 5);
    expect(r.packets.fastRetransmits).toBeGreaterThan(0);
  });

  it('no loss, no retransmission and no retransmission time in the split', () => {
    const r = simulatePath(short({ datapath: 'kube-proxy-nftables' }), 5);
    expect(r.connections.retried).toBe(0);
    expect(r.tailAttribution.established.p999.causesUs.retransmission).toBe(0);
  });
});

describe('cold caches', () => {
  it('no cache pressure means no cold walk; more pressure never makes the iptables first packet faster', () => {
    const at = (cachePressureBytesPerUs: number): PathResult =>
      simulatePath(short({ datapath: 'kube-proxy-iptables', services: 20_000, cachePressureBytesPerUs }), 6);
    const none = at(0);
    expect(none.coldWalkNsPerFirstPacket).toBe(0);
    expect(none.tailAttribution.firstPacket.p50.causesUs.coldWalk).toBe(0);
    let previous = none;
    for (const pressure of [300, 3000, 10_000]) {
      const r = at(pressure);
      expect(r.coldWalkNsPerFirstPacket).toBeGreaterThanOrEqual(previous.coldWalkNsPerFirstPacket);
      expect(r.firstPacketRttUs.mean).toBeGreaterThanOrEqual(previous.firstPacketRttUs.mean);
      previous = r;
    }
  });

  it('the iptables first-packet tail grows with the Services (p99)', () => {
    // Wake-ups without their rare scheduler-slice waits, which would otherwise set the p99 of a few hundred connections.
    const wakeup = { ...defaultSchedulerWakeupParams, otherTaskBusyFraction: 0 };
    const runs = [1000, 5000, 10_000, 30_000].map((services) => simulatePath(short({ datapath: 'kube-proxy-iptables', services }), 7, 0, { wakeup }).firstPacketRttUs);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.p99).toBeGreaterThan(runs[i - 1]!.p99);
  });
});

describe('NET_RX budget', () => {
  it('a heavy load squeezes softirq rounds and hands work to ksoftirqd, which the split names', () => {
    const r = simulatePath(
      short({ datapath: 'cilium-tc', cores: 1, connectionsPerSec: 20_000, requestsPerConnection: 20, responseBytes: 30_000, idleState: 'poll' }),
      8,
    );
    expect(r.softirq.timeSqueeze).toBeGreaterThan(0);
    expect(r.softirq.ksoftirqdHandoffs).toBeGreaterThan(0);
  });
});
