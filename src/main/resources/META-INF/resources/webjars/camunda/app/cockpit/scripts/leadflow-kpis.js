/*
 * leadflow: the shared KPIs on the Cockpit dashboard (plugin point cockpit.dashboard).
 * Plain JavaScript, HTML bars, no library. Reads our API /api/kpis/... with the browser's
 * same-origin credentials: the Cockpit session (cookie) is the login (GET only). A refusal, an
 * error or a request without an answer is shown as a message, never as "loading" forever;
 * #lf-status carries data-state (loading, loaded, failed) and data-filter for tests.
 */

const KPI_API = '/api/kpis/';

const STAGE_NAMES = {
  INQUIRY: 'Inquiry',
  MQL: 'MQL',
  SAL: 'SAL',
  SQL: 'SQL',
  OPPORTUNITY: 'Opportunity'
};

/** The SLAs by the names of their tasks (the keys of leadflow.sla.deadlines). */
const SLA_NAMES = {
  reviewMql: 'Review MQL',
  acceptLead: 'Accept lead',
  firstTouch: 'First touch',
  firstTouchGradeA: 'First touch, grade A',
  contactAttempt: 'Later contact attempts',
  fixLeadData: 'Fix lead data',
  qualifyLead: 'Qualify lead',
  assignByHand: 'Assign lead by hand'
};

/** The reject reasons as Accept lead's form names them. */
const REJECT_REASONS = {
  procedural: 'Procedural (wrongly routed)',
  clerical: 'Clerical (data incomplete)',
  definitional: 'Definitional (below the definition)'
};

/** Minutes as a manager reads them: "45 s", "6.4 min", "2.5 h", "3.1 days". */
const duration = minutes => {
  if (minutes == null) {
    return '–';
  }
  if (minutes < 1) {
    return Math.round(minutes * 60) + ' s';
  }
  if (minutes < 60) {
    return (Math.round(minutes * 10) / 10) + ' min';
  }
  if (minutes < 24 * 60) {
    return (Math.round(minutes / 6) / 10) + ' h';
  }
  const days = Math.round(minutes / 144) / 10;
  return days + (days === 1 ? ' day' : ' days');
};

const count = (n, one, many) => n + ' ' + (n === 1 ? one : many);

const percent = value => (value == null ? '–' : (value * 100).toFixed(1) + ' %');

const escapeHtml = text =>
  String(text === null || text === undefined ? '' : text).replace(/[&<>"']/g, c => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'
  })[c]);

/** The filter's fields as the dashboard labels them. */
const FIELD_NAMES = { from: 'From', to: 'To', source: 'Source', month: 'Month' };

/** The most days one period may span (the API's limit). */
const MAX_DAYS = 366;

/** How long one KPI request may take before the dashboard says so instead of loading on. */
const KPI_TIMEOUT_MS = 60000;

/** Why the API refused, in words a manager can act on (401/403 come from the Cockpit session). */
const refusal = status => {
  if (status === 401) {
    return 'your Cockpit session is not accepted by the KPI API (logged out or expired?): log in again';
  }
  if (status === 403) {
    return 'your user may not read the KPIs (ask an administrator for the group that reads them)';
  }
  return null;
};

const fetchKpi = async (kpi, filter) => {
  const params = new URLSearchParams();
  Object.entries(filter).forEach(([key, value]) => {
    if (value) {
      params.set(key, value);
    }
  });
  // the Cockpit session cookie is the login (GET only); a request that never answers is aborted
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), KPI_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(KPI_API + kpi + '?' + params.toString(), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      signal: abort.signal
    });
  } catch (e) {
    throw new Error(kpi + ': ' + (e.name === 'AbortError'
      ? 'no answer within ' + KPI_TIMEOUT_MS / 1000 + ' s'
      : 'the server could not be reached (' + e.message + ')'));
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let detail = refusal(response.status) || response.statusText;
    try {
      const problem = await response.json();
      detail = refusal(response.status)
        || (problem.errors || []).map(e => (FIELD_NAMES[e.field] || e.field) + ' ' + e.reason.replace(/\bfrom\b/, 'From')).join(', ')
        || problem.detail || detail;
    } catch (e) {
      // not a problem document
    }
    throw new Error(detail);
  }
  return response.json();
};

const bar = (share, color) =>
  `<div style="background:#eee;height:14px;width:100%;border-radius:2px">
     <div style="background:${color};height:14px;width:${Math.max(0, Math.min(100, share * 100)).toFixed(1)}%;border-radius:2px"></div>
   </div>`;

const csvLink = (kpi, filter) => {
  const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)), format: 'csv' });
  return `<a href="${KPI_API}${kpi}?${escapeHtml(params.toString())}" class="lf-csv">CSV</a>`;
};

