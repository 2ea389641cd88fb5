/**
 * The opening of the report: what svcpath found. The verdict counts, the claims table (every
 * claim of the seed with its verdict, the claimed and the model's value, links to the chart and
 * the summary rows or the fact and calibration rows behind it, and the rule, explanation and
 * sources on demand), filterable by question and verdict; then one short section per seed
 * question with its key chart and a plain answer. Pure HTML from the claims' evaluation
 * (experiments/claims/evaluate.ts); report.ts puts it first.
 */
import { VERDICTS, type EvidenceRef, type Verdict } from '../claims/claimTypes.ts';
import type { ClaimResult, ClaimsEvaluation } from '../claims/evaluate.ts';
import { SEED_QUESTIONS } from '../claims/seedQuestions.ts';
import { escapeHtml } from './reportHtml.ts';
import { anchors } from './reportAnchors.ts';

export const VERDICT_LABEL: Record<Verdict, string> = {
  supported: 'supported',
  wrong: 'wrong',
  misleading: 'misleading',
  unsupported: 'unsupported',
  'out-of-scope': 'out of scope',
  pending: 'pending',
};

/** A chart of an experiment section, as the question sections re-draw it. */
export interface KeyChartRef {
  /** The element id of the chart's spec block and of its experiment's data block. */
  readonly specId: string;
  readonly dataId: string;
  readonly datasets: readonly string[];
  readonly caption: string;
}

/** What the findings need from the rest of the report: which charts and rows exist. */
export interface FindingsContext {
  /** `dir/chart` -> the chart, for every chart that rendered in an experiment section. */
  readonly charts: ReadonlyMap<string, KeyChartRef>;
  /** `dir` -> the points its summary table shows. */
  readonly rows: ReadonlyMap<string, ReadonlySet<number>>;
}

function verdictBadge(v: Verdict): string {
  return `<span class="verdict v-${v}">${escapeHtml(VERDICT_LABEL[v])}</span>`;
}

function countsHtml(claims: readonly ClaimResult[], question?: number): string {
  const counts = new Map<Verdict, number>(VERDICTS.map((v) => [v, 0]));
  for (const c of claims) counts.set(c.verdict, counts.get(c.verdict)! + 1);
  return VERDICTS.filter((v) => counts.get(v)! > 0)
    .map((v) => `<button type="button" class="count v-${v}" data-filter-verdict="${v}"${question !== undefined ? ` data-filter-question="${question}"` : ''}><b>${counts.get(v)}</b> ${escapeHtml(VERDICT_LABEL[v])}</button>`)
    .join(' ');
}

/** Links to the evidence that exists in the page: chart and summary rows by experiment, fact and calibration rows. */
function evidenceLinks(c: ClaimResult, ctx: FindingsContext): string {
  const byExperiment = new Map<string, string[]>();
  const add = (experiment: string, link: string) => byExperiment.set(experiment, [...(byExperiment.get(experiment) ?? []), link]);
  if (c.chart !== null && ctx.charts.has(`${c.chart.experiment}/${c.chart.chart}`)) {
    add(c.chart.experiment, `<a href="#${anchors.chart(c.chart.experiment, c.chart.chart)}" title="chart ${escapeHtml(c.chart.chart)}">chart</a>`);
  }
  const other: string[] = [];
  const seen = new Set<string>();
  for (const e of c.evidence as readonly EvidenceRef[]) {
    if (e.kind === 'experiment') {
      const shown = ctx.rows.get(e.experiment);
      for (const p of e.points) {
        const key = `${e.experiment}#${p}`;
        if (seen.has(key) || shown === undefined || !shown.has(p)) continue;
        seen.add(key);
        add(e.experiment, `<a href="#${anchors.row(e.experiment, p)}" title="summary row ${p}">row ${p}</a>`);
      }
    } else if (!seen.has(`${e.kind}:${e.key}`)) {
      seen.add(`${e.kind}:${e.key}`);
      const href = e.kind === 'calibration' ? anchors.calibration(e.key) : anchors.fact(e.key);
      other.push(`${e.kind} <a href="#${href}">${escapeHtml(e.key)}</a>`);
    }
  }
  const links = [...[...byExperiment.entries()].map(([exp, ls]) => `${escapeHtml(exp)}: ${ls.join(', ')}`), ...other];
  if (links.length === 0 && c.verdict === 'pending' && c.experiment !== null) links.push(`<span class="note">waits for ${escapeHtml(c.experiment)}</span>`);
  return links.join('<br>');
}

