/**
 * Calibration rows of the node domain for the node scenarios (model/node): the node presets (bare
 * metal and an "up to 10 Gbit/s" cloud VM with burst credits), the bulk-throughput workload
 * (segmentation offloads, the receive window, per-frame GRO work) and the kernel-memory model
 * (Cilium NAT and LB map layouts, endpoints per node, the policy-rule shape, connection lifetime).
 * The cloud VM's baseline, per-flow cap and PPS and conntrack allowances are the nic domain's
 * `nic.cloud.*` rows; the node's cores, RAM and kernel are `node.cores`, `node.memoryBytes`,
 * `node.kernel*`. docs/sources.md#node-scenarios collects the sources.
 */
import type { CalibrationEntry } from './calibrationEntry.ts';
import { SEC_PER_MIN } from '../units.ts';

const SOURCES = 'docs/sources.md';
const AWS_BANDWIDTH = 'AWS EC2 User Guide, "Amazon EC2 instance network bandwidth", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html';
const NETDEVICE_H = 'Linux include/linux/netdevice.h';
const LBMAP_TYPES = 'cilium/cilium pkg/maps/lbmap/types.go (RevNat4Key, RevNat4Value)';
const NAT_TYPES = 'cilium/cilium pkg/maps/nat/types.go (NatKey4 = the IPv4 tuple, NatEntry4)';
const BURST_MIN_MIN = 5;
const BURST_MAX_MIN = 60;

