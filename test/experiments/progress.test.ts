import { describe, expect, it } from 'vitest';
import { createProgressReporter, formatDuration, progressBar } from '../../experiments/lib/progress.ts';
import type { StudyEvent } from '../../experiments/lib/runStudy.ts';

const start: StudyEvent = { kind: 'start', name: 'demo', outDir: '/r/demo', points: 4, tasks: 8, reused: 2, workers: 2, mode: 'fixed' };
const step = (done: number): StudyEvent => ({ kind: 'progress', done, total: 8, ran: done - 2, elapsedMs: 1500 * (done - 2), etaMs: 1500 * (8 - done) });

function capture(mode: 'tty' | 'lines' | 'none', events: StudyEvent[]): string {
  let out = '';
  const report = createProgressReporter(mode, (s) => (out += s));
  for (const e of events) report(e);
  return out;
}

describe('createProgressReporter(mode)', () => {
  it('formatDuration and progressBar', () => {
    expect([formatDuration(400), formatDuration(12_400), formatDuration(185_000), formatDuration(7_500_000), formatDuration(NaN)]).toEqual([
      '0.4s',
      '12s',
      '3m05s',
      '2h05m',
      '?',
    ]);
    expect(progressBar(3, 12, 8)).toBe('[##------]');
    expect(progressBar(0, 0, 4)).toBe('[####]');
  });

  it('on a terminal redraws one line with a bar and ETA, and keeps the last one', () => {
    const out = capture('tty', [start, step(3), step(8), { kind: 'writing' }]);
    expect(out).toBe(
      'demo: 4 points, 8 tasks (2 already done) on 2 workers -> /r/demo\n' +
        '\r\x1b[2Kdemo [#########---------------] 3/8 tasks  37%  ran 1 in 1.5s  ETA 7.5s' +
        '\r\x1b[2Kdemo [########################] 8/8 tasks 100%  ran 6 in 9.0s  ETA 0.0s\n' +
        'demo: writing outputs\n',
    );
  });

  it('in a pipe writes plain lines, at most one per tenth of the work', () => {
    const out = capture('lines', [start, step(3), step(3), step(4), step(8), { kind: 'note', message: 'Parquet skipped' }]);
    expect(out.split('\n')).toEqual([
      'demo: 4 points, 8 tasks (2 already done) on 2 workers -> /r/demo',
      'demo: 3/8 tasks  37%  ran 1 in 1.5s  ETA 7.5s',
      'demo: 4/8 tasks  50%  ran 2 in 3.0s  ETA 6.0s',
      'demo: 8/8 tasks 100%  ran 6 in 9.0s  ETA 0.0s',
      'demo: note: Parquet skipped',
      '',
    ]);
  });

  it('with --json says nothing', () => {
    expect(capture('none', [start, step(3), { kind: 'writing' }, { kind: 'note', message: 'x' }])).toBe('');
  });
});
