/** Calibration rows of the nic domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

const FACTS = 'datapath-facts.md';

export const nicCalibration: readonly CalibrationEntry[] = [
  // ---- Ethernet framing (datapath-facts.md §1e) ------------------------------------------------
  {
    key: 'nic.preambleSfdBytes', value: 8, unit: 'B', label: 'sourced',
    source: `${FACTS} §1e "Ethernet overhead on the wire" (IEEE 802.3 via Intel FPGA Ethernet IP user guides, preamble section)`,
    meaning: 'Preamble plus start-of-frame delimiter sent before every frame.',
  },
  {
    key: 'nic.interPacketGapBytes', value: 12, unit: 'B', label: 'sourced',
    source: `${FACTS} §1e "Ethernet overhead on the wire" (IEEE 802.3 minimum IPG, 96 bit times)`,
    meaning: 'Minimum idle gap after every frame; with the preamble it makes the 20 B per-frame wire overhead.',
  },
  {
    key: 'nic.minFrameBytes', value: 64, unit: 'B', label: 'sourced',
    source: `${FACTS} §1e "Ethernet overhead on the wire" (minimum frame 64 B including FCS)`,
    meaning: 'Shorter frames are padded to this size (FCS included).',
  },
  {
    key: 'nic.fcsBytes', value: 4, unit: 'B', label: 'sourced',
    source: `${FACTS} §1e "Line rate formula" (frame includes the 4 B FCS)`,
    meaning: 'Frame check sequence at the end of every frame.',
  },
  {
    key: 'nic.ethernetHeaderBytes', value: 1518 - 1500 - 4, unit: 'B', label: 'derived',
    source: `${FACTS} §1e "Line rate formula" (1500 B MTU gives a 1518 B frame)`,
    derivation: '1518 B frame - 1500 B MTU payload - 4 B FCS = 14 B (untagged)',
    meaning: 'MAC header added to an IP packet to make a frame (no VLAN tag).',
  },
  {
    key: 'nic.linkRate10gBitsPerSec', value: 10e9, unit: 'bit/s', label: 'sourced',
    source: `${FACTS} §1e "10 GbE" row (IEEE 802.3 nominal rate)`,
    meaning: 'Line rate of a 10 GbE port.',
  },
  {
    key: 'nic.linkRate25gBitsPerSec', value: 25e9, unit: 'bit/s', label: 'sourced',
    source: `${FACTS} §1e "25 GbE" row (IEEE 802.3 nominal rate)`,
    meaning: 'Line rate of a 25 GbE port.',
  },

  // ---- RX rings (datapath-facts.md §1e "Default RX ring sizes") --------------------------------
  {
    key: 'nic.ixgbe.rxRingSizePackets', value: 512, unit: 'descriptors', label: 'sourced',
    source: `${FACTS} §1e "Default RX ring sizes" (ixgbe.h; max 4096)`,
    meaning: 'Default RX descriptors per queue of the Intel ixgbe driver (82599/X540 10 GbE).',
  },
  {
    key: 'nic.mlx5.rxRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: `${FACTS} §1e "Default RX ring sizes" (mlx5 en.h, log 0xa; max 8192)`,
    meaning: 'Default RX descriptors per queue of the Mellanox/NVIDIA mlx5 driver (ConnectX).',
  },
  {
    key: 'nic.ena.rxRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: `${FACTS} §1e "Default RX ring sizes" (ena_netdev.h; min 256)`,
    meaning: 'Default RX descriptors per queue of the AWS ENA driver.',
  },
  {
    key: 'nic.virtio.rxRingSizePackets', value: 256, unit: 'descriptors', label: 'sourced',
    source: `${FACTS} §1e "Default RX ring sizes" (QEMU hw/net/virtio-net.c rx_queue_size)`,
    meaning: 'Default RX virtqueue size of QEMU virtio-net.',
  },
  {
    key: 'nic.ixgbe.txRingSizePackets', value: 512, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/intel/ixgbe/ixgbe.h, "TX/RX descriptor defines": IXGBE_DEFAULT_TXD 512 (max 4096)',
    meaning: 'Default TX descriptors per queue of the Intel ixgbe driver.',
  },
  {
    key: 'nic.mlx5.txRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/mellanox/mlx5/core/en.h: MLX5E_PARAMS_DEFAULT_LOG_SQ_SIZE 0xa (2^10 send-queue entries)',
    meaning: 'Default TX (send queue) descriptors per channel of the mlx5 driver.',
  },
  {
    key: 'nic.ena.txRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/amazon/ena/ena_netdev.h: ENA_DEFAULT_RING_SIZE 1024 (used for TX and RX; min 256)',
    meaning: 'Default TX descriptors per queue of the AWS ENA driver.',
  },
  {
    key: 'nic.virtio.txRingSizePackets', value: 256, unit: 'descriptors', label: 'sourced',
    source: 'QEMU hw/net/virtio-net.c: VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE 256 (property tx_queue_size)',
    meaning: 'Default TX virtqueue size of QEMU virtio-net.',
  },
  {
    key: 'nic.qdiscLimitPackets', value: 1000, unit: 'packets', label: 'assumption', range: [1000, 10240],
    source: 'Linux include/net/pkt_sched.h DEFAULT_TX_QUEUE_LEN 1000 (txqueuelen, the limit of pfifo_fast); net/sched/sch_fq_codel.c sets limit 10*1024 for fq_codel, the default_qdisc systemd configures',
    meaning: 'Packets a TX queue\'s qdisc holds while the ring is full; which qdisc a node runs is a distribution choice, so the value is an assumption between the two kernels\' defaults.',
  },

  // ---- interrupt moderation and NAPI (datapath-facts.md §1e) ------------------------------------
  {
    key: 'nic.mlx5.rxCoalesceUs', value: 16, unit: 'us', label: 'sourced',
    source: `${FACTS} §1e "Interrupt coalescing defaults" (mlx5 en.h, EQE mode)`,
    meaning: 'mlx5 rx-usecs: an interrupt fires at most this long after the first unsignalled packet.',
  },
  {
    key: 'nic.mlx5.rxCoalescePackets', value: 32, unit: 'packets', label: 'sourced',
    source: `${FACTS} §1e "Interrupt coalescing defaults" (mlx5 en.h, EQE mode)`,
    meaning: 'mlx5 rx-frames: an interrupt fires once this many packets are waiting.',
  },
  {
    key: 'nic.ixgbe.rxCoalesceUs', value: 50, unit: 'us', label: 'assumption', range: [10, 126],
    source: `no row in ${FACTS} (§1e gives mlx5 and ENA only); ixgbe defaults to adaptive ITR`,
    meaning: 'Static rx-usecs used for the ixgbe preset when adaptive moderation is off (about 20k interrupts/s).',
  },
  {
    key: 'nic.ixgbe.rxCoalescePackets', value: 0, unit: 'packets', label: 'assumption', range: [0, 64],
    source: `no row in ${FACTS}; ixgbe has no rx-frames threshold, so 0 = no packet-count trigger`,
    meaning: 'Packet-count interrupt trigger for the ixgbe preset; 0 disables it.',
  },
  {
    key: 'nic.virtio.rxCoalesceUs', value: 0, unit: 'us', label: 'assumption', range: [0, 64],
    source: `no row in ${FACTS}; virtio-net notification coalescing (VIRTIO_NET_F_NOTF_COAL) is off by default, and NAPI suppresses notifications while it polls`,
    meaning: 'Delay before a virtio used-buffer notification; 0 = notify at once.',
  },
  {
    key: 'nic.virtio.rxCoalescePackets', value: 0, unit: 'packets', label: 'assumption', range: [0, 64],
    source: `no row in ${FACTS}; as nic.virtio.rxCoalesceUs`,
    meaning: 'Packet-count notification trigger for virtio; 0 disables it.',
  },
  {
    key: 'nic.adaptiveCoalesce.minUs', value: 2, unit: 'us', label: 'assumption', range: [0, 8],
    source: `no row in ${FACTS} (§1e: "adaptive moderation (DIM) available"); DIM profiles start at a few us`,
    meaning: 'Adaptive moderation: rx-usecs chosen at or below the low packet rate (latency end).',
  },
  {
    key: 'nic.adaptiveCoalesce.maxUs', value: 64, unit: 'us', label: 'assumption', range: [16, 256],
    source: `no row in ${FACTS} (§1e: "adaptive moderation (DIM) available"); DIM profiles end at 64-256 us`,
    meaning: 'Adaptive moderation: rx-usecs chosen at or above the high packet rate (throughput end).',
  },
  {
    key: 'nic.adaptiveCoalesce.lowRatePps', value: 10_000, unit: 'pps', label: 'assumption', range: [1_000, 100_000],
    source: `no row in ${FACTS}; a rate-threshold stand-in for DIM's throughput hill-climbing`,
    meaning: 'Per-queue packet rate below which adaptive moderation uses its minimum delay.',
  },
  {
    key: 'nic.adaptiveCoalesce.highRatePps', value: 1_000_000, unit: 'pps', label: 'assumption', range: [100_000, 10_000_000],
    source: `no row in ${FACTS}; a rate-threshold stand-in for DIM's throughput hill-climbing`,
    meaning: 'Per-queue packet rate above which adaptive moderation uses its maximum delay.',
  },
  {
    key: 'nic.napiWeightPackets', value: 64, unit: 'packets', label: 'sourced',
    source: `${FACTS} §1e "NAPI weight" (net.rst dev_weight)`,
    meaning: 'Packets one NAPI poll may process before it yields the core (dev_weight).',
  },

  // ---- RSS ------------------------------------------------------------------------------------
  {
    key: 'nic.rssIndirectionTableEntries', value: 128, unit: 'entries', label: 'assumption', range: [64, 512],
    source: `no row in ${FACTS}; a common default size of the RSS indirection table`,
    meaning: 'Hash buckets of the RSS indirection table; bucket i maps to queue i mod queues (ethtool default spread).',
  },

  // ---- virtio-net / vhost (datapath-facts.md §1e, Rizzo et al. row; §2 item 7) -------------------
  {
    key: 'nic.virtio.vhostPerPacketNs', value: 1000 - 64 * (1000 / (1500 - 64)), unit: 'ns', label: 'assumption', range: [200, 2000],
    source: `${FACTS} §1e "virtio / VM packet rates" (Rizzo, Lettieri, Maffione, ANCS 2013) and §2 item 7`,
    derivation:
      'Treat the socket-level rate of one queue pair as the service rate of the host vhost thread (the bottleneck stage; ' +
      'the guest stack runs on another core in parallel). "> 1 Mpps with short frames" gives 1000 ns at 64 B and ' +
      '"6 Gbit/s with 1500 B frames" gives 1500*8/6e9 s = 2000 ns at 1500 B; the line through both points has ' +
      '1000/(1500-64) = 0.696 ns/B and 1000 - 64*0.696 = 955 ns per packet. Range: netmap "> 5 Mpps" (200 ns, the ' +
      'transport alone) to 2000 ns (2013 hosts, contended).',
    meaning: 'Host (vhost-net) time per packet per queue pair, independent of size.',
  },
  {
    key: 'nic.virtio.vhostPerByteNs', value: 1000 / (1500 - 64), unit: 'ns/B', label: 'assumption', range: [0, 1],
    source: `${FACTS} §1e "virtio / VM packet rates" (Rizzo et al.)`,
    derivation: 'Slope between the 64 B (1000 ns) and 1500 B (2000 ns) points, see nic.virtio.vhostPerPacketNs.',
    meaning: 'Host (vhost-net) copy time per frame byte.',
  },
  {
    key: 'nic.virtio.noisyNeighbourFactor', value: 1, unit: 'factor', label: 'assumption', range: [1, 3],
    source: `no row in ${FACTS}; host contention is unpublished`,
    meaning: 'Multiplier on vhost time for host contention (other guests on the vhost core); 1 = dedicated host core.',
  },
  {
    key: 'nic.virtio.hostBacklogPackets', value: 1000, unit: 'packets', label: 'assumption', range: [256, 10_000],
    source: `no row in ${FACTS}; the tap device queue (txqueuelen) in front of vhost-net`,
    meaning: 'Packets that may wait for the vhost thread of one queue before the host drops new ones.',
  },

  // ---- cloud allowances (datapath-facts.md §1e AWS rows, §2 item 7) -------------------------------
  {
    key: 'nic.cloud.perFlowCapBitsPerSec', value: 5e9, unit: 'bit/s', label: 'sourced',
    source: `${FACTS} §1e "AWS bandwidth per flow" (docs.aws.amazon.com ec2-instance-network-bandwidth)`,
    meaning: 'Single-flow bandwidth limit outside a cluster placement group.',
  },
  {
    key: 'nic.cloud.perFlowCapPlacementGroupBitsPerSec', value: 10e9, unit: 'bit/s', label: 'sourced',
    source: `${FACTS} §1e "AWS bandwidth per flow"`,
    meaning: 'Single-flow bandwidth limit inside a cluster placement group.',
  },
  {
    key: 'nic.cloud.bwAllowanceBitsPerSec', value: 1e9, unit: 'bit/s', label: 'assumption', range: [1e8, 1e11],
    source: `no value in ${FACTS} (instance-type dependent); 1 Gbit/s is the design document's example VM`,
    meaning: 'Sustained aggregate bandwidth allowance per direction (burst credits are not modelled).',
  },
  {
    key: 'nic.cloud.ppsAllowancePps', value: 1e6, unit: 'pps', label: 'assumption', range: [5e4, 1e7],
    source: `${FACTS} §1e "Per-instance PPS allowance values" is [U]: unpublished, so this is a guess`,
    meaning: 'Packets per second allowance (both directions together); the value is unknown, sweep it.',
  },
  {
    key: 'nic.cloud.conntrackAllowanceFlows', value: 1e5, unit: 'flows', label: 'assumption', range: [1e4, 1e7],
    source: `no value in ${FACTS} (§1e ENA counters name the mechanism only)`,
    meaning: 'Tracked connections the cloud network allows; new flows beyond it are dropped.',
  },
  {
    key: 'nic.cloud.burstDurationUs', value: 1000, unit: 'us', label: 'assumption', range: [10, 1e6],
    source: `no value in ${FACTS}`,
    meaning: 'Token-bucket depth expressed as time at the allowance rate (depth = rate x this).',
  },
  {
    key: 'nic.cloud.maxShapingDelayUs', value: 1000, unit: 'us', label: 'assumption', range: [0, 100_000],
    source: `no value in ${FACTS} (§1e: the counters count packets "shaped", i.e. queued or dropped)`,
    meaning: 'Longest a shaper holds a packet before it drops it instead; 0 = drop at once.',
  },
];
