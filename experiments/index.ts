/**
 * Every experiment `svcpath list` shows and `svcpath run NAME` runs, in list order. Adding an
 * experiment is one file in experiments/ (export default defineExperiment({...})) plus one line here.
 */
import queueValidation from './queueValidation.ts';
import serviceScaling from './serviceScaling.ts';
import latencyTail from './latencyTail.ts';
import conntrackCapacity from './conntrackCapacity.ts';
import endpointPropagation from './endpointPropagation.ts';
import staleEndpoints from './staleEndpoints.ts';
import scaleUp from './scaleUp.ts';
import policyDrops from './policyDrops.ts';
import l7Proxy from './l7Proxy.ts';
import hybridThroughput from './hybridThroughput.ts';
import capacityFactors from './capacityFactors.ts';
import kernelMemory from './kernelMemory.ts';
import vmOverhead from './vmOverhead.ts';

export const EXPERIMENTS = [queueValidation, serviceScaling, latencyTail, conntrackCapacity, endpointPropagation, staleEndpoints, scaleUp, policyDrops, l7Proxy, hybridThroughput, capacityFactors, kernelMemory, vmOverhead];
