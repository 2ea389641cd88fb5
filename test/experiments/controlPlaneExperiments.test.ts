/**
 * A guard for the control-plane experiments: run in their quick mode through the runner the CLI
 * uses, they must still show what they exist to show. Each check reads the summary table a user
 * would open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartRow } from '../../experiments/lib/charts.ts';
import { quickRuns, removeTempDirs, summaryNumber } from './runnerHelpers.ts';
import { defaultL7ProxyParams } from '../../model/controlplane/index.ts';

type Row = ChartRow;
const num = summaryNumber;

const NAMES = ['endpoint-propagation', 'stale-endpoints', 'scale-up', 'policy-drops', 'l7-proxy'] as const;
let summaries = {} as Record<(typeof NAMES)[number], Row[]>;
let notes = {} as Record<(typeof NAMES)[number], string[]>;

beforeAll(async () => {
  ({ summaries, notes } = await quickRuns(NAMES));
}, 240_000);
afterAll(removeTempDirs);

describe('control-plane experiments, quick mode', () => {
  it('run without warnings', () => {
    for (const name of NAMES) expect(notes[name], name).toEqual([]);
  });

  it('endpoint-propagation: Cilium is fastest, minSyncPeriod 10 s slowest at the median, full syncs grow with Services', () => {
    const rows = summaries['endpoint-propagation'];
    const at = (setup: string, pred: (r: Row) => boolean) => rows.filter((r) => r.setup === setup && pred(r));
    const calm = (r: Row) => num(r, 'churnPerSec') < 20;
    for (const r of at('cilium', calm)) {
      const peer = at('iptables-1s', (x) => calm(x) && x.services === r.services && x.nodes === r.nodes)[0]!;
      expect(num(r, 'p50Sec_mean')).toBeLessThan(num(peer, 'p50Sec_mean'));
    }
    for (const r of at('iptables-10s', calm)) {
      const peer = at('iptables-1s', (x) => calm(x) && x.services === r.services && x.nodes === r.nodes)[0]!;
      expect(num(r, 'p50Sec_mean')).toBeGreaterThan(num(peer, 'p50Sec_mean'));
    }
    for (const setup of ['iptables-1s', 'nftables']) {
      const bySize = at(setup, (r) => num(r, 'nodes') === 1000 && calm(r)).sort((a, b) => num(a, 'services') - num(b, 'services'));
      expect(num(bySize.at(-1)!, 'fullSyncSec_mean')).toBeGreaterThan(num(bySize[0]!, 'fullSyncSec_mean'));
    }
    for (const r of rows.filter(calm)) expect(num(r, 'unprogrammed_mean'), String(r.setup)).toBe(0);
    // Above the controller's 20 QPS the slice writes queue for everyone.
    for (const r of rows.filter((x) => !calm(x))) expect(num(r, 'sliceWriteP99Sec_mean')).toBeGreaterThan(5);
  });

  it('stale-endpoints: peak churn stretches new-connection failures for every datapath; vanished backends pin HTTP/2 past 3 minutes unless socket-LB destroys the sockets', () => {
    const rows = summaries['stale-endpoints'];
    const total = (load: string, datapath: string) =>
      rows.find((r) => r.load === load && r.datapath === datapath && r.connectionMode === 'per-request' && r.afterSec === 1)!;
    for (const datapath of ['kube-proxy-iptables', 'cilium-tc', 'cilium-socket-lb']) {
      const off = total('off-peak', datapath);
      const peak = total('peak', datapath);
      expect(num(peak, 'reprogrammedSec_mean'), datapath).toBeGreaterThan(10 * num(off, 'reprogrammedSec_mean'));
      expect(num(peak, 'failedNew_mean'), datapath).toBeGreaterThan(num(off, 'failedNew_mean'));
      // New connections never fail after the client's node was reprogrammed.
      expect(num(peak, 'lastFailedNewSec_max')).toBeLessThanOrEqual(num(peak, 'reprogrammedSec_max'));
    }
    for (const r of rows.filter((x) => x.connectionMode === 'keepalive-h2' && x.backendExit === 'vanish' && x.afterSec === 1)) {
      if (r.datapath === 'cilium-socket-lb-6.6') expect(num(r, 'lastFailedPinnedSec_max')).toBeLessThanOrEqual(num(r, 'reprogrammedSec_max'));
      else expect(num(r, 'lastFailedPinnedSec_min'), String(r.datapath)).toBeGreaterThan(180);
    }
  });

  it('scale-up: same labels allocate no identity; drops only with a lagging pod watch; few nodes wait at the endpoint API limiter', () => {
    const rows = summaries['scale-up'];
    for (const r of rows) {
      expect(num(r, 'newIdentities_mean')).toBe(r.sameLabels ? 0 : 99);
      if (num(r, 'podWatchLagSec') === 0) expect(num(r, 'droppedTotal_max')).toBe(0);
      else expect(num(r, 'droppedReservedInit_min')).toBeGreaterThan(0);
    }
    const base = (nodes: number, autoAdjust = true) =>
      rows.find((r) => r.nodes === nodes && r.sameLabels === true && r.podWatchLagSec === 0 && r.autoAdjust === autoAdjust)!;
    expect(num(base(1), 'reachMaxSec_mean')).toBeGreaterThan(5 * num(base(100), 'reachMaxSec_mean'));
    expect(num(base(1, false), 'reachMaxSec_mean')).toBeGreaterThan(num(base(1), 'reachMaxSec_mean'));
    expect(num(base(1), 'endpointCreateRejections_mean')).toBeGreaterThan(0);
  });

  it('policy-drops: a policy map at or below its cap drops nothing, above it drops; regeneration drops grow with rules; the mild cases drop nothing', () => {
    const rows = summaries['policy-drops'];
    for (const r of rows.filter((x) => x.cause === 'policy-map')) {
      const needed = 2 * num(r, 'peerIdentities') * num(r, 'portsProtocols');
      expect(num(r, 'entriesNeeded_mean')).toBe(needed);
      if (needed <= 16_384) expect(num(r, 'dropFraction_max')).toBe(0);
      else expect(num(r, 'dropFraction_min')).toBeCloseTo((needed - 16_384) / needed, 12);
    }
    const regen = rows.filter((x) => x.cause === 'regeneration' && x.label === '' && x.newIdentitiesPerSec === 1).sort((a, b) => num(a, 'rulesSelecting') - num(b, 'rulesSelecting'));
    expect(num(regen.at(-1)!, 'dropFraction_mean')).toBeGreaterThan(num(regen[0]!, 'dropFraction_mean'));
    const ranked = (label: RegExp) => rows.find((r) => typeof r.label === 'string' && label.test(r.label))!;
    expect(num(ranked(/99\.9 %/), 'dropFraction_max')).toBe(0);
    expect(num(ranked(/100\.1 %/), 'dropFraction_min')).toBeGreaterThan(0);
    expect(num(ranked(/bursts of 550/), 'dropFraction_max')).toBe(0);
    expect(num(ranked(/pod watch on time/), 'dropFraction_max')).toBe(0);
  });

  it('l7-proxy: the redirect adds at least the proxy\'s CPU time to the RTT, its workers\' utilisation is rate x CPU / workers, capacity falls to workers / CPU', () => {
    const rows = summaries['l7-proxy'];
    const p = defaultL7ProxyParams;
    for (const on of rows.filter((r) => r.proxy === 'on')) {
      const off = rows.find((r) => r.proxy === 'off' && r.requestsPerSec === on.requestsPerSec)!;
      const rate = num(on, 'requestsPerSec');
      expect(num(on, 'rttP50Us_mean')).toBeGreaterThan(num(off, 'rttP50Us_mean') + 0.5 * p.cpuSecPerRequest * 1e6);
      expect(Math.abs(num(on, 'proxyUtilization_mean') / ((rate * p.cpuSecPerRequest) / p.workers) - 1)).toBeLessThan(0.1);
      expect(num(on, 'capacityRequestsPerSec_mean')).toBeLessThanOrEqual(p.workers / p.cpuSecPerRequest);
      expect(num(off, 'capacityRequestsPerSec_mean')).toBeGreaterThan(10 * num(on, 'capacityRequestsPerSec_mean'));
    }
  });
});
