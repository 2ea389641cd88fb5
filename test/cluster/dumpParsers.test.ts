/**
 * The dump readers on hand-written samples in the exact formats the tools print: iptables-save (its
 * own match order, /32 masks, other software's rules, the filter table's REJECTs, an older
 * kube-proxy layout, ip6tables-save), nft list ruleset and nft -f, cilium service list and bpf lb
 * list, conntrack -C; recognising each from its content; and the messy JSON a real dump is.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseIptablesSave, ruleTokens } from '../../experiments/cluster/parseIptablesSave.ts';
import { parseNftRuleset } from '../../experiments/cluster/parseNftRuleset.ts';
import { parseCiliumBpfLbList, parseCiliumServiceList } from '../../experiments/cluster/parseCiliumLb.ts';
import { parseConntrackCount, sniffText } from '../../experiments/cluster/sniffDump.ts';
import { readDumpItems } from '../../experiments/cluster/jsonItems.ts';
import { readKubeObject, yamlScalar } from '../../experiments/cluster/kubeObjects.ts';
import { parseGoDurationSec, parseQuantity } from '../../experiments/cluster/quantity.ts';
import { importCluster } from '../../experiments/cluster/importCluster.ts';
import { natRulesPerServicePort } from '../../model/lookup/kubeProxyIptablesRules.ts';
import { CILIUM_BPF_LB_LIST, CILIUM_SERVICE_LIST, IPTABLES_SAVE_SAMPLE, NFT_SAMPLE } from './dumpSamples.ts';

describe('iptables-save', () => {
  it('tokenizes quoted comments and negations', () => {
    expect(ruleTokens('-A KUBE-SVC-X ! -s 10.0.0.0/8 -m comment --comment "ns/a:p cluster IP" -j KUBE-MARK-MASQ')).toEqual([
      '-A', 'KUBE-SVC-X', '!', '-s', '10.0.0.0/8', '-m', 'comment', '--comment', 'ns/a:p cluster IP', '-j', 'KUBE-MARK-MASQ',
    ]);
  });

  it('reads positions, endpoints and rule counts from the nat table as iptables-save prints it; the filter REJECTs count Service ports without endpoints', () => {
    const [p, ...more] = parseIptablesSave(IPTABLES_SAVE_SAMPLE, 'kind-node');
    expect(more).toEqual([]);
    expect(p).toMatchObject({
      family: 'IPv4',
      kubeServicesRules: 7,
      servicePositions: [1, 2, 3, 5, 6],
      servicePortsWithEndpoints: 5,
      otherKubeServicesRules: 1,
      programsNotMatchingModel: 0,
      servicePortsWithoutEndpoints: 1,
      endpointsHistogram: [[1, 1], [2, 3], [3, 1]],
      endpointsPerServicePort: { mean: 2, p50: 2, p99: 3, max: 3 },
      rulesByChainKind: { 'KUBE-SERVICES': 7, 'KUBE-SVC': 15, 'KUBE-SEP': 20, 'KUBE-EXT': 2, 'KUBE-NODEPORTS': 1, 'KUBE-MARK-MASQ': 1, 'KUBE-POSTROUTING': 3 },
    });
    // Every rule of the nat table, Docker's and the built-in chains' jumps included.
    expect(p!.natRules).toBe(IPTABLES_SAVE_SAMPLE.split('*nat')[1]!.split('\n').filter((l) => l.startsWith('-A ')).length);
    // Each program's own rules are the model's 2 + 3N: the five programs' sum.
    expect(p!.rulesByChainKind['KUBE-SVC']! + p!.rulesByChainKind['KUBE-SEP']! + 5).toBe([1, 2, 2, 3, 2].reduce((s, n) => s + natRulesPerServicePort(n), 0));
  });

  it('older kube-proxy layouts (masquerade rules in KUBE-SERVICES) still give each Service\'s position, and are flagged as not the model\'s 2 + 3N', () => {
    const old = `*nat
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y
-A KUBE-SERVICES ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-NPX46M4PTMTKRN6Y -j KUBE-SEP-A
-A KUBE-SEP-A -s 172.18.0.2/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-A -p tcp -m tcp -j DNAT --to-destination 172.18.0.2:6443
-A KUBE-SVC-TCOU7JCQXEZGVUNU -j KUBE-SEP-B
-A KUBE-SEP-B -s 10.244.0.2/32 -j KUBE-MARK-MASQ
-A KUBE-SEP-B -p udp -m udp -j DNAT --to-destination 10.244.0.2:53
COMMIT
`;
    const [p] = parseIptablesSave(old);
    expect(p).toMatchObject({ kubeServicesRules: 5, servicePositions: [2, 4], otherKubeServicesRules: 2, programsNotMatchingModel: 2, servicePortsWithoutEndpoints: null });
  });

  it('reads ip6tables-save as IPv6, and a file holding both families as two tables', () => {
    const v6 = `*nat
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -d fd00:10:96::a/128 -p tcp -m comment --comment "shop/dual:grpc cluster IP" -m tcp --dport 9090 -j KUBE-SVC-DUAL6AAAAAAAAAAA
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-SVC-DUAL6AAAAAAAAAAA ! -s fd00:244::/56 -d fd00:10:96::a/128 -p tcp -m tcp --dport 9090 -j KUBE-MARK-MASQ
-A KUBE-SVC-DUAL6AAAAAAAAAAA -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-V6A
-A KUBE-SVC-DUAL6AAAAAAAAAAA -j KUBE-SEP-V6B
-A KUBE-SEP-V6A -s fd00:244::4:1/128 -j KUBE-MARK-MASQ
-A KUBE-SEP-V6A -p tcp -m tcp -j DNAT --to-destination [fd00:244::4:1]:9090
-A KUBE-SEP-V6B -s fd00:244::4:2/128 -j KUBE-MARK-MASQ
-A KUBE-SEP-V6B -p tcp -m tcp -j DNAT --to-destination [fd00:244::4:2]:9090
COMMIT
`;
    const both = parseIptablesSave(`${IPTABLES_SAVE_SAMPLE}${v6}`);
    expect(both.map((p) => [p.family, p.servicePortsWithEndpoints, p.programsNotMatchingModel])).toEqual([['IPv4', 5, 0], ['IPv6', 1, 0]]);
  });

  it('rejects a line that is not iptables-save, naming the line', () => {
    expect(() => parseIptablesSave('*nat\n-A KUBE-SERVICES -j X\nhello world\nCOMMIT\n', 'f.txt')).toThrow(/f\.txt:3: not an iptables-save line: "hello world"/);
  });
});

describe('nft list ruleset', () => {
  it('counts kube-proxy\'s service-ips elements, service chains with their endpoints, and the no-endpoint map; other tables are skipped', () => {
    const [p, ...more] = parseNftRuleset(NFT_SAMPLE, 'nft.txt');
    expect(more).toEqual([]);
    expect(p).toMatchObject({
      family: 'IPv4', serviceIpsElements: 4, servicePortsWithEndpoints: 4, noEndpointServices: 1,
      endpointsHistogram: [[1, 1], [2, 2], [3, 1]],
      chains: 7,
      rules: 2 + 1 + 2 + 2 + 2 + 2 + 2,
    });
  });

  it('reads the nft -f form kube-proxy\'s own fixtures use', () => {
    const text = `add table ip kube-proxy { comment "rules for kube-proxy" ; }
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 , 1 : goto endpoint-5RFCDDV7-ns1/svc1/tcp/p80__10.180.0.2/80 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }
add element ip6 kube-proxy service-ips { fd00::1 . tcp . 80 : goto service-X-ns1/svc1/tcp/p80 }
`;
    const ps = parseNftRuleset(text);
    expect(ps.find((p) => p.family === 'IPv4')).toMatchObject({ serviceIpsElements: 1, servicePortsWithEndpoints: 1, endpointsPerServicePort: { mean: 2 }, rules: 2, chains: 1 });
  });
});

describe('Cilium LB lists and conntrack counts', () => {
  it('cilium service list: frontends by type, active backends per frontend', () => {
    const p = parseCiliumServiceList(CILIUM_SERVICE_LIST, 'svc.txt');
    expect(p).toMatchObject({ frontends: 6, frontendsByType: { ClusterIP: 5, NodePort: 1 }, backendSlots: 9 });
    // Frontends with an active backend: 1, 2, 1 (one terminating), 3, 1.
    expect(p.backendsPerFrontend).toMatchObject({ max: 3, p50: 1 });
    expect(p.backendsPerFrontend.mean).toBeCloseTo((1 + 2 + 1 + 3 + 1) / 5, 12);
  });

  it('cilium bpf lb list: slot 0 is the frontend, slots 1..N its backends', () => {
    const p = parseCiliumBpfLbList(CILIUM_BPF_LB_LIST, 'lb.txt');
    expect(p).toMatchObject({ frontends: 3, frontendsByType: { ClusterIP: 2, NodePort: 1 }, backendSlots: 4, backendsPerFrontend: { max: 2, p50: 1 } });
  });

  it('conntrack -C and wc -l outputs', () => {
    expect(parseConntrackCount('38414\n', 'ct')).toBe(38414);
    expect(parseConntrackCount('conntrack v1.4.6 (conntrack-tools): 812 flow entries have been shown.\n', 'ct')).toBe(812);
    expect(() => parseConntrackCount('many', 'ct.txt')).toThrow(/ct\.txt: expected one number/);
  });

  it('each dump is recognised from its content', () => {
    expect(sniffText(IPTABLES_SAVE_SAMPLE)).toBe('iptables-save');
    expect(sniffText('-A KUBE-SERVICES -j KUBE-NODEPORTS\n')).toBe('iptables-save');
    expect(sniffText(NFT_SAMPLE)).toBe('nft-ruleset');
    expect(sniffText(CILIUM_SERVICE_LIST)).toBe('cilium-service-list');
    expect(sniffText(CILIUM_BPF_LB_LIST)).toBe('cilium-bpf-lb-list');
    expect(sniffText('  {"apiVersion": "v1"}')).toBe('kubectl-json');
    expect(sniffText('\n 1234 \n')).toBe('conntrack-count');
    expect(sniffText('apiVersion: v1\nkind: List\n')).toBeNull();
  });
});

describe('values of Kubernetes objects', () => {
  it('resource quantities', () => {
    expect(parseQuantity('8')).toBe(8);
    expect(parseQuantity('7910m')).toBeCloseTo(7.91, 12);
    expect(parseQuantity('32Gi')).toBe(32 * 2 ** 30);
    expect(parseQuantity('32787676Ki')).toBe(32787676 * 1024);
    expect(parseQuantity('129M')).toBe(129e6);
    expect(parseQuantity('1.5e9')).toBe(1.5e9);
    for (const bad of ['', 'lots', '12 Gi', '1Gb', null, {}]) expect(parseQuantity(bad), String(bad)).toBeNull();
  });

  it('Go durations', () => {
    expect(parseGoDurationSec('10s')).toBe(10);
    expect(parseGoDurationSec('1m30s')).toBe(90);
    expect(parseGoDurationSec('250ms')).toBeCloseTo(0.25, 12);
    expect(parseGoDurationSec('0s')).toBe(0);
    expect(parseGoDurationSec('soon')).toBeNull();
  });

  it('the YAML of a KubeProxyConfiguration: nested keys, quotes, nulls', () => {
    const y = 'conntrack:\n  maxPerCore: null\n  min: 131072\niptables:\n  minSyncPeriod: "10s"\nmode: \'nftables\'   # the new mode\n';
    expect(yamlScalar(y, ['mode'])).toBe('nftables');
    expect(yamlScalar(y, ['iptables', 'minSyncPeriod'])).toBe('10s');
    expect(yamlScalar(y, ['conntrack', 'min'])).toBe('131072');
    expect(yamlScalar(y, ['conntrack', 'maxPerCore'])).toBeNull();
    expect(yamlScalar(y, ['min'])).toBeNull();
  });
});

describe('messy JSON dumps', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'svcpath-messy-'));
  });
  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const collect = async (path: string) => {
    const out = [];
    for await (const item of readDumpItems(path)) out.push(item);
    return out;
  };

  it('a raw API ServiceList (kind first, items without kind), several documents in one file, a lone object, a top-level array', async () => {
    const raw = JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'a', namespace: 'x' }, spec: { clusterIP: '10.0.0.1', ports: [{ port: 80 }] } }] });
    const lone = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' }, data: { k: 'v "quoted" {brace}' } });
    const arr = JSON.stringify([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } }]);
    const items = await collect(write('mixed.json', `${raw}\n${lone}\n${arr}`));
    expect(items.map((i) => [(i.value as { metadata: { name: string } }).metadata.name, i.listKind])).toEqual([['a', 'ServiceList'], ['c', undefined], ['n', undefined]]);
    expect(readKubeObject(items[0]!.value, items[0]!.where, items[0]!.listKind)).toMatchObject({ kind: 'Service', record: { name: 'a', families: ['IPv4'], ports: [{ name: '', protocol: 'TCP' }] } });
  });

  it('missing optional fields: a Service without ports, a slice with null endpoints and ports, a node without status', async () => {
    const path = write('sparse.json', JSON.stringify({
      apiVersion: 'v1', kind: 'List', items: [
        { apiVersion: 'v1', kind: 'Service', metadata: { name: 'noports', namespace: 'x' }, spec: { clusterIP: '10.0.0.2' } },
        { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'x', labels: { 'kubernetes.io/service-name': 'noports' } }, addressType: 'IPv4', endpoints: null, ports: null },
        { apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' } },
      ],
    }));
    const p = await importCluster([{ path }], { name: 'sparse' });
    expect(p.services.total).toBe(1);
    expect(p.servicePorts).toBe(0);
    expect(p.nodes).toBe(0);
    expect(p.skipped['Node without status.capacity.cpu, status.capacity.memory, status.nodeInfo.kernelVersion']).toBe(1);
    expect(p.warnings.some((w) => w.includes('Node/bare'))).toBe(true);
  });

  it('an object with a wrong field is an error naming the file, the item, the object and the field', async () => {
    const path = write('bad.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { clusterIP: '10.0.0.3', ports: [{ name: 'http', port: 'eighty' }] } }] }));
    await expect(importCluster([{ path }], { name: 'bad' })).rejects.toThrow(/bad\.json: items\[0\]: Service\/shop\/web: spec\.ports\[0\]\.port: .*expected number.*\(got "eighty"\)/);
  });

  it('a truncated file and a YAML file are errors that say so', async () => {
    const full = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' } }] });
    await expect(collect(write('cut.json', full.slice(0, full.length - 30)))).rejects.toThrow(/cut\.json: ends inside a JSON (string|value) \(in item 1\): the file is truncated/);
    await expect(collect(write('list.yaml', '{"a": 1}\napiVersion: v1\n'))).rejects.toThrow(/unexpected text after JSON document 1/);
  });
});
