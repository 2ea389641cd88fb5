/**
 * Reads Cilium's load-balancer state from `cilium service list` (or `cilium-dbg service list`) and
 * `cilium bpf lb list`: the frontends (Service address:port), their types, and the backends each
 * one load-balances to. In the service list a frontend's first backend shares its line and the
 * others follow on their own lines; only active backends (not terminating, quarantined or in
 * maintenance) take new connections. In the BPF list slot 0 of a frontend is its master entry,
 * with the type in brackets, and slots 1..N are its backends.
 */
import type { CiliumLbProfile } from '../../model/cluster/clusterProfile.ts';
import { histogramOf, summarizeHistogram } from '../../model/cluster/countSummary.ts';

function profileOf(file: string, source: CiliumLbProfile['source'], types: Map<string, string>, backends: Map<string, number>, slots: number): CiliumLbProfile {
  const byType: Record<string, number> = {};
  for (const t of types.values()) byType[t] = (byType[t] ?? 0) + 1;
  const h = new Map<number, number>();
  for (const n of backends.values()) if (n > 0) h.set(n, (h.get(n) ?? 0) + 1);
  return {
    file,
    source,
    frontends: types.size,
    frontendsByType: Object.fromEntries(Object.entries(byType).sort((a, b) => a[0].localeCompare(b[0]))),
    backendsPerFrontend: summarizeHistogram(histogramOf(h)),
    backendSlots: slots,
  };
}

export function parseCiliumServiceList(text: string, file = 'cilium service list'): CiliumLbProfile {
  const types = new Map<string, string>();
  const backends = new Map<string, number>();
  let slots = 0;
  let current: string | null = null;
  const backend = (state: string | undefined): void => {
    if (current === null) return;
    slots++;
    if (state === undefined || state === 'active') backends.set(current, (backends.get(current) ?? 0) + 1);
  };
  for (const line of text.split('\n')) {
    if (/^\s*ID\s+Frontend\b/.test(line) || line.trim() === '') continue;
    const front = /^\s*(?<id>\d+)\s+(?<frontend>\S+)\s+(?<type>[A-Za-z]+)\b(?:[^=]*?\s(?<slot>\d+)\s+=>\s+\S+(?:\s+\((?<state>\w+)\))?)?/.exec(line);
    if (front !== null) {
      const g = front.groups!;
      current = `${g.id} ${g.frontend}`;
      types.set(current, g.type!);
      backends.set(current, 0);
      if (g.slot !== undefined) backend(g.state);
      continue;
    }
    const more = /^\s+\d+\s+=>\s+\S+(?:\s+\((?<state>\w+)\))?/.exec(line);
    if (more !== null) backend(more.groups!.state);
  }
  return profileOf(file, 'service-list', types, backends, slots);
}

export function parseCiliumBpfLbList(text: string, file = 'cilium bpf lb list'): CiliumLbProfile {
  const types = new Map<string, string>();
  const backends = new Map<string, number>();
  let slots = 0;
  for (const line of text.split('\n')) {
    const m = /^\s*(?<front>\S+)\s+\((?<slot>\d+)\)\s+\S+\s+\(\d+\)\s+\(\d+\)(?:\s+\[(?<flags>[^\]]*)\])?/.exec(line);
    if (m === null) continue;
    const { front, slot, flags } = m.groups as { front: string; slot: string; flags?: string };
    if (Number(slot) === 0) {
      types.set(front, (flags ?? 'unknown').split(',')[0]!.trim() || 'unknown');
      if (!backends.has(front)) backends.set(front, 0);
    } else {
      slots++;
      backends.set(front, (backends.get(front) ?? 0) + 1);
      if (!types.has(front)) types.set(front, 'unknown');
    }
  }
  return profileOf(file, 'bpf-lb-list', types, backends, slots);
}