function claimRow(c: ClaimResult, ctx: FindingsContext): string {
  const details = [
    `<p><b>Rule.</b> ${escapeHtml(c.rule)}</p>`,
    `<p><b>Why this verdict.</b> ${escapeHtml(c.verdictReason)}</p>`,
    `<p>${escapeHtml(c.explanation)}</p>`,
    c.needsFullRun ? `<p class="note">Needs the full run: ${escapeHtml(c.needsFullRun)}</p>` : '',
    c.sources.length > 0 ? `<p><b>Sources.</b></p><ul class="sources">${c.sources.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : '',
  ].join('');
  return [
    `<tr id="${anchors.claim(c.id)}" data-question="${c.question}" data-verdict="${c.verdict}">`,
    `<td><a href="#${anchors.question(c.question)}">Q${c.question}</a></td>`,
    `<td>${verdictBadge(c.verdict)}</td>`,
    `<td><q>${escapeHtml(c.claim)}</q><details><summary>${escapeHtml(c.id)}: rule, explanation, sources</summary>${details}</details></td>`,
    `<td>${escapeHtml(c.claimedValue)}</td>`,
    `<td>${escapeHtml(c.modelText || '—')}</td>`,
    `<td class="links">${evidenceLinks(c, ctx)}</td>`,
    `</tr>`,
  ].join('');
}

function experimentNotes(evaluation: ClaimsEvaluation): string {
  const notes: string[] = [];
  const missing = evaluation.experiments.filter((e) => e.built && e.read && e.status !== 'fresh');
  if (missing.length > 0) {
    notes.push(`Results missing or stale: ${missing.map((e) => `${e.name} (${e.status})`).join(', ')}. Their claims are pending or flagged; run <code>npm start</code> (or <code>svcpath claims --run-missing</code>) and rebuild the report.`);
  }
  const unbuilt = evaluation.experiments.filter((e) => !e.built);
  if (unbuilt.length > 0) notes.push(`Not built yet: ${unbuilt.map((e) => `${e.name} (${e.claims.length} claims wait for it)`).join(', ')}.`);
  const unwired = evaluation.experiments.filter((e) => e.built && !e.read);
  if (unwired.length > 0) notes.push(`Built, but no claim reads it yet: ${unwired.map((e) => `${e.name} (${e.claims.length} claims wait for it)`).join(', ')}.`);
  const quick = evaluation.experiments.filter((e) => e.status === 'fresh' && e.quick).map((e) => e.name);
  if (quick.length > 0) notes.push(`From quick-mode results: ${quick.join(', ')}.`);
  return notes.map((n) => `<p class="note">${n}</p>`).join('\n');
}

/** The findings: counts, filters and the claims table. */
export function findingsHtml(evaluation: ClaimsEvaluation, ctx: FindingsContext): string {
  const claims = evaluation.claims;
  const questionOptions = SEED_QUESTIONS.map((q) => `<option value="${q.number}">Q${q.number}: ${escapeHtml(q.topic)}</option>`).join('');
  const verdictOptions = VERDICTS.map((v) => `<option value="${v}">${escapeHtml(VERDICT_LABEL[v])}</option>`).join('');
  return [
    `<section id="findings">`,
    `<h2>What svcpath found</h2>`,
    `<p>${claims.length} claims from the seed's eight answers and their follow-ups, each with a verdict computed from this folder's results, the calibration table and sourced fact records (nothing in this page was decided by hand; <code>svcpath claims</code> prints the same).</p>`,
    `<p class="counts">${countsHtml(claims)}</p>`,
    experimentNotes(evaluation),
    `<div class="filters"><label>Question <select id="filter-question"><option value="">all</option>${questionOptions}</select></label> `,
    `<label>Verdict <select id="filter-verdict"><option value="">all</option>${verdictOptions}</select></label> `,
    `<span id="filter-count" class="note">${claims.length} of ${claims.length} claims</span></div>`,
    `<div class="table-wrap claims-wrap"><table id="claims-table" class="claims"><thead><tr><th>Q</th><th>verdict</th><th>claim</th><th>claimed</th><th>model / source</th><th>evidence</th></tr></thead><tbody>`,
    ...claims.map((c) => claimRow(c, ctx)),
    `</tbody></table></div>`,
    `</section>`,
  ].join('\n');
}

/** One section per seed question: topic, situation, plain answer, verdicts, key chart. */
export function questionsHtml(evaluation: ClaimsEvaluation, ctx: FindingsContext): string {
  const byId = new Map(evaluation.claims.map((c) => [c.id, c]));
  const text = (id: string, measure = 'primary'): string => {
    const c = byId.get(id);
    if (c === undefined) throw new Error(`a seed question's answer names claim "${id}", which is not in the registry`);
    return c.measured[measure] ?? '(not measured yet)';
  };
  const sections = SEED_QUESTIONS.map((q) => {
    const claims = evaluation.claims.filter((c) => c.question === q.number);
    let chart: string;
    if ('pending' in q.keyChart) {
      chart = `<p class="note">Key chart: ${escapeHtml(q.keyChart.pending.startsWith('none') ? q.keyChart.pending : `pending, needs experiment ${q.keyChart.pending}`)}.</p>`;
    } else {
      const ref = ctx.charts.get(`${q.keyChart.experiment}/${q.keyChart.chart}`);
      chart = ref === undefined
        ? `<p class="note">Key chart ${escapeHtml(q.keyChart.experiment)}/${escapeHtml(q.keyChart.chart)}: no results in this folder yet.</p>`
        : [
            `<figure class="chart">`,
            `<div class="chart-view" data-chart data-spec="${ref.specId}" data-data="${ref.dataId}" data-datasets="${escapeHtml(ref.datasets.join(','))}" data-status="pending"></div>`,
            `<figcaption>Key chart: <a href="#${anchors.chart(q.keyChart.experiment, q.keyChart.chart)}">${escapeHtml(ref.caption)}</a></figcaption>`,
            `</figure>`,
          ].join('\n');
    }
    return [
      `<section class="seed-question" id="${anchors.question(q.number)}">`,
      `<h3>Q${q.number}: ${escapeHtml(q.topic)}</h3>`,
      `<p class="situation">${escapeHtml(q.situation)}</p>`,
      `<p class="answer"><b>Answer.</b> ${escapeHtml(q.answer(text))}</p>`,
      `<p class="counts">${countsHtml(claims, q.number)}</p>`,
      chart,
      `</section>`,
    ].join('\n');
  });
  return [`<section id="questions">`, `<h2>The seed's questions</h2>`, ...sections, `</section>`].join('\n');
}

/** Filtering the claims table: the two selects, and the count buttons that set them. */
export const FINDINGS_CLIENT = `
(() => {
  const q = document.getElementById('filter-question');
  const v = document.getElementById('filter-verdict');
  const count = document.getElementById('filter-count');
  if (!q || !v) return;
  const rows = [...document.querySelectorAll('#claims-table tbody tr')];
  const apply = () => {
    let shown = 0;
    for (const r of rows) {
      const ok = (!q.value || r.dataset.question === q.value) && (!v.value || r.dataset.verdict === v.value);
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' claims';
  };
  q.addEventListener('change', apply);
  v.addEventListener('change', apply);
  for (const b of document.querySelectorAll('button[data-filter-verdict]')) {
    b.addEventListener('click', () => {
      v.value = b.dataset.filterVerdict;
      q.value = b.dataset.filterQuestion || '';
      apply();
      document.getElementById('findings').scrollIntoView();
    });
  }
})();
`;
