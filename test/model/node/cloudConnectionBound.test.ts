import { describe, expect, it } from 'vitest';
import { datapathSpec } from '../../../model/datapaths/index.ts';
import { cloudConnectionRateBound, defaultCloudAllowanceParams } from '../../../model/node/index.ts';

describe('cloudConnectionRateBound', () => {
  it('the default request/response connection: 24 packets, the response direction carries 10 x 1094 B frames', () => {
    const spec = datapathSpec({ datapath: 'cilium-tc' });
    const b = cloudConnectionRateBound(spec, defaultCloudAllowanceParams);
    // SYN/SYN-ACK: 20 + 20 + 20 B of options + 18 B of Ethernet = 78 B; FIN: 52 + 18 = 70 B; a 1024 B response: 1024 + 52 + 18 = 1094 B.
    expect(b.packetsPerConnection).toBe(4 + 10 * 2);
    expect(b.bitsInPerConnection).toBe((78 + 70 + 10 * 1094) * 8);
    expect(b.bitsOutPerConnection).toBe((78 + 70 + 10 * (256 + 52 + 18)) * 8);
    expect(b.ppsBoundPerSec).toBeCloseTo(defaultCloudAllowanceParams.ppsAllowancePps / 24, 9);
    expect(b.bandwidthBoundPerSec).toBeCloseTo(defaultCloudAllowanceParams.baselineBitsPerSec / b.bitsInPerConnection, 9);
    expect(b.limitedBy).toBe('bandwidth-allowance');
    expect(b.boundPerSec).toBe(b.bandwidthBoundPerSec);
  });

  it('at the burst allowance the PPS allowance may bind instead', () => {
    const b = cloudConnectionRateBound(datapathSpec({ datapath: 'cilium-tc' }), defaultCloudAllowanceParams, 1e11);
    expect(b.limitedBy).toBe('pps-allowance');
    expect(() => cloudConnectionRateBound(datapathSpec({ datapath: 'cilium-tc' }), defaultCloudAllowanceParams, 0)).toThrow(/allowanceBitsPerSec must be a finite number > 0, got 0/);
  });
});
