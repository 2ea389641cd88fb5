/**
 * Calibration rows of the node domain (see calibrationEntry.ts for the fields and labels): the one
 * typical worker node every command and experiment defaults to (svcpath path, capacity,
 * conntrack, the datapath experiments and the CPU model's core count). One node, one set of
 * numbers: a component that needs the node's cores, memory or kernel reads them here.
 */
import type { CalibrationEntry } from './calibrationEntry.ts';

const GIB = 2 ** 30;
const GENERAL_PURPOSE_8X32 =
  'AWS EC2 instance types, general purpose m5.2xlarge / m6i.2xlarge (8 vCPU, 32 GiB), https://aws.amazon.com/ec2/instance-types/m5/; ' +
  'Google Cloud machine families, e2-standard-8 / n2-standard-8 (8 vCPU, 32 GB), https://cloud.google.com/compute/docs/general-purpose-machines';

export const nodeCalibration: readonly CalibrationEntry[] = [
  {
    key: 'node.cores', value: 8, unit: 'cores', label: 'assumption', range: [1, 256],
    source: `a common general-purpose worker size: ${GENERAL_PURPOSE_8X32}`,
    meaning: 'Cores (vCPUs) of the modelled node: each NIC queue and its flows are pinned to one; sizes nf_conntrack under kube-proxy.',
  },
  {
    key: 'node.memoryBytes', value: 32 * GIB, unit: 'B', label: 'assumption', range: [GIB, 1024 * GIB],
    source: `the same general-purpose worker: ${GENERAL_PURPOSE_8X32}`,
    meaning: "RAM of the modelled node: sizes Cilium's CT map (dynamic sizing, 0.25 % of RAM) and the kernel's nf_conntrack hash buckets.",
  },
  {
    key: 'node.kernelMajor', value: 6, unit: 'version', label: 'assumption', range: [4, 6],
    source:
      'Linux 6.1 is a longterm kernel (kernel.org, "Releases", https://www.kernel.org/category/releases.html) and the kernel of Debian 12 ' +
      '(https://www.debian.org/releases/bookworm/); kube-proxy nftables mode needs >= 5.13 (Kubernetes blog "NFTables mode for kube-proxy", 2025-02-28)',
    meaning: 'Kernel major version of the node (tail-call cost, nf_conntrack defaults, socket-LB support).',
  },
  {
    key: 'node.kernelMinor', value: 1, unit: 'version', label: 'assumption', range: [0, 20],
    source: 'Linux 6.1 longterm (kernel.org, "Releases", https://www.kernel.org/category/releases.html)',
    meaning: 'Kernel minor version of the node.',
  },
];
