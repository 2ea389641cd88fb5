/**
 * Cilium's Service translation in BPF (cilium/cilium pkg/maps/lbmap;
 * docs/sources.md#cilium-lb-maps): cilium_lb4_services_v2 is a hash map keyed by (VIP, port,
 * backend_slot, proto, scope); slot 0 is the master entry that holds the backend count, slots 1..N
 * name the backends; cilium_lb4_backends_v3 maps a backend_id to its address. A new connection
 * reads the master entry, picks a slot, reads that slot, then the backend; an established packet
 * under per-packet LB reads the master entry and the backend (the backend id comes from the CT
 * entry). Each read is one hash-map lookup costed by model/ebpf (`mapLookupWork`: hashing, chain
 * walk and cache misses at the map's fill), so the cost does not grow with the number of Services
 * except through the maps' fill and size.
 */
import { calibratedParams } from '../calibration/index.ts';
import { addWork, scaleWork, type Work } from '../cpu/workCost.ts';
import { defaultMapLookupParams, htabBucketCount, mapLookupWork, mapLookupColdWork, type MapLookupParams } from '../ebpf/mapLookup.ts';

export interface CiliumServiceLookupParams {
  /** Key size of cilium_lb4_services_v2, B. Default 12. */
  readonly serviceKeyBytes: number;
  /** Value size of cilium_lb4_services_v2, B. Default 12. */
  readonly serviceValueBytes: number;
  /** Key size of cilium_lb4_backends_v3, B. Default 4. */
  readonly backendKeyBytes: number;
  /** Value size of cilium_lb4_backends_v3, B. Default 8. */
  readonly backendValueBytes: number;
  /** max_entries of the service and backend maps (bpf-lb-map-max), entries. Default 65,536. */
  readonly lbMapMaxEntries: number;
  /** Service-map lookups to translate a new connection, lookups. Default 2. */
  readonly newConnectionServiceLookups: number;
  /** Service-map lookups per established packet (per-packet LB), lookups. Default 1 (assumption, 1–2). */
  readonly establishedServiceLookups: number;
  /** Backend-map lookups per translation, lookups. Default 1. */
  readonly backendLookups: number;
}

export const defaultCiliumServiceLookupParams: CiliumServiceLookupParams = calibratedParams({
  serviceKeyBytes: 'lookup.ciliumServiceKeyBytes',
  serviceValueBytes: 'lookup.ciliumServiceValueBytes',
  backendKeyBytes: 'lookup.ciliumBackendKeyBytes',
  backendValueBytes: 'lookup.ciliumBackendValueBytes',
  lbMapMaxEntries: 'lookup.ciliumLbMapMaxEntries',
  newConnectionServiceLookups: 'lookup.ciliumNewConnectionServiceLookups',
  establishedServiceLookups: 'lookup.ciliumEstablishedServiceLookups',
  backendLookups: 'lookup.ciliumBackendLookups',
});

/** Entries of cilium_lb4_services_v2 for `servicePorts` Service ports of `endpoints` backends: 1 master + N slots each. */
export function ciliumServiceMapEntries(servicePorts: number, endpoints: number): number {
  return servicePorts * (1 + endpoints);
}

/** Entries of cilium_lb4_backends_v3, assuming every Service port has its own `endpoints` backends. */
export function ciliumBackendMapEntries(servicePorts: number, endpoints: number): number {
  return servicePorts * endpoints;
}

/**
 * Fill of a BPF hash map: entries per bucket, where the kernel allocates the next power of two >=
 * max_entries buckets. Throws when `entries` exceeds `maxEntries`: the agent could not program them
 * (raise bpf-lb-map-max).
 */
export function bpfMapOccupancyFraction(entries: number, maxEntries: number, mapName = 'map'): number {
  if (!(entries >= 0)) throw new RangeError(`${mapName}: entries must be >= 0, got ${entries}`);
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError(`${mapName}: maxEntries must be an integer >= 1, got ${maxEntries}`);
  if (entries > maxEntries) {
    throw new RangeError(`${mapName}: ${entries} entries do not fit in max_entries = ${maxEntries}; Cilium cannot program them (raise bpf-lb-map-max)`);
  }
  return entries / htabBucketCount(maxEntries);
}

/** The lookups one translation performs, each at its map's fill (cold: none of their lines cached). */
function translationWork(
  serviceLookups: number,
  servicePorts: number,
  endpoints: number,
  p: CiliumServiceLookupParams,
  maps: MapLookupParams,
  cold = false,
): Work {
  const serviceEntries = ciliumServiceMapEntries(servicePorts, endpoints);
  const backendEntries = ciliumBackendMapEntries(servicePorts, endpoints);
  bpfMapOccupancyFraction(serviceEntries, p.lbMapMaxEntries, 'cilium_lb4_services_v2');
  bpfMapOccupancyFraction(backendEntries, p.lbMapMaxEntries, 'cilium_lb4_backends_v3');
  const lookup = cold ? mapLookupColdWork : mapLookupWork;
  const service = lookup(
    { kind: 'hash', maxEntries: p.lbMapMaxEntries, entries: serviceEntries, keyBytes: p.serviceKeyBytes, valueBytes: p.serviceValueBytes },
    maps,
  );
  const backend = lookup(
    { kind: 'hash', maxEntries: p.lbMapMaxEntries, entries: backendEntries, keyBytes: p.backendKeyBytes, valueBytes: p.backendValueBytes },
    maps,
  );
  return addWork(scaleWork(service, serviceLookups), scaleWork(backend, p.backendLookups));
}

/** The same translation of a new connection when none of the maps' lines is cached. */
export function ciliumNewConnectionLookupColdWork(
  servicePorts: number,
  endpoints: number,
  p: CiliumServiceLookupParams = defaultCiliumServiceLookupParams,
  maps: MapLookupParams = defaultMapLookupParams,
): Work {
  return translationWork(p.newConnectionServiceLookups, servicePorts, endpoints, p, maps, true);
}

/** Map work to translate a new connection (master entry, backend slot, backend). */
export function ciliumNewConnectionLookupWork(
  servicePorts: number,
  endpoints: number,
  p: CiliumServiceLookupParams = defaultCiliumServiceLookupParams,
  maps: MapLookupParams = defaultMapLookupParams,
): Work {
  return translationWork(p.newConnectionServiceLookups, servicePorts, endpoints, p, maps);
}

/** Map work per established packet under per-packet (tc) load balancing. */
export function ciliumEstablishedLookupWork(
  servicePorts: number,
  endpoints: number,
  p: CiliumServiceLookupParams = defaultCiliumServiceLookupParams,
  maps: MapLookupParams = defaultMapLookupParams,
): Work {
  return translationWork(p.establishedServiceLookups, servicePorts, endpoints, p, maps);
}
