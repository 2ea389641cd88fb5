import { describe, expect, it } from 'vitest';
import * as stats from '../../../model/engine/stats/index.ts';
import { Welford } from '../../../model/engine/stats/welford.ts';
import { TimeWeighted } from '../../../model/engine/stats/timeWeighted.ts';
import { QuantileHistogram } from '../../../model/engine/stats/quantileHistogram.ts';
import { tQuantile } from '../../../model/engine/stats/studentT.ts';
import {
  confidenceInterval,
  confidenceIntervalFromMoments,
  relativeHalfWidth,
} from '../../../model/engine/stats/confidenceInterval.ts';
import { batchMeans } from '../../../model/engine/stats/batchMeans.ts';
import { mser5 } from '../../../model/engine/stats/mser5.ts';
import { requiredReplications, summarizeReplications } from '../../../model/engine/stats/replicationSummary.ts';
import { runToPrecision, SequentialStopper, DEFAULT_MIN_REPLICATIONS } from '../../../model/engine/stats/sequentialStopping.ts';
import * as percentiles from '../../../model/engine/stats/percentiles.ts';

describe('stats index', () => {
  it('index re-exports every stats value export unchanged', () => {
    expect({ ...stats }).toEqual({
      Welford,
      TimeWeighted,
      QuantileHistogram,
      tQuantile,
      confidenceInterval,
      confidenceIntervalFromMoments,
      relativeHalfWidth,
      batchMeans,
      mser5,
      summarizeReplications,
      requiredReplications,
      runToPrecision,
      SequentialStopper,
      DEFAULT_MIN_REPLICATIONS,
      ...percentiles,
    });
  });
});
