/**
 * Progress of a study on stderr: on a terminal one line redrawn in place (bar, counts, ETA); in a
 * pipe or log plain lines, at most one per 10 % or 5 s; with --json nothing at all (stdout then
 * carries one JSON object). Only the CLI uses this; the runner just emits events.
 */
import type { StudyEvent } from './runStudy.ts';
import { MIN_PER_HOUR, SEC_PER_MIN } from '../../model/units.ts';

export type ProgressMode = 'tty' | 'lines' | 'none';

export interface ProgressReporter {
  (event: StudyEvent): void;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < SEC_PER_MIN) return `${Math.round(s)}s`;
  const m = Math.floor(s / SEC_PER_MIN);
  if (m < MIN_PER_HOUR) return `${m}m${String(Math.round(s - m * SEC_PER_MIN)).padStart(2, '0')}s`;
  return `${Math.floor(m / MIN_PER_HOUR)}h${String(m % MIN_PER_HOUR).padStart(2, '0')}m`;
}

export function progressBar(done: number, total: number, width = 24): string { // calibration-exempt: presentation: bar width in characters
  const f = total > 0 ? Math.min(1, done / total) : 1;
  const full = Math.round(f * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}]`;
}

export function createProgressReporter(mode: ProgressMode, write: (s: string) => void = (s) => process.stderr.write(s)): ProgressReporter {
  let name = '';
  let lastDraw = 0;
  let lastLineFraction = -1;
  let lastLineAt = 0;
  let barShown = false;
  const clearBar = () => {
    if (barShown) write('\r\x1b[2K');
    barShown = false;
  };
  const status = (e: Extract<StudyEvent, { kind: 'progress' }>) => {
    const pct = e.total > 0 ? Math.floor((100 * e.done) / e.total) : 100;
    const eta = e.etaMs === null ? '' : `  ETA ${formatDuration(e.etaMs)}`;
    return `${e.done}/${e.total} tasks ${String(pct).padStart(3)}%  ran ${e.ran} in ${formatDuration(e.elapsedMs)}${eta}`;
  };
  return (e) => {
    if (mode === 'none') return;
    const now = Date.now();
    switch (e.kind) {
      case 'start':
        name = e.name;
        write(
          `${e.name}: ${e.points} points, ${e.tasks} tasks` +
            (e.reused > 0 ? ` (${e.reused} already done)` : '') +
            (e.workers > 0 ? ` on ${e.workers} worker${e.workers === 1 ? '' : 's'}` : '') +
            `${e.mode === 'precision' ? ', replications until the precision target' : ''} -> ${e.outDir}\n`,
        );
        break;
      case 'progress':
        if (mode === 'tty') {
          if (now - lastDraw < 100 && e.done < e.total) return;
          lastDraw = now;
          write(`\r\x1b[2K${name} ${progressBar(e.done, e.total)} ${status(e)}`);
          barShown = true;
        } else {
          const fraction = e.total > 0 ? Math.floor((10 * e.done) / e.total) : 10;
          if (fraction === lastLineFraction && now - lastLineAt < 5000 && e.done < e.total) return; // calibration-exempt: presentation: at most one plain progress line per 5 s
          lastLineFraction = fraction;
          lastLineAt = now;
          write(`${name}: ${status(e)}\n`);
        }
        break;
      case 'writing':
        if (barShown) write('\n');
        barShown = false;
        write(`${name}: writing outputs\n`);
        break;
      case 'note':
        clearBar();
        write(`${name}: note: ${e.message}\n`);
        break;
    }
  };
}
