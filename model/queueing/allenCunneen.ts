/**
 * G/G/c mean wait, approximately (Allen-Cunneen): Wq ~ Wq(M/M/c) x (ca^2 + cs^2) / 2, where ca^2 and
 * cs^2 are the squared coefficients of variation of the inter-arrival and service times. With
 * c = 1 it is Kingman's heavy-traffic formula. It is exact for M/M/c (ca^2 = cs^2 = 1) and for M/G/1
 * (it reduces to Pollaczek-Khinchine); elsewhere it is an approximation, typically within about
 * 10 % for moderate variability and load and worse at light load or high variability.
 * Allen, Probability, Statistics and Queueing Theory (2nd ed., 1990), section 6.2; Kingman,
 * "The single server queue in heavy traffic", Proc. Cambridge Phil. Soc. 57 (1961);
 * Gross & Harris, Fundamentals of Queueing Theory, section 7.2.
 */
import { erlangC } from './erlangC.ts';

export interface GgcApproximation {
  utilization: number;
  meanWait: number;
  meanSojourn: number;
  meanQueueLength: number;
  meanInSystem: number;
}

export function allenCunneen(
  arrivalRate: number,
  serviceMean: number,
  servers: number,
  interarrivalScv: number,
  serviceScv: number,
): GgcApproximation {
  if (!(interarrivalScv >= 0)) throw new RangeError(`interarrivalScv must be >= 0, got ${interarrivalScv}`);
  if (!(serviceScv >= 0)) throw new RangeError(`serviceScv must be >= 0, got ${serviceScv}`);
  const mmc = erlangC(arrivalRate, 1 / serviceMean, servers);
  const meanWait = (mmc.meanWait * (interarrivalScv + serviceScv)) / 2;
  const meanSojourn = meanWait + serviceMean;
  return {
    utilization: mmc.utilization,
    meanWait,
    meanSojourn,
    meanQueueLength: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
  };
}