const renderFunnel = (funnel, filter) => {
  const max = Math.max(1, ...funnel.rows.map(r => r.entered));
  const rows = funnel.rows.map(r => `
    <tr data-stage="${escapeHtml(r.stage)}">
      <td style="width:110px">${escapeHtml(STAGE_NAMES[r.stage] || r.stage)}</td>
      <td style="width:70px;text-align:right" class="lf-entered" data-kpi="funnel-${escapeHtml(r.stage)}">${r.entered}</td>
      <td>${bar(r.entered / max, '#2f6fb3')}</td>
      <td style="width:110px;text-align:right" title="next-step conversion">${percent(r.nextStepConversion)}</td>
      <td style="width:110px;text-align:right" title="cumulative conversion">${percent(r.cumulativeConversion)}</td>
      <td style="width:110px;text-align:right;color:#b5152b" class="lf-dropoff" title="drop-off to the next stage">${
        r.dropOffToNext == null ? '' : '↓ ' + percent(r.dropOffToNext)}</td>
    </tr>`).join('');
  return `<h4>Funnel ${csvLink('funnel', filter)}</h4>
    <table class="table table-condensed" id="lf-funnel">
      <thead><tr><th>Stage</th><th style="text-align:right">Entered</th><th></th>
        <th style="text-align:right">Next step</th><th style="text-align:right">Cumulative</th><th style="text-align:right">Drop-off</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>`;
};

const renderSla = (sla, filter) => {
  const rows = sla.rows.filter(r => r.rep === '').map(r => `
    <tr data-sla="${escapeHtml(r.sla)}">
      <td style="width:160px">${escapeHtml(SLA_NAMES[r.sla] || r.sla)} <small>(${escapeHtml(r.team)})</small></td>
      <td style="width:120px;text-align:right">${r.tasks - r.breached} / ${r.tasks}</td>
      <td>${bar(r.attainment == null ? 0 : r.attainment, r.attainment != null && r.attainment < 0.9 ? '#d9822b' : '#3c8d40')}</td>
      <td style="width:80px;text-align:right" data-kpi="sla-${escapeHtml(r.sla)}">${percent(r.attainment)}</td>
    </tr>`).join('');
  return `<h4>SLA attainment ${csvLink('sla-attainment', filter)}</h4>
    <table class="table table-condensed" id="lf-sla"><tbody>${rows}</tbody></table>`;
};

const renderSpeed = speed => `<h4>Speed to lead</h4>
  <p id="lf-speed">Capture → first contact attempt: median <b data-kpi="speed-p50">${
    duration(speed.summary.p50Minutes)}</b>, 90 % within <b data-kpi="speed-p90">${
    duration(speed.summary.p90Minutes)}</b> (${count(speed.summary.leads, 'lead', 'leads')})</p>`;

