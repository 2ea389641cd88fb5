/** Calibration rows of the nic domain (see calibrationEntry.ts for the fields and labels). */
import type { CalibrationEntry } from './calibrationEntry.ts';

export const nicCalibration: readonly CalibrationEntry[] = [
  // ---- Ethernet framing (docs/sources.md#ethernet-framing, #line-rate) --------------------------
  {
    key: 'nic.preambleSfdBytes', value: 8, unit: 'B', label: 'sourced',
    source: 'IEEE 802.3 clause 3, MAC frame format (7-octet preamble + 1-octet start-of-frame delimiter), as restated in Intel FPGA Ethernet IP user guides (preamble section); docs/sources.md#ethernet-framing',
    meaning: 'Preamble plus start-of-frame delimiter sent before every frame.',
  },
  {
    key: 'nic.interPacketGapBytes', value: 12, unit: 'B', label: 'sourced',
    source: 'IEEE 802.3 clause 4.4.2, MAC parameters (interPacketGap 96 bit times = 12 B), as restated in Intel FPGA Ethernet IP user guides (IPG section); docs/sources.md#ethernet-framing',
    meaning: 'Minimum idle gap after every frame; with the preamble it makes the 20 B per-frame wire overhead.',
  },
  {
    key: 'nic.minFrameBytes', value: 64, unit: 'B', label: 'sourced',
    source: 'IEEE 802.3 clause 4.4.2, MAC parameters (minFrameSize 512 bits = 64 B, FCS included); docs/sources.md#ethernet-framing',
    meaning: 'Shorter frames are padded to this size (FCS included).',
  },
  {
    key: 'nic.fcsBytes', value: 4, unit: 'B', label: 'sourced',
    source: 'IEEE 802.3 clause 3, MAC frame format (4-octet frame check sequence); docs/sources.md#ethernet-framing',
    meaning: 'Frame check sequence at the end of every frame.',
  },
  {
    key: 'nic.ethernetHeaderBytes', value: 1518 - 1500 - 4, unit: 'B', label: 'derived',
    source: 'IEEE 802.3 clause 3, MAC frame format (a 1500 B MTU payload makes a 1518 B untagged frame, 1522 B with a VLAN tag); docs/sources.md#ethernet-framing',
    derivation: '1518 B frame - 1500 B MTU payload - 4 B FCS = 14 B (untagged)',
    meaning: 'MAC header added to an IP packet to make a frame (no VLAN tag).',
  },
  {
    key: 'nic.linkRate10gBitsPerSec', value: 10e9, unit: 'bit/s', label: 'sourced',
    source: 'IEEE 802.3 nominal data rate of 10 Gb/s Ethernet; docs/sources.md#line-rate',
    meaning: 'Line rate of a 10 GbE port.',
  },
  {
    key: 'nic.linkRate25gBitsPerSec', value: 25e9, unit: 'bit/s', label: 'sourced',
    source: 'IEEE 802.3 nominal data rate of 25 Gb/s Ethernet; docs/sources.md#line-rate',
    meaning: 'Line rate of a 25 GbE port.',
  },

  // ---- rings (docs/sources.md#nic-ring-sizes) ----------------------------------------------------
  {
    key: 'nic.ixgbe.rxRingSizePackets', value: 512, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/intel/ixgbe/ixgbe.h, "TX/RX descriptor defines": IXGBE_DEFAULT_RXD 512 (IXGBE_MAX_RXD 4096); docs/sources.md#nic-ring-sizes',
    meaning: 'Default RX descriptors per queue of the Intel ixgbe driver (82599/X540 10 GbE).',
  },
  {
    key: 'nic.mlx5.rxRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/mellanox/mlx5/core/en.h: MLX5E_PARAMS_DEFAULT_LOG_RQ_SIZE 0xa (2^10 receive-queue entries; max 8192); docs/sources.md#nic-ring-sizes',
    meaning: 'Default RX descriptors per queue of the Mellanox/NVIDIA mlx5 driver (ConnectX).',
  },
  {
    key: 'nic.ena.rxRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/amazon/ena/ena_netdev.h: ENA_DEFAULT_RING_SIZE 1024 (used for RX and TX; min 256); docs/sources.md#nic-ring-sizes',
    meaning: 'Default RX descriptors per queue of the AWS ENA driver.',
  },
  {
    key: 'nic.virtio.rxRingSizePackets', value: 256, unit: 'descriptors', label: 'sourced',
    source: 'QEMU hw/net/virtio-net.c: VIRTIO_NET_RX_QUEUE_DEFAULT_SIZE 256 (property rx_queue_size); docs/sources.md#nic-ring-sizes',
    meaning: 'Default RX virtqueue size of QEMU virtio-net.',
  },
  {
    key: 'nic.ixgbe.txRingSizePackets', value: 512, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/intel/ixgbe/ixgbe.h, "TX/RX descriptor defines": IXGBE_DEFAULT_TXD 512 (max 4096); docs/sources.md#nic-ring-sizes',
    meaning: 'Default TX descriptors per queue of the Intel ixgbe driver.',
  },
  {
    key: 'nic.mlx5.txRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/mellanox/mlx5/core/en.h: MLX5E_PARAMS_DEFAULT_LOG_SQ_SIZE 0xa (2^10 send-queue entries); docs/sources.md#nic-ring-sizes',
    meaning: 'Default TX (send queue) descriptors per channel of the mlx5 driver.',
  },
  {
    key: 'nic.ena.txRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/ethernet/amazon/ena/ena_netdev.h: ENA_DEFAULT_RING_SIZE 1024 (used for TX and RX; min 256); docs/sources.md#nic-ring-sizes',
    meaning: 'Default TX descriptors per queue of the AWS ENA driver.',
  },
  {
    key: 'nic.virtio.txRingSizePackets', value: 256, unit: 'descriptors', label: 'sourced',
    source: 'QEMU hw/net/virtio-net.c: VIRTIO_NET_TX_QUEUE_DEFAULT_SIZE 256 (property tx_queue_size); docs/sources.md#nic-ring-sizes',
    meaning: 'Default TX virtqueue size of QEMU virtio-net.',
  },
  {
    key: 'nic.qdiscLimitPackets', value: 1000, unit: 'packets', label: 'assumption', range: [1000, 10240],
    source: 'Linux include/net/pkt_sched.h DEFAULT_TX_QUEUE_LEN 1000 (txqueuelen, the limit of pfifo_fast); net/sched/sch_fq_codel.c sets limit 10*1024 for fq_codel, the default_qdisc systemd configures; docs/sources.md#qdisc-defaults',
    meaning: 'Packets a TX queue\'s qdisc holds while the ring is full; which qdisc a node runs is a distribution choice, so the value is an assumption between the two kernels\' defaults.',
  },

  // ---- interrupt moderation and NAPI (docs/sources.md#nic-interrupt-coalescing, #napi-weight) -----
  {
    key: 'nic.mlx5.rxCoalesceUs', value: 16, unit: 'us', label: 'sourced',
    source: 'Linux drivers/net/ethernet/mellanox/mlx5/core/en.h: MLX5E_PARAMS_DEFAULT_RX_CQ_MODERATION_USEC 0x10 (EQE-based moderation; 3 us in CQE mode); docs/sources.md#nic-interrupt-coalescing',
    meaning: 'mlx5 rx-usecs: an interrupt fires at most this long after the first unsignalled packet.',
  },
  {
    key: 'nic.mlx5.rxCoalescePackets', value: 32, unit: 'packets', label: 'sourced',
    source: 'Linux drivers/net/ethernet/mellanox/mlx5/core/en.h: MLX5E_PARAMS_DEFAULT_RX_CQ_MODERATION_PKTS 0x20 (EQE-based moderation); docs/sources.md#nic-interrupt-coalescing',
    meaning: 'mlx5 rx-frames: an interrupt fires once this many packets are waiting.',
  },
  {
    key: 'nic.ixgbe.rxCoalesceUs', value: 50, unit: 'us', label: 'assumption', range: [10, 126],
    source: 'assumption: no static ixgbe default was found, the driver defaults to adaptive ITR (Linux Documentation/networking/device_drivers/ethernet/intel/ixgbe.rst, InterruptThrottleRate); 50 us is the ITR Intel\'s ice driver starts from ("~20k int/sec max", drivers/net/ethernet/intel/ice/ice_txrx.h); docs/sources.md#nic-interrupt-coalescing',
    meaning: 'Static rx-usecs used for the ixgbe preset when adaptive moderation is off (about 20k interrupts/s).',
  },
  {
    key: 'nic.ixgbe.rxCoalescePackets', value: 0, unit: 'packets', label: 'assumption', range: [0, 64],
    source: 'assumption: ixgbe moderates interrupts by interval (ITR) only and has no rx-frames threshold (Linux drivers/net/ethernet/intel/ixgbe/ixgbe_ethtool.c, its coalescing settings), so 0 = no packet-count trigger',
    meaning: 'Packet-count interrupt trigger for the ixgbe preset; 0 disables it.',
  },
  {
    key: 'nic.virtio.rxCoalesceUs', value: 0, unit: 'us', label: 'assumption', range: [0, 64],
    source: 'assumption at the driver default: virtio-net notification coalescing needs VIRTIO_NET_F_NOTF_COAL and then starts at rx_usecs 0 (Linux drivers/net/virtio_net.c), QEMU\'s device does not offer it (qemu-devel patch series "hw/net/virtio-net: add support for notification coalescing", patchwork 498018), and NAPI suppresses notifications while it polls; docs/sources.md#vm-virtio-path',
    meaning: 'Delay before a virtio used-buffer notification; 0 = notify at once.',
  },
  {
    key: 'nic.virtio.rxCoalescePackets', value: 0, unit: 'packets', label: 'assumption', range: [0, 64],
    source: 'assumption at the driver default: with VIRTIO_NET_F_NOTF_COAL the guest driver starts at rx_max_packets 0 (Linux drivers/net/virtio_net.c); as nic.virtio.rxCoalesceUs; docs/sources.md#vm-virtio-path',
    meaning: 'Packet-count notification trigger for virtio; 0 disables it.',
  },
  {
    key: 'nic.adaptiveCoalesce.minUs', value: 2, unit: 'us', label: 'assumption', range: [0, 8],
    source: 'assumption: adaptive moderation (DIM, Linux lib/dim/net_dim.c) starts its RX profiles at a few us; mlx5 and ENA offer it (Linux drivers/net/ethernet/mellanox/mlx5/core/en.h; Documentation/networking/device_drivers/ethernet/amazon/ena.rst); docs/sources.md#nic-interrupt-coalescing',
    meaning: 'Adaptive moderation: rx-usecs chosen at or below the low packet rate (latency end).',
  },
  {
    key: 'nic.adaptiveCoalesce.maxUs', value: 64, unit: 'us', label: 'assumption', range: [16, 256],
    source: 'assumption: adaptive moderation (DIM, Linux lib/dim/net_dim.c) ends its RX profiles at 64-256 us; docs/sources.md#nic-interrupt-coalescing',
    meaning: 'Adaptive moderation: rx-usecs chosen at or above the high packet rate (throughput end).',
  },
  {
    key: 'nic.adaptiveCoalesce.lowRatePps', value: 10_000, unit: 'pps', label: 'assumption', range: [1_000, 100_000],
    source: 'assumption: a rate-threshold stand-in for DIM\'s throughput hill-climbing (Linux lib/dim/net_dim.c), which has no published rate thresholds; docs/sources.md#nic-interrupt-coalescing',
    meaning: 'Per-queue packet rate below which adaptive moderation uses its minimum delay.',
  },
  {
    key: 'nic.adaptiveCoalesce.highRatePps', value: 1_000_000, unit: 'pps', label: 'assumption', range: [100_000, 10_000_000],
    source: 'assumption: a rate-threshold stand-in for DIM\'s throughput hill-climbing (Linux lib/dim/net_dim.c), which has no published rate thresholds; docs/sources.md#nic-interrupt-coalescing',
    meaning: 'Per-queue packet rate above which adaptive moderation uses its maximum delay.',
  },
  {
    key: 'nic.napiWeightPackets', value: 64, unit: 'packets', label: 'sourced',
    source: 'Linux Documentation/admin-guide/sysctl/net.rst, dev_weight (default 64), https://docs.kernel.org/admin-guide/sysctl/net.html; docs/sources.md#napi-weight',
    meaning: 'Packets one NAPI poll may process before it yields the core (dev_weight).',
  },
  {
    key: 'nic.netdevBudgetPackets', value: 300, unit: 'packets', label: 'sourced',
    source: 'Linux net/core/hotdata.c @0557a34 (.netdev_budget = 300); Documentation/admin-guide/sysctl/net.rst, netdev_budget; docs/sources.md#latency-tails-softirq',
    meaning: 'Packets one NET_RX softirq round may take from all NAPI instances of a core before it stops (time_squeeze) and re-raises itself.',
  },
  {
    key: 'nic.netdevBudgetUsecs', value: 2e6 / 250, unit: 'us', label: 'derived',
    source: 'Linux net/core/hotdata.c @0557a34 (.netdev_budget_usecs = 2 * USEC_PER_SEC / HZ); Documentation/admin-guide/sysctl/net.rst, netdev_budget_usecs; docs/sources.md#latency-tails-softirq',
    derivation: '2 x 1e6 us / HZ with HZ = 250 (cpu.kernelHz) = 8000 us.',
    meaning: 'Time one NET_RX softirq round may run before it stops (time_squeeze) and re-raises itself.',
  },

  // ---- RSS ------------------------------------------------------------------------------------
  {
    key: 'nic.rssIndirectionTableEntries', value: 128, unit: 'entries', label: 'assumption', range: [64, 512],
    source: 'assumption: a common size of the RSS indirection table (ethtool -x); the size is driver-specific and no single published default applies',
    meaning: 'Hash buckets of the RSS indirection table; bucket i maps to queue i mod queues (ethtool default spread).',
  },

  // ---- virtio-net / vhost (docs/sources.md#virtio-packet-rates) ----------------------------------
  {
    key: 'nic.virtio.vhostPerPacketNs', value: 1000 - 64 * (1000 / (1500 - 64)), unit: 'ns', label: 'assumption', range: [200, 2000],
    source: 'Rizzo, Lettieri, Maffione, "Speeding up packet I/O in virtual machines", ACM/IEEE ANCS 2013 (guest-to-guest UDP: > 1 Mpps with short frames, 6 Gbit/s with 1500 B frames, > 5 Mpps with netmap); docs/sources.md#virtio-packet-rates',
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
    source: 'Rizzo, Lettieri, Maffione, "Speeding up packet I/O in virtual machines", ACM/IEEE ANCS 2013; docs/sources.md#virtio-packet-rates',
    derivation: 'Slope between the 64 B (1000 ns) and 1500 B (2000 ns) points, see nic.virtio.vhostPerPacketNs.',
    meaning: 'Host (vhost-net) copy time per frame byte.',
  },
  {
    key: 'nic.virtio.noisyNeighbourFactor', value: 1, unit: 'factor', label: 'assumption', range: [1, 3],
    source: 'assumption: host contention on the vhost core is not published (no per-packet host cost was found either, docs/sources.md#vm-host-side); 1 = a dedicated host core',
    meaning: 'Multiplier on vhost time for host contention (other guests on the vhost core); 1 = dedicated host core.',
  },
  {
    key: 'nic.virtio.hostBacklogPackets', value: 1000, unit: 'packets', label: 'assumption', range: [256, 10_000],
    source: 'assumption: the tap device queue (txqueuelen) in front of vhost-net; its length is set by whoever creates the tap device (libvirt, QEMU scripts), so no single published default applies',
    meaning: 'Packets that may wait for the vhost thread of one queue before the host drops new ones.',
  },

  // ---- cloud allowances (docs/sources.md#aws-bandwidth, #ena-allowances) --------------------------
  {
    key: 'nic.cloud.perFlowCapBitsPerSec', value: 5e9, unit: 'bit/s', label: 'sourced',
    source: 'AWS EC2 User Guide, "Amazon EC2 instance network bandwidth" (a single flow is limited to 5 Gbit/s outside a cluster placement group), https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html; docs/sources.md#aws-bandwidth',
    meaning: 'Single-flow bandwidth limit outside a cluster placement group.',
  },
  {
    key: 'nic.cloud.perFlowCapPlacementGroupBitsPerSec', value: 10e9, unit: 'bit/s', label: 'sourced',
    source: 'AWS EC2 User Guide, "Amazon EC2 instance network bandwidth" (up to 10 Gbit/s per flow inside a cluster placement group), https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html; docs/sources.md#aws-bandwidth',
    meaning: 'Single-flow bandwidth limit inside a cluster placement group.',
  },
  {
    key: 'nic.cloud.bwAllowanceBitsPerSec', value: 1e9, unit: 'bit/s', label: 'assumption', range: [1e8, 1e11],
    source: 'assumption: instance-type dependent (AWS EC2 User Guide, "Amazon EC2 instance network bandwidth", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-network-bandwidth.html; measured baselines of 1.1-4.1 Gbit/s for xlarge sizes); 1 Gbit/s is the example VM the project\'s questions start from; docs/sources.md#aws-bandwidth',
    meaning: 'Sustained aggregate bandwidth allowance per direction: the CloudShaper\'s rate and the cloud VM preset\'s baseline (model/node adds burst credits above it).',
  },
  {
    key: 'nic.cloud.ppsAllowancePps', value: 1e6, unit: 'pps', label: 'assumption', range: [5e4, 1e7],
    source: 'assumption: AWS does not publish per-instance PPS allowances (ENA counts pps_allowance_exceeded, Linux drivers/net/ethernet/amazon/ena/ena_admin_defs.h, but no value is given anywhere), so this is a guess to sweep; docs/sources.md#ena-allowances',
    meaning: 'Packets per second allowance (both directions together); the value is unknown, sweep it.',
  },
  {
    key: 'nic.cloud.conntrackAllowanceFlows', value: 1e5, unit: 'flows', label: 'assumption', range: [1e4, 1e7],
    source: 'assumption: AWS does not publish it (ENA counts conntrack_allowance_exceeded, Linux drivers/net/ethernet/amazon/ena/ena_admin_defs.h); Azure\'s documented flow limits (100k below 8 cores, 250k from 8, 1M hard, Microsoft Learn "Virtual machine network bandwidth") bracket it; docs/sources.md#ena-allowances',
    meaning: 'Tracked connections the cloud network allows; new flows beyond it are dropped.',
  },
  {
    key: 'nic.cloud.burstDurationUs', value: 1000, unit: 'us', label: 'assumption', range: [10, 1e6],
    source: 'assumption: the depth of the cloud shapers is not published (AWS documents only the 5-60 minute burst credits of "up to" instances, which are not modelled); docs/sources.md#aws-bandwidth',
    meaning: 'Token-bucket depth expressed as time at the allowance rate (depth = rate x this).',
  },
  {
    key: 'nic.cloud.maxShapingDelayUs', value: 1000, unit: 'us', label: 'assumption', range: [0, 100_000],
    source: 'assumption: not published; the ENA counters count packets "shaped" (queued or dropped) without saying how long one may wait (Linux drivers/net/ethernet/amazon/ena/ena_admin_defs.h); docs/sources.md#ena-allowances',
    meaning: 'Longest a shaper holds a packet before it drops it instead; 0 = drop at once.',
  },

  // ---- guest NICs of the VM presets (docs/sources.md#vm-cloud-statements, #nic-ring-sizes) --------
  {
    key: 'nic.ena.rxCoalesceUs', value: 0, unit: 'us', label: 'sourced',
    source: 'Linux drivers/net/ethernet/amazon/ena/ena_com.h (later drivers: RX interrupt delay 0 us with adaptive moderation, TX 64 us; an older copy @05d62ca starts RX at 4 us); amzn/amzn-drivers kernel/linux/ena/ENA_Linux_Best_Practices.rst @007ec4d ("On some instance types Rx moderation is disabled by default, on others it is enabled in adaptive mode"); docs/sources.md#latency-tails-nic-moderation',
    meaning: 'ENA rx-usecs at start; the ena preset runs adaptive moderation from there (the model\'s DIM stand-in).',
  },
  {
    key: 'nic.vm.rxCoalescePackets', value: 0, unit: 'packets', label: 'assumption', range: [0, 64],
    source: 'assumption: the guest NICs of the VM presets moderate by time only: ENA and gve advertise rx-usecs (and ENA adaptive-rx) but no rx-frames to ethtool (Linux drivers/net/ethernet/amazon/ena/ena_ethtool.c, drivers/net/ethernet/google/gve/gve_ethtool.c, supported_coalesce_params), and VMXNET3\'s default rate-based scheme has no packet count (its static scheme queues up to 64, https://docs.vmware.com/en/VMware-Cloud-on-AWS/services/vmc-aws-performance/GUID-E1BD6A18-02F3-4CF8-A77B-A45E7C48EB93.html)',
    meaning: 'Packet-count interrupt trigger of the ena, gvnic and vmxnet3 guest NICs; 0 disables it.',
  },
  {
    key: 'nic.gvnic.rxIrqIntervalUs', value: 20, unit: 'us', label: 'sourced',
    source: 'Linux drivers/net/ethernet/google/gve/gve_dqo.h @0d21364: GVE_RX_IRQ_RATELIMIT_US_DQO 20 (the RX interrupt throttling interval of DQO mode, 2 us granularity; TX 50 us); docs/sources.md#vm-cloud-statements',
    meaning: 'gVNIC (DQO) RX interrupt rate limit: at least this long between two interrupts of a queue.',
  },
  {
    key: 'nic.gvnic.ringSizePackets', value: 1024, unit: 'descriptors', label: 'assumption', range: [256, 4096],
    source: 'assumption: gve takes its ring sizes from the device (rx_queue_entries / tx_queue_entries in the device descriptor, Linux drivers/net/ethernet/google/gve/gve_adminq.c), and Google does not publish the value; 1024 as ENA and mlx5 (docs/sources.md#nic-ring-sizes)',
    meaning: 'RX and TX descriptors per gVNIC queue.',
  },
  {
    key: 'nic.vmxnet3.rxRingSizePackets', value: 1024, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/vmxnet3/vmxnet3_int.h @861bf18: VMXNET3_DEF_RX_RING_SIZE 1024; docs/sources.md#nic-ring-sizes',
    meaning: 'Default RX descriptors per VMXNET3 queue (ring 1).',
  },
  {
    key: 'nic.vmxnet3.txRingSizePackets', value: 512, unit: 'descriptors', label: 'sourced',
    source: 'Linux drivers/net/vmxnet3/vmxnet3_int.h @861bf18: VMXNET3_DEF_TX_RING_SIZE 512; docs/sources.md#nic-ring-sizes',
    meaning: 'Default TX descriptors per VMXNET3 queue.',
  },
  {
    key: 'nic.vmxnet3.rxIrqIntervalUs', value: 1e6 / 4000, unit: 'us', label: 'derived',
    source: 'VMware Cloud on AWS performance guide, virtual network interrupt coalescing (rate-based coalescing "rbc" is the default, ethernetX.coalescingParams "with a default of 4,000" interrupts per second), https://docs.vmware.com/en/VMware-Cloud-on-AWS/services/vmc-aws-performance/GUID-E1BD6A18-02F3-4CF8-A77B-A45E7C48EB93.html; vSphere networking troubleshooting ("The default interrupt rate is 4000 interrupts per second"), https://docs.vmware.com/en/VMware-vSphere/6.7/com.vmware.vsphere.networking.doc/GUID-F07634C7-4D90-4EFD-841F-8743F5DF36BF.html; docs/sources.md#vm-cloud-statements',
    derivation: '1e6 us / 4,000 interrupts per second = 250 us between two interrupts at most the rate allows.',
    meaning: 'VMXNET3 virtual interrupt coalescing (rate-based, the default): at least this long between two virtual interrupts of a queue.',
  },
];
