/**
 * Calibration rows of the hypervisor domain (see calibrationEntry.ts for the fields and labels):
 * what lies under a guest's NIC (model/hypervisor): VM exits and interrupt injection, KVM's host
 * halt polling and the guest's haltpoll governor, the host threads that serve a guest's queues and
 * their wake-ups, the host's receive path below a paravirtual NIC, an offload card's pipeline, and
 * the cloud fabric between two VMs. The guest NICs' own defaults (rings, virtual interrupt
 * coalescing) are `nic.*` rows (nicCalibration.ts). docs/sources.md#vm-nic collects the sources.
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const SOURCES = 'docs/sources.md';
const SPLITX = 'Landau, Ben-Yehuda, Gordon, "SplitX: Split Guest/Hypervisor Execution on Multi-Core", WIOV 2011, §1 and Table 1 (Xeon X5570, KVM 2.6.34)';
const TSCDEADLINE = 'Wanpeng Li, "[PATCH 0/2] KVM: VMX: Tscdeadline timer emulation fastpath", kvm@vger.kernel.org, 21 Apr 2020 (kvm-unit-tests tscdeadline_immed, Skylake-SP)';
const HOST_POLL_DOC = 'Linux Documentation/virt/kvm/halt-polling.rst @2555693 (module parameters table); virt/kvm/kvm_main.c, kvm_vcpu_halt(), grow_halt_poll_ns(), shrink_halt_poll_ns()';
const GUEST_POLL_DOC = 'Linux Documentation/virt/guest-halt-polling.rst @908ae7e (module parameters); drivers/cpuidle/governors/haltpoll.c @2cc2c3c, adjust_poll_limit()';

export const hypervisorCalibration: readonly CalibrationEntry[] = [
  // ---- exits and interrupt delivery (docs/sources.md#vm-virtio-path) --------------------------------
  {
    key: 'hypervisor.vmExitCycles', value: 2000, unit: 'cycles', label: 'sourced',
    source: `${SPLITX}: the direct cost of an exit, about 2,000 cycles (0.68 us at 2.93 GHz); ${SOURCES}#vm-virtio-path`,
    meaning: 'The world switch of one VM exit and re-entry, on the vCPU: paid by every kick that traps and by every HLT of a halting vCPU.',
  },
  {
    key: 'hypervisor.kickHandlingCycles', value: 2000, unit: 'cycles', label: 'assumption', range: [500, 18_000],
    source:
      `assumption: the guest kick's handling beyond the exit itself (KVM's fast MMIO/PIO decode and the ioeventfd signal) is not published; ${SPLITX} ` +
      `says the indirect and handling costs "can in certain cases be an order of magnitude higher" than the direct 2,000 cycles, which bounds the range; ${SOURCES}#vm-virtio-path`,
    meaning: 'Cycles the vCPU spends handling one kick (ioeventfd exit) on top of hypervisor.vmExitCycles.',
  },
  {
    key: 'hypervisor.injectionNoPostedCycles', value: 4781, unit: 'cycles', label: 'assumption', range: [2919, 9562],
    source:
      `assumption by analogy: ${TSCDEADLINE} measures an interrupt injected into a running vCPU at 4,781 cycles without APICv (an exit, the injection, the re-entry); ` +
      `a device interrupt into a running vCPU without posted interrupts takes the same path with an external-interrupt exit in place of the MSR-write exit. ` +
      `Range: the same test with APICv (2,919) to twice the measured value; ${SOURCES}#vm-virtio-path`,
    meaning: 'vCPU cycles to deliver one interrupt into a running vCPU without posted interrupts (APICv off): the IPI forces an exit, KVM injects on re-entry.',
  },
  {
    key: 'hypervisor.injectionPostedCycles', value: 0, unit: 'cycles', label: 'assumption', range: [0, 1862],
    source:
      `assumption: with posted interrupts (APICv) a running vCPU takes the interrupt without an exit; the cost of the notification is not published (posted-interrupt delivery latency is unconfirmed). ` +
      `Upper end: what APICv saves on one injection in ${TSCDEADLINE} (4,781 - 2,919 = 1,862 cycles); ${SOURCES}#vm-virtio-path`,
    meaning: 'vCPU cycles to deliver one interrupt into a running vCPU with posted interrupts.',
  },

  // ---- halt polling (docs/sources.md#vm-host-side, #cpu-idle-states) --------------------------------
  {
    key: 'hypervisor.hostHaltPollNs', value: 200_000, unit: 'ns', label: 'sourced',
    source: `Linux arch/x86/include/asm/kvm_host.h, KVM_HALT_POLL_NS_DEFAULT 200000 (the default of halt_poll_ns on x86); ${HOST_POLL_DOC}; ${SOURCES}#vm-host-side`,
    meaning: 'Longest the host polls for a halted vCPU before its thread sleeps (the ceiling of the per-vCPU polling interval).',
  },
  {
    key: 'hypervisor.hostHaltPollGrow', value: 2, unit: 'factor', label: 'sourced',
    source: `${HOST_POLL_DOC}: halt_poll_ns_grow default 2; ${SOURCES}#vm-host-side`,
    meaning: 'Factor by which a vCPU\'s host polling interval grows after a halt that ended after the interval but within the ceiling.',
  },
  {
    key: 'hypervisor.hostHaltPollGrowStartNs', value: 10_000, unit: 'ns', label: 'sourced',
    source: `${HOST_POLL_DOC}: halt_poll_ns_grow_start default 10000; ${SOURCES}#vm-host-side`,
    meaning: 'Host polling interval a vCPU grows to from zero (and below which a shrunk interval becomes zero).',
  },
  {
    key: 'hypervisor.hostHaltPollShrink', value: 0, unit: 'divisor', label: 'sourced',
    source: `${HOST_POLL_DOC}: halt_poll_ns_shrink default 0, "set to 0 iff halt_poll_ns_shrink == 0"; ${SOURCES}#vm-host-side`,
    meaning: 'Divisor of the host polling interval after a halt longer than the ceiling; 0 resets it to zero.',
  },
  {
    key: 'hypervisor.guestHaltPollGrow', value: 2, unit: 'factor', label: 'sourced',
    source: `${GUEST_POLL_DOC}: guest_halt_poll_grow default 2; ${SOURCES}#cpu-idle-states`,
    meaning: 'Factor by which a vCPU\'s guest polling limit grows after a halt shorter than guest_halt_poll_ns but longer than the limit.',
  },
  {
    key: 'hypervisor.guestHaltPollGrowStartNs', value: 50_000, unit: 'ns', label: 'sourced',
    source: `${GUEST_POLL_DOC}: guest_halt_poll_grow_start default 50000; ${SOURCES}#cpu-idle-states`,
    meaning: 'Guest polling limit a vCPU grows to from zero.',
  },
  {
    key: 'hypervisor.guestHaltPollShrink', value: 2, unit: 'divisor', label: 'sourced',
    source: `${GUEST_POLL_DOC}: guest_halt_poll_shrink default 2 (guest_halt_poll_allow_shrink Y); ${SOURCES}#cpu-idle-states`,
    meaning: 'Divisor of the guest polling limit after a halt longer than guest_halt_poll_ns.',
  },

  // ---- the host side (docs/sources.md#vm-host-side, #vm-virtio-path) --------------------------------
  {
    key: 'hypervisor.hostThreadWakeupNs', value: 3000, unit: 'ns', label: 'assumption', range: [1000, 10_000],
    source:
      `assumption: a sleeping host thread (a vhost worker woken by a kick or by the tap device, a descheduled vCPU thread woken by an interrupt) costs "a trip through the scheduler, normally on the order of a few micro-seconds" ` +
      `(Linux Documentation/virt/kvm/halt-polling.rst @2555693); no per-wake-up figure is published. The host core's own idle-state exit is added by the model (the host's CPU idle states); ${SOURCES}#vm-host-side`,
    meaning: 'Host scheduler latency to run a sleeping host thread once it is woken, not counting its core\'s idle-state exit.',
  },
  {
    key: 'hypervisor.vhostBusyPollUs', value: 0, unit: 'us', label: 'sourced',
    source: `QEMU net/tap.c: -netdev tap,poll-us= defaults to 0 (tap->has_poll_us ? tap->poll_us : 0), passed to vhost-net as the virtqueues' busyloop_timeout (Linux drivers/vhost/net.c @010e85f); ${SOURCES}#vm-virtio-path`,
    meaning: 'How long an idle vhost worker busy-polls its queues before it sleeps; 0 = it sleeps at once and every kick wakes it.',
  },
  {
    key: 'hypervisor.hostRxStackCycles', value: 3.6e9 / 1.74e6, unit: 'cycles', label: 'assumption', range: [1000, 10_000],
    source:
      `assumption: the host's receive path below a paravirtual NIC (physical driver, bridge or virtual switch, tap) has no published per-packet cost (${SOURCES}#vm-host-side); ` +
      `taken as one kernel IP forward (Høiland-Jørgensen et al., "The eXpress Data Path", CoNEXT 2018, §5.1: 1.74 Mpps per core at 3.6 GHz), which a bridge hop resembles; OvS or host firewall rules raise it`,
    meaning: 'Host CPU cycles per received frame between the host NIC\'s interrupt and the tap queue (driver, bridge, tap), on the host NIC queue\'s core.',
  },
  {
    key: 'hypervisor.ena.devicePipelineNs', value: 2000, unit: 'ns', label: 'assumption', range: [500, 20_000],
    source:
      'assumption: the latency an offload card (AWS Nitro, behind the ENA virtual function) adds per crossing (encapsulation, security groups, its queues) is not published ' +
      `(AWS documents only "low-latency" placement and ENA Express's lower tail, awsdocs/amazon-ec2-user-guide doc_source/placement-groups.md @0446b90, doc_source/ena-express.md @1f5b43c); ${SOURCES}#vm-cloud-statements`,
    meaning: 'Time a frame spends in the offload card\'s pipeline each way between the guest\'s rings and the host\'s port (a VF preset\'s host side).',
  },

  // ---- the fabric between two VMs (docs/sources.md#vm-cloud-statements) --------------------------------
  {
    key: 'hypervisor.cloudFabricOneWayNs', value: 5000, unit: 'ns', label: 'assumption', range: [2000, 50_000],
    source:
      'assumption: VM-to-VM latency inside a cloud zone is not published by AWS, GCP or Azure (they state only "low latency" for placement groups; GCP says Andromeda 2.1 cut it 40 %, Google Cloud blog, November 2017); ' +
      `taken as five switch hops of datapath.wireOneWayNs (top-of-rack, aggregation and spine tiers between two hosts) plus the provider's encapsulation; ${SOURCES}#vm-cloud-statements`,
    meaning: 'Propagation and switching between two VMs of a cloud zone, one way (the cloud presets\' fabric; on-premises presets use one switch hop).',
  },
];
