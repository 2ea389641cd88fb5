/**
 * The element ids of the report, in one place: the findings link to charts, summary rows,
 * calibration entries and fact records by these ids, and the sections that draw those carry them,
 * so a link and its target cannot drift apart (the browser test follows every link).
 */
export const anchors = {
  claim: (id: string) => `claim-${id}`,
  question: (n: number) => `question-${n}`,
  experiment: (dir: string) => dir,
  chart: (dir: string, chart: string) => `${dir}-chart-${chart}`,
  row: (dir: string, point: number) => `${dir}-row-${point}`,
  calibration: (key: string) => `calibration-${key.replace(/\./g, '-')}`,
  fact: (key: string) => `fact-${key.replace(/\./g, '-')}`,
  manifest: (dir: string) => `manifest-${dir}`,
};

/** The chart's name from its file: chart-<name>.vl.json -> <name>; chart.vl.json -> "chart". */
export function chartName(file: string): string {
  const m = /^chart(?:-(.+))?\.vl\.json$/.exec(file);
  return m?.[1] ?? 'chart';
}