export const nodeScenarioCalibration: readonly CalibrationEntry[] = [
  // ---- node presets (docs/sources.md#cloud-vm-preset) ---------------------------------------------
  {
    key: 'node.preset.cloudMaxFreqHz', value: 3.1e9, unit: 'Hz', label: 'assumption', range: [2.4e9, 3.6e9],
    source:
      'assumption: AWS lists its m5 instances (the node.cores / node.memoryBytes shape, m5.2xlarge) with "up to 3.1 GHz" Xeon Platinum 8175M / 8259CL processors ' +
      '(https://aws.amazon.com/ec2/instance-types/m5/, restated by a third-party table, https://www.cloudinvent.co/?p=2894); the clock a guest gets is not published per instance; ' +
      `the seed's "capped to 2.4 GHz" is the low end; ${SOURCES}#cloud-vm-preset`,
    meaning: 'Highest clock of the cloud VM preset\'s vCPUs (scaling_max_freq as the guest sees it).',
  },
  {
    key: 'node.preset.cloudBurstBitsPerSec', value: 10e9, unit: 'bit/s', label: 'assumption', range: [5e9, 25e9],
    source:
      `assumption: the "up to 10 Gigabit" class of general-purpose xlarge and 2xlarge instances; measured bursts of about 10-16 Gbit/s (ivanvari.com, "EC2 Network Baseline vs Burst"); ${AWS_BANDWIDTH}; ${SOURCES}#aws-bandwidth`,
    meaning: 'Aggregate bandwidth allowance of the cloud VM while it has burst credits, per direction (frame bytes).',
  },
  {
    key: 'node.preset.cloudBurstCreditSec', value: Math.round(Math.sqrt(BURST_MIN_MIN * BURST_MAX_MIN) * SEC_PER_MIN), unit: 's', label: 'assumption',
    range: [BURST_MIN_MIN * SEC_PER_MIN, BURST_MAX_MIN * SEC_PER_MIN],
    source:
      `assumption: AWS states that "up to" instances burst with network I/O credits "typically from 5 to 60 minutes" and does not publish the credit balance; the geometric middle of that range, sqrt(5 x 60) min = 17.3 min; ${AWS_BANDWIDTH}; ${SOURCES}#aws-bandwidth`,
    meaning: 'How long a full credit balance lets the VM run at its burst allowance: the balance holds this x (burst - baseline) bits, drains by what is used above the baseline and refills by what is left below it.',
  },

  // ---- bulk throughput: offloads and window (docs/sources.md#tcp-offloads) -------------------------
  {
    key: 'node.bulk.gsoMaxBytes', value: 65_536, unit: 'B', label: 'sourced',
    source: `${NETDEVICE_H}: GSO_LEGACY_MAX_SIZE 65536 (GSO_MAX_SIZE 65536 before BIG TCP), the default gso_max_size of a device (net/core/dev.c alloc_netdev_mqs); ${SOURCES}#tcp-offloads`,
    meaning: 'Largest TSO/GSO segment the stack hands to a device: a bulk sender\'s aggregate, whose per-packet costs the stack pays once.',
  },
  {
    key: 'node.bulk.groMaxBytes', value: 65_536, unit: 'B', label: 'sourced',
    source: `${NETDEVICE_H}: GRO_LEGACY_MAX_SIZE 65536, the default gro_max_size (net/core/dev.c alloc_netdev_mqs; net/core/gro.c skb_gro_receive stops merging at it); ${SOURCES}#tcp-offloads`,
    meaning: 'Largest aggregate GRO builds from the frames of one flow: the receiver pays its stack and datapath costs once per aggregate.',
  },
  {
    key: 'node.bulk.groFramesPerAggregateFraction', value: 1, unit: 'fraction', label: 'assumption', range: [0.05, 1],
    source:
      `assumption: GRO merges the frames of one flow that one NAPI poll takes (up to dev_weight 64) and flushes at the end of the poll (net/core/gro.c); a saturated receiver's polls are full and a TSO burst of 45 frames arrives back to back, so its aggregates reach the 64 KiB cap; no published distribution of GRO aggregate sizes was found; ${SOURCES}#tcp-offloads`,
    meaning: 'Receiver GRO aggregate as a share of the sender\'s TSO aggregate (1: GRO rebuilds the whole TSO burst).',
  },
  {
    key: 'node.bulk.groPerFrameCycles', value: 300, unit: 'cycles', label: 'assumption', range: [100, 600],
    source:
      'assumption: no published per-frame GRO cost was found; the XDP paper\'s Linux raw-mode drop (750 cycles per packet at 3.6 GHz) minus its XDP drop (150: driver RX) bounds the work between the driver and the IP layer (skb build, GRO, early IP receive) at 600 cycles ' +
      `(Høiland-Jørgensen et al., ACM CoNEXT 2018, §4.1); ${SOURCES}#xdp-paper`,
    meaning: 'Per wire frame on a physical NIC\'s receiver: building the skb and merging it into a GRO aggregate (on top of the driver\'s per-frame work).',
  },
  {
    key: 'node.bulk.acksPerAggregate', value: 1, unit: 'ACKs', label: 'assumption', range: [0.5, 2],
    source:
      `assumption: the receiver acknowledges at once when more than one full-sized segment is unacknowledged (net/ipv4/tcp_input.c __tcp_ack_snd_check), and a GRO aggregate arrives as one skb, so one ACK per aggregate; delayed or compressed ACKs would lower it; no published count per aggregate was found; ${SOURCES}#tcp-offloads`,
    meaning: 'Pure ACKs the receiver sends per aggregate it receives.',
  },
  {
    key: 'node.bulk.receiveWindowBytes', value: 6 * 1_048_576, unit: 'B', label: 'sourced',
    source: `Linux Documentation/networking/ip-sysctl.rst, tcp_rmem max: "Default: between 131072 and 6MB, depending on RAM size" (Linux 6.1; later kernels raise it to 32 MB); ${SOURCES}#tcp-offloads`,
    meaning: 'The most a bulk flow has in flight (its auto-tuned receive window): goodput per flow is at most this / RTT.',
  },

  // ---- kernel memory (docs/sources.md#kernel-memory-owners) -------------------------------------------
  {
    key: 'node.memory.natDefaultEntries', value: 524_288, unit: 'entries', label: 'sourced',
    source: `cilium/cilium pkg/maps/mapsize (the NAT default, 2/3 of the CT total) and Documentation/network/ebpf/maps.rst @5ba8131; ${SOURCES}#cilium-ct-sizing`,
    meaning: 'bpf-nat-global-max without dynamic sizing; the reference size dynamic sizing scales.',
  },
  {
    key: 'node.memory.natMinEntries', value: 131_072, unit: 'entries', label: 'sourced',
    source: `cilium/cilium pkg/maps/mapsize (the NAT floor of dynamic sizing) and Documentation/network/ebpf/maps.rst @5ba8131; ${SOURCES}#cilium-ct-sizing`,
    meaning: 'Floor of the dynamically sized NAT map.',
  },
  {
    key: 'node.memory.natKeyBytes', value: 4 + 4 + 2 + 2 + 1 + 1, unit: 'B', label: 'derived',
    source: `${NAT_TYPES}; ${SOURCES}#kernel-memory-owners`,
    derivation: 'NatKey4: daddr 4 + saddr 4 + dport 2 + sport 2 + nexthdr 1 + flags 1 = 14 B (the CT tuple).',
    meaning: 'Key of the IPv4 NAT map (cilium_snat_v4_external).',
  },
  {
    key: 'node.memory.natValueBytes', value: 4 * 8 + 4 + 2 + 2, unit: 'B', label: 'derived',
    source: `${NAT_TYPES}; ${SOURCES}#kernel-memory-owners`,
    derivation: 'NatEntry4: created, needs_ct, pad1, pad2 (4 x u64 = 32) + to_saddr 4 + to_sport 2 = 38 B, padded to the u64 alignment: 40 B.',
    meaning: 'Value of the IPv4 NAT map.',
  },
  {
    key: 'node.memory.lbRevNatKeyBytes', value: 2, unit: 'B', label: 'derived',
    source: `${LBMAP_TYPES}; ${SOURCES}#kernel-memory-owners`,
    derivation: 'RevNat4Key: one u16 rev-NAT index = 2 B.',
    meaning: 'Key of cilium_lb4_reverse_nat.',
  },
  {
    key: 'node.memory.lbRevNatValueBytes', value: 4 + 2, unit: 'B', label: 'derived',
    source: `${LBMAP_TYPES}; ${SOURCES}#kernel-memory-owners`,
    derivation: 'RevNat4Value: address 4 + port 2 = 6 B.',
    meaning: 'Value of cilium_lb4_reverse_nat.',
  },
  {
    key: 'node.memory.endpointsPerNode', value: 110, unit: 'endpoints', label: 'sourced',
    source: `Kubernetes Kubelet Configuration (v1beta1), maxPods: "Default: 110", https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/; ${SOURCES}#kernel-memory-owners`,
    meaning: 'Cilium endpoints (pods) on the node, each with its own policy map; default the most a node runs by default.',
  },
  {
    key: 'node.memory.policyPeersPerRule', value: 1, unit: 'identities', label: 'assumption', range: [1, 1000],
    source: `assumption: a script-generated policy of many rules, each allowing one peer (one label set or CIDR); no published shape of such policies was found; ${SOURCES}#cilium-policy-limits`,
    meaning: 'Peer identities one policy rule selects.',
  },
  {
    key: 'node.memory.policyPortsPerRule', value: 1, unit: 'port/protocol pairs', label: 'assumption', range: [1, 10],
    source: `assumption: one port per generated rule; no published shape of such policies was found; ${SOURCES}#cilium-policy-limits`,
    meaning: 'Port/protocol pairs one policy rule allows.',
  },
  {
    key: 'node.memory.connectionHoldSec', value: 1, unit: 's', label: 'assumption', range: [0.001, 3_600],
    source: 'assumption: request/response connections of a service mesh last from milliseconds to seconds; no single published value; the closing timeouts (120 s TIME_WAIT, 10 s Cilium FIN) dominate an entry\'s life',
    meaning: 'How long a normal (non-leaked) connection stays open before it closes.',
  },
];
