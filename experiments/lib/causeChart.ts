/**
 * Experiments that split RTTs into causes (model/datapaths/latencyCauses.ts) report each split as
 * one summary metric per cause, `<prefix><Cause>Us` (e.g. firstTailIdleExitUs), and chart them as
 * stacked bars: one bar per sweep row, a segment per cause, the segments adding up to the RTT. This
 * file names those metrics, fills them from a split, and writes the chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import { LATENCY_CAUSES, type CauseSplitUs, type LatencyCause } from '../../model/datapaths/latencyCauses.ts';

const capitalised = (c: string): string => c[0]!.toUpperCase() + c.slice(1);

/** Summary metric of a cause in a split, e.g. causeMetric('firstTail', 'idleExit') = 'firstTailIdleExitUs'. */
export function causeMetric(prefix: string, cause: LatencyCause): string {
  return `${prefix}${capitalised(cause)}Us`;
}

/** The metrics of every cause of a split, in LATENCY_CAUSES order. */
export function causeMetrics(prefix: string): string[] {
  return LATENCY_CAUSES.map((c) => causeMetric(prefix, c));
}

/** A split's time per cause as scenario metrics; a split with no message counts as zero time per cause. */
export function causeColumns(prefix: string, split: CauseSplitUs): Record<string, number> {
  return Object.fromEntries(LATENCY_CAUSES.map((c) => [causeMetric(prefix, c), split.messages > 0 ? split.causesUs[c] : 0]));
}

export interface CauseStackChart {
  readonly title: string;
  /** The splits drawn side by side (one panel each): their metric prefix and panel title. */
  readonly splits: readonly { readonly prefix: string; readonly label: string }[];
  /** Only the summary rows for which this Vega expression is true. */
  readonly filter: string;
  /** Vega expression naming a bar (a summary row), e.g. "datum.datapath + ' / ' + datum.idleState". */
  readonly row: string;
  readonly rowTitle: string;
  /** Size of one panel, px. */
  readonly width: number;
  readonly height: number;
  /** Width of the bar labels, px. */
  readonly labelLimit: number;
}

/** A chart over the summary table (what defineExperiment's charts are). */
export type SummaryChartSpec = TopLevelSpec & { readonly data: { readonly name: 'summary' } };

/** Stacked bars of the splits' mean time per cause, one panel per split. */
export function causeStackChart(o: CauseStackChart): SummaryChartSpec {
  const columns = o.splits.flatMap((s) => causeMetrics(s.prefix).map((m) => `${m}_mean`));
  // The panel of a folded column is the split whose prefix it starts with; the cause is what follows.
  const panelOf = o.splits.reduceRight(
    (otherwise, s) => `indexof(datum.column, ${JSON.stringify(s.prefix)}) == 0 ? ${JSON.stringify(s.label)} : ${otherwise}`,
    "''",
  );
  const stripPrefixes = o.splits.reduce((expr, s) => `replace(${expr}, ${JSON.stringify(s.prefix)}, '')`, 'datum.column');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title,
    data: { name: 'summary' },
    transform: [
      { filter: o.filter },
      { fold: columns, as: ['column', 'us'] },
      { calculate: panelOf, as: 'messages' },
      { calculate: `replace(${stripPrefixes}, 'Us_mean', '')`, as: 'cause' },
      { calculate: o.row, as: 'node' },
    ],
    facet: { column: { field: 'messages', type: 'nominal', title: null, sort: o.splits.map((s) => s.label) } },
    spec: {
      width: o.width,
      height: o.height,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'node', type: 'nominal', title: o.rowTitle, sort: null, axis: { labelLimit: o.labelLimit } },
        x: { field: 'us', type: 'quantitative', title: 'µs per message (the causes add up to the RTT)', stack: 'zero' },
        color: { field: 'cause', type: 'nominal', title: 'cause', sort: LATENCY_CAUSES.map(capitalised), scale: { scheme: 'tableau20' } },
        tooltip: [
          { field: 'node', type: 'nominal' },
          { field: 'messages', type: 'nominal' },
          { field: 'cause', type: 'nominal' },
          { field: 'us', type: 'quantitative', title: 'µs', format: '.1f' },
        ],
      },
    },
    resolve: { scale: { x: 'independent' } },
  } as SummaryChartSpec;
}
