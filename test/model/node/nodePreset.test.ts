import { describe, expect, it } from 'vitest';
import { calibrated } from '../../../model/calibration/index.ts';
import { NODE_PRESET_NAMES, nodeNicModel, nodePreset, type NodePresetName } from '../../../model/node/index.ts';

describe('node presets', () => {
  it('bare metal is the typical node with a physical NIC; the cloud VM has the same vCPUs and RAM, virtio and allowances', () => {
    const bm10 = nodePreset('bare-metal-10g');
    const bm25 = nodePreset('bare-metal-25g');
    const cloud = nodePreset('cloud-up-to-10g');
    expect([bm10.nic, bm25.nic, cloud.nic]).toEqual(['physical-10g', 'physical-25g', 'virtio']);
    for (const p of [bm10, bm25, cloud]) {
      expect(p.cores).toBe(calibrated('node.cores'));
      expect(p.memoryBytes).toBe(calibrated('node.memoryBytes'));
    }
    expect(bm10.cpuMaxFreqHz).toBe(calibrated('cpu.referenceFreqHz'));
    expect(cloud.cpuMaxFreqHz).toBe(calibrated('node.preset.cloudMaxFreqHz'));
    expect(bm10.cloud).toBeUndefined();
    expect(cloud.cloud).toEqual({
      baselineBitsPerSec: calibrated('nic.cloud.bwAllowanceBitsPerSec'),
      burstBitsPerSec: calibrated('node.preset.cloudBurstBitsPerSec'),
      burstCreditSec: calibrated('node.preset.cloudBurstCreditSec'),
      perFlowCapBitsPerSec: 5e9,
      ppsAllowancePps: calibrated('nic.cloud.ppsAllowancePps'),
      conntrackAllowanceFlows: calibrated('nic.cloud.conntrackAllowanceFlows'),
    });
    expect(nodeNicModel(bm25).linkRateBitsPerSec).toBe(25e9);
    expect(nodeNicModel(cloud).queueCount(cloud.cores)).toBe(cloud.cores);
  });

  it("the burst credit default lies in AWS's documented 5-60 minutes", () => {
    const sec = nodePreset('cloud-up-to-10g').cloud!.burstCreditSec;
    expect(sec).toBeGreaterThanOrEqual(5 * 60);
    expect(sec).toBeLessThanOrEqual(60 * 60);
  });

  it('overrides change the allowances; a bare-metal preset given allowances gets the defaults for the rest', () => {
    const c = nodePreset('cloud-up-to-10g', { cloud: { baselineBitsPerSec: 2e9, burstCreditSec: 60 } });
    expect(c.cloud!.baselineBitsPerSec).toBe(2e9);
    expect(c.cloud!.burstCreditSec).toBe(60);
    expect(c.cloud!.burstBitsPerSec).toBe(calibrated('node.preset.cloudBurstBitsPerSec'));
    const b = nodePreset('bare-metal-10g', { cloud: {} });
    expect(b.cloud!.baselineBitsPerSec).toBe(calibrated('nic.cloud.bwAllowanceBitsPerSec'));
  });

  it('bad input names the field, the value and what is allowed', () => {
    expect(() => nodePreset('metal' as NodePresetName)).toThrow(/node must be one of bare-metal-10g, bare-metal-25g, cloud-up-to-10g, got "metal"/);
    expect(() => nodePreset('cloud-up-to-10g', { cloud: { baselineBitsPerSec: 20e9 } })).toThrow(/burstBitsPerSec must be finite and >= the baseline \(20000000000\)/);
    expect(() => nodePreset('cloud-up-to-10g', { cloud: { burstCreditSec: -1 } })).toThrow(/burstCreditSec must be a finite number >= 0, got -1/);
    expect(() => nodePreset('bare-metal-10g', { cores: 0 })).toThrow(/cores must be a positive integer, got 0/);
    expect(NODE_PRESET_NAMES).toHaveLength(3);
  });
});
