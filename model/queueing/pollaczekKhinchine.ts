/**
 * M/G/1 mean values (Pollaczek-Khinchine): Poisson arrivals at rate lambda, one FCFS server with
 * a general service time S; Wq = lambda E[S^2] / (2 (1 - rho)), rho = lambda E[S] < 1.
 * Kleinrock, Queueing Systems Vol. 1 (1975), section 5.6.
 */

export interface Mg1MeanValues {
  utilization: number;
  meanWait: number;
  meanSojourn: number;
  meanQueueLength: number;
  meanInSystem: number;
}

export function pollaczekKhinchine(arrivalRate: number, serviceMean: number, serviceSecondMoment: number): Mg1MeanValues {
  if (!(arrivalRate > 0)) throw new RangeError(`arrivalRate must be > 0, got ${arrivalRate}`);
  if (!(serviceMean > 0)) throw new RangeError(`serviceMean must be > 0, got ${serviceMean}`);
  if (!(serviceSecondMoment >= serviceMean * serviceMean)) {
    throw new RangeError(`serviceSecondMoment must be >= serviceMean^2 = ${serviceMean * serviceMean}, got ${serviceSecondMoment}`);
  }
  const rho = arrivalRate * serviceMean;
  if (!(rho < 1)) throw new RangeError(`M/G/1 is unstable: rho = ${rho} must be < 1`);
  const meanWait = (arrivalRate * serviceSecondMoment) / (2 * (1 - rho));
  const meanSojourn = meanWait + serviceMean;
  return {
    utilization: rho,
    meanWait,
    meanSojourn,
    meanQueueLength: arrivalRate * meanWait,
    meanInSystem: arrivalRate * meanSojourn,
  };
}
