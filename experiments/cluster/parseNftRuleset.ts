/**
 * Reads kube-proxy's nftables mode from `nft list ruleset` (tables `ip kube-proxy` and
 * `ip6 kube-proxy`): the service-ips verdict map (one element per ClusterIP, external or
 * load-balancer IP and port with endpoints), the service-* chains and their endpoint dispatch
 * (`numgen random mod N vmap { 0 : goto endpoint-..., ... }`), the no-endpoint-services map, and
 * the chain and rule counts. Also reads the `add chain / add rule / add element` form (`nft -f`
 * input, kube-proxy's own test fixtures). Other tables are skipped.
 */
import type { IpFamily, NftablesProfile } from '../../model/cluster/clusterProfile.ts';
import { histogramOf, summarizeHistogram } from '../../model/cluster/countSummary.ts';

class KubeProxyTable {
  serviceIpsElements = 0;
  noEndpointElements = 0;
  chains = 0;
  rules = 0;
  /** service-* chain name -> endpoints of its dispatch rule. */
  readonly dispatch = new Map<string, number>();
  constructor(readonly family: IpFamily) {}

  profile(file: string): NftablesProfile {
    const m = new Map<number, number>();
    for (const n of this.dispatch.values()) m.set(n, (m.get(n) ?? 0) + 1);
    const histogram = histogramOf(m);
    return {
      family: this.family,
      file,
      serviceIpsElements: this.serviceIpsElements,
      servicePortsWithEndpoints: this.dispatch.size,
      endpointsPerServicePort: summarizeHistogram(histogram),
      endpointsHistogram: histogram,
      noEndpointServices: this.noEndpointElements,
      chains: this.chains,
      rules: this.rules,
    };
  }
}

/** Elements of a set or map body `{ a, b comment "x, y" : goto c }`: top-level commas outside quotes, plus one. */
function countElements(body: string): number {
  const t = body.trim();
  if (t === '') return 0;
  let n = 1;
  let quoted = false;
  for (const ch of t) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) n++;
  }
  return t.endsWith(',') ? n - 1 : n;
}

/** Endpoints of a service chain's dispatch rule, or null when the rule is not one. */
function dispatchEndpoints(rule: string): number | null {
  if (!/numgen random mod \d+/.test(rule)) return null;
  const gotos = rule.match(/\b(?:goto|jump) endpoint-/g);
  return gotos === null ? Number(/numgen random mod (\d+)/.exec(rule)![1]) : gotos.length;
}

const familyOf = (f: string): IpFamily | null => (f === 'ip' ? 'IPv4' : f === 'ip6' ? 'IPv6' : null);

export function parseNftRuleset(text: string, file = 'nft list ruleset'): NftablesProfile[] {
  const tables = new Map<string, KubeProxyTable>();
  const table = (fam: IpFamily): KubeProxyTable => {
    let t = tables.get(fam);
    if (t === undefined) tables.set(fam, (t = new KubeProxyTable(fam)));
    return t;
  };
  const lines = text.split('\n');
  // `nft list ruleset` form: nested blocks.
  let current: KubeProxyTable | null = null;
  let depth = 0;
  let tableDepth = -1;
  let block: { kind: 'chain' | 'map' | 'set'; name: string; depth: number } | null = null;
  let pendingElements: string | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    // `nft -f` form.
    const add = /^add (?<verb>chain|rule|element|map|set) (?<fam>ip6?|inet) (?<table>\S+) (?<name>\S+)\s*(?<rest>.*)$/.exec(line);
    if (add !== null) {
      const { verb, fam: famText, table: tableName, name, rest } = add.groups as Record<string, string>;
      const fam = familyOf(famText!);
      if (fam === null || tableName !== 'kube-proxy') continue;
      const t = table(fam);
      if (verb === 'chain') t.chains++;
      else if (verb === 'rule') {
        t.rules++;
        const n = name!.startsWith('service-') ? dispatchEndpoints(rest!) : null;
        if (n !== null) t.dispatch.set(name!, n);
      } else if (verb === 'element') {
        const body = /\{(.*)\}/.exec(rest!)?.[1] ?? '';
        if (name === 'service-ips') t.serviceIpsElements += countElements(body);
        else if (name === 'no-endpoint-services') t.noEndpointElements += countElements(body);
      }
      continue;
    }
    if (pendingElements !== null) {
      pendingElements += ` ${line}`;
      if (line.includes('}')) {
        const body = pendingElements.slice(pendingElements.indexOf('{') + 1, pendingElements.lastIndexOf('}'));
        if (current !== null && block !== null) {
          if (block.name === 'service-ips') current.serviceIpsElements += countElements(body);
          else if (block.name === 'no-endpoint-services') current.noEndpointElements += countElements(body);
        }
        pendingElements = null;
      }
      continue;
    }
    const opens = (line.match(/\{/g) ?? []).length;
    const closes = (line.match(/\}/g) ?? []).length;
    const tableOpen = /^table (ip6?|inet|arp|bridge|netdev) (\S+) \{$/.exec(line);
    if (tableOpen !== null && depth === 0) {
      const fam = familyOf(tableOpen[1]!);
      current = fam !== null && tableOpen[2] === 'kube-proxy' ? table(fam) : null;
      tableDepth = depth;
      depth += 1;
      continue;
    }
    const blockOpen = /^(chain|map|set) (\S+) \{/.exec(line);
    if (blockOpen !== null && depth === tableDepth + 1) {
      block = { kind: blockOpen[1] as 'chain' | 'map' | 'set', name: blockOpen[2]!, depth };
      if (current !== null && block.kind === 'chain') current.chains++;
      depth += opens - closes;
      if (depth === block.depth) block = null; // a one-line block
      continue;
    }
    if (current !== null && block !== null) {
      if (block.kind === 'chain' && depth === block.depth + 1 && !/^(type |policy |comment |counter$|devices )/.test(line) && line !== '}') {
        current.rules++;
        const n = block.name.startsWith('service-') ? dispatchEndpoints(line) : null;
        if (n !== null) current.dispatch.set(block.name, n);
      }
      if (block.kind !== 'chain' && /^elements = \{/.test(line)) {
        if (line.includes('}')) {
          const body = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}'));
          if (block.name === 'service-ips') current.serviceIpsElements += countElements(body);
          else if (block.name === 'no-endpoint-services') current.noEndpointElements += countElements(body);
        } else {
          pendingElements = line;
          continue;
        }
      }
    }
    depth += opens - closes;
    if (block !== null && depth <= block.depth) block = null;
    if (depth <= tableDepth) {
      current = null;
      tableDepth = -1;
    }
  }
  return [...tables.values()].filter((t) => t.chains + t.rules > 0).map((t) => t.profile(file));
}
