/**
 * Cilium socket-level load balancing (kubeproxy-free.rst; docs/sources.md#cilium-socket-lb): for
 * in-cluster (E-W) connections the cgroup connect hook translates the Service address to a backend
 * once, at connect(), with the same map lookups as a per-packet translation; the socket then talks
 * to the backend directly, and no packet of the connection needs a service lookup or DNAT (bpf_lxc
 * skips the per-packet lb4_lookup_service block when socket-LB handles the host's services).
 * Not modelled: the cilium_lb4_reverse_sk update that getpeername() needs.
 */
import { NO_WORK, type Work } from '../cpu/workCost.ts';
import { defaultMapLookupParams, type MapLookupParams } from '../ebpf/mapLookup.ts';
import { ciliumNewConnectionLookupWork, defaultCiliumServiceLookupParams, type CiliumServiceLookupParams } from './bpfServiceLookup.ts';

/** Map work done once in connect() to translate the Service address. */
export function socketLbConnectWork(
  servicePorts: number,
  endpoints: number,
  p: CiliumServiceLookupParams = defaultCiliumServiceLookupParams,
  maps: MapLookupParams = defaultMapLookupParams,
): Work {
  return ciliumNewConnectionLookupWork(servicePorts, endpoints, p, maps);
}

/** Service-lookup work per packet (first or established) with socket-LB: none. */
export function socketLbPacketWork(): Work {
  return NO_WORK;
}
