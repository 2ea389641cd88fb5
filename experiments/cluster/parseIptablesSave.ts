/**
 * Reads kube-proxy's nat rules from `iptables-save` (or `ip6tables-save`, or both concatenated):
 * the KUBE-SERVICES chain in order, so each Service port program's position in it (the first
 * packet of a connection to it walks that many rules), the KUBE-SVC/KUBE-SVL chains and the
 * KUBE-SEP chains they jump to (its endpoints), and the rule counts per chain kind. Accepts the
 * order in which iptables-save prints a rule's matches and the order kube-proxy writes them (both
 * `-d 10.96.0.1/32 -p tcp -m comment --comment "..."` and `-m comment --comment "..." -m tcp -p tcp
 * -d 10.96.0.1`), with or without comments (kube-proxy drops endpoint comments above 1000
 * endpoints), and the layouts of older releases (masquerade rules in KUBE-SERVICES, KUBE-XLB).
 * Each `*nat` ... `COMMIT` section is one table: a file with both families gives two profiles.
 */
import type { IpFamily, IptablesProfile } from '../../model/cluster/clusterProfile.ts';
import { histogramOf, summarizeHistogram } from '../../model/cluster/countSummary.ts';
import { natRulesPerServicePort } from '../../model/lookup/kubeProxyIptablesRules.ts';

/** Splits a rule into words; double-quoted words keep their spaces (backslash escapes kept as the character). */
export function ruleTokens(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= line.length) break;
    let word = '';
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < line.length) i++;
          word += line[i];
          i++;
        }
        i++;
      } else {
        word += line[i];
        i++;
      }
    }
    out.push(word);
  }
  return out;
}

interface Rule {
  readonly chain: string;
  readonly target: string | null;
  readonly comment: string | null;
  readonly destination: string | null;
  readonly dnatTo: string | null;
}

function parseRule(line: string): Rule | null {
  const t = ruleTokens(line);
  if (t[0] !== '-A' || t.length < 2) return null;
  const after = (flag: string): string | null => {
    const k = t.indexOf(flag);
    return k >= 0 && k + 1 < t.length ? t[k + 1]! : null;
  };
  const g = t.indexOf('-g');
  return {
    chain: t[1]!,
    target: after('-j') ?? (g >= 0 ? (t[g + 1] ?? null) : null),
    comment: after('--comment'),
    destination: after('-d'),
    dnatTo: after('--to-destination'),
  };
}

/** Characters of a line shown in an error. */
const PREVIEW_CHARS = 80; // calibration-exempt: presentation

const CHAIN_KINDS = ['KUBE-SERVICES', 'KUBE-SVC', 'KUBE-SVL', 'KUBE-SEP', 'KUBE-EXT', 'KUBE-FW', 'KUBE-XLB', 'KUBE-NODEPORTS', 'KUBE-MARK-MASQ', 'KUBE-POSTROUTING'] as const;

function chainKind(chain: string): string {
  for (const k of CHAIN_KINDS) if (chain === k || chain.startsWith(`${k}-`)) return k;
  return chain.startsWith('KUBE-') ? 'other KUBE-*' : 'not kube-proxy';
}

const isServiceChain = (c: string | null): boolean => c !== null && (c.startsWith('KUBE-SVC-') || c.startsWith('KUBE-SVL-'));

class NatSection {
  natRules = 0;
  kubeProxyRules = 0;
  readonly byKind = new Map<string, number>();
  /** KUBE-SERVICES rules so far, and the programs' positions. */
  kubeServicesRules = 0;
  readonly programPosition = new Map<string, number>();
  otherKubeServicesRules = 0;
  trailingJump = false;
  /** Per service chain: its rules and the KUBE-SEP chains it jumps to. */
  readonly svcChains = new Map<string, { rules: number; seps: string[] }>();
  readonly sepRules = new Map<string, number>();
  v6Evidence = 0;
  v4Evidence = 0;