/** The months a period touches (YYYY-MM), from its first to its last day; this month when the period is empty. */
const monthsOf = (from, to) => {
  const today = new Date().toISOString().substring(0, 10);
  let month = (from || today).substring(0, 7);
  const last = (to || today).substring(0, 7);
  const months = [];
  while (month <= last && months.length < 13) {
    months.push(month);
    const [y, m] = month.split('-').map(Number);
    month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return months;
};

/** Each month's SQLs (all sources: the target is the company's) against the agreed monthly target. */
const renderSqlTargets = targets => {
  const thisMonth = new Date().toISOString().substring(0, 7);
  const rows = targets.map(({ month, target }) => {
    const s = target.summary;
    const gap = s.missing === 0 ? 'target reached'
      : month < thisMonth ? `<span style="color:#b5152b">missed by ${s.missing}</span>` : `<span style="color:#b5152b">${s.missing} to go</span>`;
    return `<tr data-month="${escapeHtml(month)}">
      <td style="width:80px">${escapeHtml(month)}</td>
      <td style="width:110px"><b data-kpi="sql-target-${escapeHtml(month)}">${s.sqls} of ${s.target}</b></td>
      <td>${bar(s.attainment == null ? 0 : s.attainment, s.attainment != null && s.attainment >= 1 ? '#3c8d40' : '#2f6fb3')}</td>
      <td style="width:150px;text-align:right">${percent(s.attainment)}, ${gap}</td>
    </tr>`;
  }).join('');
  return `<h4>SQL target per month <small>(all sources)</small></h4>
    <table class="table table-condensed" id="lf-sql-target"><tbody>${rows}</tbody></table>`;
};

const renderRejects = (rejects, filter) => {
  const rows = rejects.rows.map(r => `
    <tr data-reason="${escapeHtml(r.reason)}">
      <td style="width:160px">${escapeHtml(REJECT_REASONS[r.reason] || r.reason)}</td>
      <td style="width:60px;text-align:right" data-kpi="reject-${escapeHtml(r.reason)}">${r.count}</td>
      <td>${bar(r.share, '#8a4baf')}</td>
      <td style="width:80px;text-align:right">${percent(r.share)}</td>
    </tr>`).join('');
  return `<h4>Reject reasons ${csvLink('reject-reasons', filter)}</h4>
    ${rejects.rows.length ? `<table class="table table-condensed" id="lf-rejects"><tbody>${rows}</tbody></table>` : '<p>No rejections in this period.</p>'}`;
};

/** What is wrong with the period before asking (the API would say it in its field names), or null. */
const periodProblem = filter => {
  if (filter.from && filter.to && filter.from > filter.to) {
    return 'To must not be before From';
  }
  if (filter.from && filter.to && (Date.parse(filter.to) - Date.parse(filter.from)) / 86400000 >= MAX_DAYS) {
    return 'the period must not be longer than ' + MAX_DAYS + ' days';
  }
  return null;
};

const dashboard = {
  id: 'leadflow.kpis',
  pluginPoint: 'cockpit.dashboard',
  priority: 100,
  render: node => {
    node.innerHTML = `
      <section id="leadflow-kpis" class="dashboard-row" style="padding:10px 0">
        <h3>Leads: one set of numbers for marketing and sales</h3>
        <form id="lf-filter" class="form-inline" style="margin-bottom:10px">
          <label>From <input type="date" id="lf-from" name="from" class="form-control"></label>
          <label>To <input type="date" id="lf-to" name="to" class="form-control"></label>
          <small title="in the SLA's time zone">(empty: this month up to today)</small>
          <label>Source <select id="lf-source" name="source" class="form-control"><option value="">all sources</option></select></label>
          <button type="submit" id="lf-apply" class="btn btn-default">Show</button>
          <span id="lf-status" style="margin-left:10px"></span>
        </form>
        <div id="lf-error" class="alert alert-danger" style="display:none"></div>
        <div class="row" id="lf-panels">
          <div class="col-md-7" id="lf-funnel-box"></div>
          <div class="col-md-5"><div id="lf-target-box"></div><div id="lf-sla-box"></div><div id="lf-speed-box"></div><div id="lf-rejects-box"></div></div>
        </div>
      </section>`;

    const form = node.querySelector('#lf-filter');
    const sourceSelect = node.querySelector('#lf-source');
    const status = node.querySelector('#lf-status');
    const error = node.querySelector('#lf-error');

    const currentFilter = () => ({
      from: node.querySelector('#lf-from').value,
      to: node.querySelector('#lf-to').value,
      source: sourceSelect.value
    });

    const fillSources = loop => {
      const chosen = sourceSelect.value;
      const sources = [...new Set(loop.rows.map(r => r.source).filter(s => s))].sort();
      if (chosen && !sources.includes(chosen)) {
        sources.push(chosen);
      }
      sourceSelect.innerHTML = '<option value="">all sources</option>' + sources
        .map(s => `<option value="${escapeHtml(s)}"${s === chosen ? ' selected' : ''}>${escapeHtml(s)}</option>`).join('');
    };

    // a newer load (another filter) wins: an older answer arriving later is dropped
    let latest = 0;

    const load = async () => {
      const filter = currentFilter();
      const mine = ++latest;
      status.textContent = 'loading…';
      status.dataset.state = 'loading';
      status.dataset.filter = JSON.stringify(filter);
      error.style.display = 'none';
      try {
        const problem = periodProblem(filter);
        if (problem) {
          throw new Error(problem);
        }
        // the SQL target is a month's, the company's: each month the period touches, all sources
        const months = monthsOf(filter.from, filter.to);
        const [funnel, sla, speed, rejects, loop, ...targets] = await Promise.all([
          fetchKpi('funnel', filter), fetchKpi('sla-attainment', filter), fetchKpi('speed-to-lead', filter),
          fetchKpi('reject-reasons', filter), fetchKpi('closed-loop', { from: filter.from, to: filter.to }),
          ...months.map(month => fetchKpi('sql-target', { month }))
        ]);
        if (mine !== latest) {
          return;
        }
        fillSources(loop);
        node.querySelector('#lf-funnel-box').innerHTML = renderFunnel(funnel, filter);
        node.querySelector('#lf-sla-box').innerHTML = renderSla(sla, filter);
        node.querySelector('#lf-speed-box').innerHTML = renderSpeed(speed);
        node.querySelector('#lf-target-box').innerHTML = renderSqlTargets(months.map((month, i) => ({ month, target: targets[i] })));
        node.querySelector('#lf-panels').style.opacity = '';
        node.querySelector('#lf-rejects-box').innerHTML = renderRejects(rejects, filter);
        status.textContent = 'as of ' + new Date().toLocaleTimeString();
        status.dataset.state = 'loaded';
      } catch (e) {
        if (mine !== latest) {
          return;
        }
        error.textContent = 'The KPIs could not be loaded: ' + e.message;
        error.style.display = 'block';
        // the figures below are another period's: shown faded, not as this filter's
        node.querySelector('#lf-panels').style.opacity = '0.3';
        status.textContent = '';
        status.dataset.state = 'failed';
      }
    };

    form.addEventListener('submit', event => {
      event.preventDefault();
      load();
    });
    sourceSelect.addEventListener('change', load);
    load();
  }
};

export default [dashboard];
