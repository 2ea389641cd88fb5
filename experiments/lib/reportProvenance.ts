/**
 * The end of the report: where every number comes from. The calibration table (every default of
 * the model with unit, label and source, as `svcpath params` prints it), the sourced fact records
 * the claims check configuration against, and each experiment's manifest. Each row carries the id
 * the findings link to (reportAnchors.ts).
 */
import { calibrationTable } from '../../model/calibration/index.ts';
import { FACTS } from '../claims/facts.ts';
import { citeSource } from '../claims/factRecord.ts';
import { anchors } from './reportAnchors.ts';
import { escapeHtml, formatCell, type ReportSection } from './reportHtml.ts';

function valueText(value: number, range?: readonly [number, number]): string {
  return range ? `${formatCell(value)} [${formatCell(range[0])}, ${formatCell(range[1])}]` : formatCell(value);
}

export function calibrationHtml(): string {
  const rows = calibrationTable.map((e) =>
    [
      `<tr id="${anchors.calibration(e.key)}">`,
      `<td><code>${escapeHtml(e.key)}</code></td>`,
      `<td class="num">${escapeHtml(valueText(e.value, e.range))}</td>`,
      `<td>${escapeHtml(e.unit)}</td>`,
      `<td>${escapeHtml(e.label)}</td>`,
      `<td>${escapeHtml(e.meaning)}${e.derivation ? `<br><span class="note">derived: ${escapeHtml(e.derivation)}</span>` : ''}<br><span class="note">${escapeHtml(e.source)}</span></td>`,
      `</tr>`,
    ].join(''),
  );
  return [
    `<section id="calibration">`,
    `<h2>Calibration table</h2>`,
    `<p>Every default number of the model, once, with its unit, its label (sourced: stated by the source; derived: computed from sourced values; assumption: no source, with the plausible range) and its source. <code>svcpath params</code> prints the same.</p>`,
    `<div class="table-wrap"><table class="calibration"><thead><tr><th>key</th><th>value [range]</th><th>unit</th><th>label</th><th>meaning and source</th></tr></thead><tbody>`,
    ...rows,
    `</tbody></table></div>`,
    `</section>`,
  ].join('\n');
}

export function factsHtml(): string {
  const rows = FACTS.map((f) =>
    [
      `<tr id="${anchors.fact(f.key)}">`,
      `<td><code>${escapeHtml(f.key)}</code><br>${escapeHtml(f.subject)}</td>`,
      `<td>${escapeHtml(typeof f.value === 'string' ? f.value : formatCell(f.value))}${f.unit ? ` ${escapeHtml(f.unit)}` : ''}</td>`,
      `<td>${escapeHtml(f.status)}</td>`,
      `<td>${escapeHtml(f.note)}<ul class="sources">${f.sources.map((s) => `<li>${escapeHtml(citeSource(s))}</li>`).join('')}<li>docs/sources.md#${escapeHtml(f.anchor)}</li></ul></td>`,
      `</tr>`,
    ].join(''),
  );
  return [
    `<section id="facts">`,
    `<h2>Sourced facts</h2>`,
    `<p>Real option names and defaults, what a sysctl does, which metrics and maps exist: the records configuration claims are checked against, each with the source it was read from.</p>`,
    `<div class="table-wrap"><table class="facts-table"><thead><tr><th>record</th><th>value</th><th>status</th><th>note and sources</th></tr></thead><tbody>`,
    ...rows,
    `</tbody></table></div>`,
    `</section>`,
  ].join('\n');
}

export function manifestsHtml(sections: readonly ReportSection[]): string {
  const items = sections.map((s) => {
    const facts = s.facts.length
      ? `<table class="facts"><tbody>${s.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`
      : '';
    return `<details id="${anchors.manifest(s.dir)}"><summary>${escapeHtml(s.title)}: manifest.json</summary>${facts}<pre>${escapeHtml(s.manifestJson)}</pre></details>`;
  });
  return [`<section id="manifests">`, `<h2>Manifests</h2>`, `<p>What each results folder holds and where it came from: parameters, seeds, versions, git revision, timings.</p>`, ...items, `</section>`].join('\n');
}