  add(rule: Rule): void {
    this.natRules++;
    const kind = chainKind(rule.chain);
    if (kind === 'not kube-proxy') return;
    this.kubeProxyRules++;
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    for (const addr of [rule.destination, rule.dnatTo]) {
      if (addr === null) continue;
      if (addr.includes(':') && !/^\d+\.\d+\.\d+\.\d+:\d+$/.test(addr)) this.v6Evidence++;
      else this.v4Evidence++;
    }
    if (kind === 'KUBE-SERVICES') {
      this.kubeServicesRules++;
      const clusterIpRule = isServiceChain(rule.target) && (rule.comment === null || !/ (external IP|loadbalancer IP)$/.test(rule.comment));
      if (clusterIpRule && !this.programPosition.has(rule.target!)) this.programPosition.set(rule.target!, this.kubeServicesRules);
      else if (rule.target === 'KUBE-NODEPORTS') this.trailingJump = true;
      else this.otherKubeServicesRules++;
    } else if (kind === 'KUBE-SVC' || kind === 'KUBE-SVL') {
      let c = this.svcChains.get(rule.chain);
      if (c === undefined) this.svcChains.set(rule.chain, (c = { rules: 0, seps: [] }));
      c.rules++;
      if (rule.target !== null && rule.target.startsWith('KUBE-SEP-')) c.seps.push(rule.target);
    } else if (kind === 'KUBE-SEP') {
      this.sepRules.set(rule.chain, (this.sepRules.get(rule.chain) ?? 0) + 1);
    }
  }

  profile(file: string, noEndpointRejects: number | null): IptablesProfile {
    const family: IpFamily = this.v6Evidence > this.v4Evidence ? 'IPv6' : 'IPv4';
    const endpoints = new Map<number, number>();
    let mismatched = 0;
    for (const chain of this.programPosition.keys()) {
      const c = this.svcChains.get(chain) ?? { rules: 0, seps: [] };
      const seps = new Set(c.seps);
      endpoints.set(seps.size, (endpoints.get(seps.size) ?? 0) + 1);
      let rules = 1 + c.rules;
      for (const s of seps) rules += this.sepRules.get(s) ?? 0;
      if (seps.size === 0 || rules !== natRulesPerServicePort(seps.size)) mismatched++;
    }
    const histogram = histogramOf(endpoints);
    return {
      family,
      file,
      kubeServicesRules: this.kubeServicesRules,
      servicePositions: [...this.programPosition.values()].sort((a, b) => a - b),
      servicePortsWithEndpoints: this.programPosition.size,
      endpointsPerServicePort: summarizeHistogram(histogram),
      endpointsHistogram: histogram,
      natRules: this.natRules,
      kubeProxyNatRules: this.kubeProxyRules,
      rulesByChainKind: Object.fromEntries([...this.byKind.entries()].sort((a, b) => a[0].localeCompare(b[0]))),
      otherKubeServicesRules: this.otherKubeServicesRules,
      programsNotMatchingModel: mismatched,
      servicePortsWithoutEndpoints: noEndpointRejects,
    };
  }
}

/** An iptables-save reader fed line by line (a file of a million rules need not be in memory at once). */
export class IptablesSaveReader {
  private table: string | null = null;
  private nat: NatSection | null = null;
  private readonly done: NatSection[] = [];
  private filterRejects: number | null = null;
  private lineNo = 0;
  private sawTable = false;

  constructor(private readonly file: string) {}

  line(text: string): void {
    this.lineNo++;
    const line = text.trimEnd();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('*')) {
      this.table = line.slice(1).trim();
      this.sawTable = true;
      if (this.table === 'nat') this.nat = new NatSection();
      if (this.table === 'filter' && this.filterRejects === null) this.filterRejects = 0;
      return;
    }
    if (line === 'COMMIT') {
      if (this.nat !== null) this.done.push(this.nat);
      this.nat = null;
      this.table = null;
      return;
    }
    if (line.startsWith(':')) return;
    if (!line.startsWith('-A ')) {
      if (line.startsWith('-')) return;
      throw new Error(`${this.file}:${this.lineNo}: not an iptables-save line: "${line.slice(0, PREVIEW_CHARS)}"`);
    }
    if (!this.sawTable) {
      // Rules without a table header (iptables -t nat -S): read them as the nat table.
      this.table = 'nat';
      this.sawTable = true;
      this.nat = new NatSection();
    }
    const rule = parseRule(line);
    if (rule === null) return;
    if (this.table === 'nat') this.nat!.add(rule);
    else if (this.table === 'filter' && rule.chain === 'KUBE-SERVICES' && rule.target === 'REJECT') this.filterRejects = (this.filterRejects ?? 0) + 1;
  }

  /** One profile per nat section that holds kube-proxy rules. */
  finish(): IptablesProfile[] {
    if (this.nat !== null) this.done.push(this.nat);
    this.nat = null;
    const sections = this.done.filter((s) => s.kubeProxyRules > 0);
    return sections.map((s) => s.profile(this.file, sections.length === 1 ? this.filterRejects : null));
  }
}

export function parseIptablesSave(text: string, file = 'iptables-save'): IptablesProfile[] {
  const r = new IptablesSaveReader(file);
  for (const line of text.split('\n')) r.line(line);
  return r.finish();
}
