// Classroom page of alliance-sim. Plain JavaScript and SVG, no libraries, nothing fetched from
// elsewhere. The simulation runs in the server; this page asks for the next day(s) at the
// chosen speed (polling) and draws each answer. Controls, ranges and defaults come from
// /api/controls (the model's parameter registry): no range is repeated here.
'use strict';

const SVGNS = 'http://www.w3.org/2000/svg';
const state = {
  session: null,
  controls: [],
  values: {},        // control name -> value (shared by both panels, except the setting)
  running: false,
  sideBySide: false,
  panels: [],
  loop: 0,           // token of the running loop: starting or pausing ends any earlier loop
  pending: 0,        // step requests not yet answered
  steps: Promise.resolve(),  // the last step request: each waits for the one before
};

// ---- helpers --------------------------------------------------------------------------------
function el(tag, attrs = {}, parent = null) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}
function clamp01(x) { return Math.max(0, Math.min(1, x)); }
function mix(a, b, t) { return a.map((v, i) => Math.round(v + (b[i] - v) * t)); }
function rgb(c) { return `rgb(${c[0]},${c[1]},${c[2]})`; }
// Alliance 0..1 -> red (weak) .. amber .. green (strong).
function allianceColour(a) {
  const t = clamp01((a - 0.3) / 0.5);
  return t < 0.5 ? rgb(mix([198, 40, 40], [217, 119, 6], t * 2)) : rgb(mix([217, 119, 6], [27, 138, 75], t * 2 - 1));
}
function moodColour(m) {
  const t = clamp01((m - 0.35) / 0.4);
  return t < 0.5 ? rgb(mix([236, 205, 205], [240, 232, 205], t * 2)) : rgb(mix([240, 232, 205], [210, 236, 214], t * 2 - 1));
}
function moodWord(m) { return m < 0.45 ? 'tense' : m < 0.55 ? 'uneasy' : m < 0.65 ? 'calm' : 'warm'; }
function showError(msg) {
  const b = document.getElementById('banner');
  b.textContent = msg;
  b.hidden = !msg;
}
async function api(method, path, params = {}) {
  const q = new URLSearchParams(params).toString();
  const res = await fetch(path + (q ? '?' + q : ''), { method });
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw Object.assign(new Error(body.error || `HTTP ${res.status}`), { status: res.status, body });
  return body;
}
function settingName(v) { return Number(v) === 1 ? 'closed' : 'open'; }

// ---- controls from the registry -------------------------------------------------------------
function formatValue(c, v) {
  if (c.type === 'boolean') return Number(v) ? 'yes' : 'no';
  if (c.type === 'choice') return c.choices[Number(v)] || String(v);
  const digits = c.type === 'integer' ? 0 : Math.max(0, -Math.floor(Math.log10(c.step) + 1e-9));
  return Number(v).toFixed(digits) + (c.unit && c.unit !== 'probability' && c.unit !== 'share' ? ' ' + c.unit : '');
}
function buildControls() {
  const form = document.getElementById('controls');
  form.textContent = '';
  for (const c of state.controls) {
    state.values[c.name] = c.default;
    const div = document.createElement('div');
    div.className = 'control' + (c.type === 'boolean' ? ' check' : '');
    div.title = c.meaning;
    const label = document.createElement('label');
    const id = 'ctl-' + c.name.replace(/\./g, '-');
    label.htmlFor = id;
    let input;
    if (c.type === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = !!c.default;
      label.append(input, document.createTextNode(c.label));
      div.append(label);
    } else if (c.type === 'choice') {
      input = document.createElement('select');
      c.choices.forEach((name, i) => input.add(new Option(name, String(i), false, i === c.default)));
      label.textContent = c.label;
      div.append(label, input);
    } else {
      input = document.createElement('input');
      input.type = 'range';
      input.min = c.min; input.max = c.max; input.step = c.step; input.value = c.default;
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = formatValue(c, c.default);
      label.append(value, document.createTextNode(c.label));
      const range = document.createElement('div');
      range.className = 'range';
      range.textContent = `${formatValue(c, c.min)} – ${formatValue(c, c.max)}`;
      input.addEventListener('input', () => { value.textContent = formatValue(c, input.value); });
      div.append(label, input, range);
    }
    input.id = id;
    input.name = c.name;
    input.addEventListener('change', () => {
      state.values[c.name] = c.type === 'boolean' ? (input.checked ? 1 : 0) : Number(input.value);
      resetAll();
    });
    form.append(div);
  }
}
function panelSettings(panel) {
  const p = { ...state.values };
  if (panel.index === 1) p.setting = panel.setting;
  else panel.setting = p.setting;
  return p;
}

// ---- panels ---------------------------------------------------------------------------------
function makePanel(index) {
  const node = document.getElementById('panel-template').content.firstElementChild.cloneNode(true);
  node.id = 'panel-' + index;
  // generation: counts resets, so an answer for a run that has been reset since is dropped
  const panel = { index, node, history: [], day: 0, setting: index === 1 ? 1 : 0, generation: 0 };
  const select = node.querySelector('.setting-select');
  const settingControl = state.controls.find(c => c.name === 'setting');
  settingControl.choices.forEach((name, i) => select.add(new Option(name, String(i))));
  select.value = String(panel.setting);
  select.addEventListener('change', () => { panel.setting = Number(select.value); resetPanel(panel); });
  node.querySelector('.panel-setting').hidden = index === 0;
  node.querySelector('.group-view').id = 'group-' + index;
  node.querySelector('.log').id = 'log-' + index;
  node.querySelector('.chart-alliance').id = 'chart-alliance-' + index;
  document.getElementById('panels').append(node);
  return panel;
}
async function resetPanel(panel) {
  const generation = ++panel.generation;
  const body = await api('POST', '/api/reset', { session: state.session, panel: panel.index, ...panelSettings(panel) });
  if (generation !== panel.generation) return;
  panel.history = [];
  panel.node.querySelector('.log').textContent = '';
  panel.node.querySelector('.panel-title').textContent =
    (settingName(panel.setting) === 'open' ? 'Open' : 'Closed') + ' group';
  absorb(panel, body.days);
  showError('');
}
async function resetAll() {
  try {
    await Promise.all(state.panels.map(resetPanel));
    updateExport();
  } catch (e) {
    showError(e.message);
    setRunning(false);
  }
}
function absorb(panel, days) {
  const fresh = [];
  for (const d of days) {
    panel.history.push(d);
    for (const e of d.events) fresh.push(e);
  }
  if (panel.history.length > 4000) panel.history.splice(0, panel.history.length - 4000);
  if (!days.length) return false;
  drawLog(panel, fresh);
  drawGroup(panel, days[days.length - 1], days);
  drawCharts(panel);
  return true;
}

// ---- group view -----------------------------------------------------------------------------
const YOUTH_SLOT = 84;  // viewBox units a youth's name and days in care need side by side
function drawGroup(panel, d, days) {
  panel.node.querySelector('.day').textContent = 'Day ' + d.day;
  const host = panel.node.querySelector('.group-view');
  const W = state.sideBySide ? 660 : 900;
  const H = Math.ceil(d.beds / Math.max(1, Math.min(d.beds, Math.floor((W - 80) / YOUTH_SLOT)))) > 1 ? 460 : 430;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `living group on day ${d.day}` });
  svg.dataset.day = d.day;
  const mood = d.climate.mood;
  el('rect', { x: 4, y: 4, width: W - 8, height: H - 8, rx: 26, fill: moodColour(mood), stroke: '#bfb6a5', 'stroke-width': 3 }, svg);
  const moodText = el('text', { x: W - 28, y: 46, 'text-anchor': 'end', 'font-size': 28, 'font-weight': 700, fill: '#3b3f46' }, svg);
  moodText.textContent = `Room mood: ${moodWord(mood)}`;
  const sub = el('text', { x: W - 28, y: 74, 'text-anchor': 'end', 'font-size': 17, fill: '#5b6472' }, svg);
  sub.textContent = `${d.occupancy}/${d.beds} youths · ${d.incidents} incident${d.incidents === 1 ? '' : 's'} today`;
  const sub2 = el('text', { x: W - 28, y: 98, 'text-anchor': 'end', 'font-size': 17, 'font-weight': d.understaffed ? 700 : 400, fill: d.understaffed ? '#c62828' : '#5b6472' }, svg);
  sub2.textContent = d.understaffed ? 'a shift is understaffed' : 'shifts fully staffed';
  // what happened in the days of this answer, by bed
  const ruptured = new Set(), repaired = new Set(), changed = new Set(), incident = new Set();
  for (const day of days) for (const e of day.events) {
    if (e.kind === 'rupture') ruptured.add(e.bed);
    if (e.kind === 'repair') repaired.add(e.bed);
    if (e.kind === 'mentor_change' || e.kind === 'admission') changed.add(e.bed);
    if (e.kind === 'incident') incident.add(e.bed);
  }
  // workers along the top (left of the mood text)
  const nw = d.workers.length;
  const wslot = (W - 340) / Math.max(1, nw);
  const wx = i => 40 + (i + 0.5) * wslot;
  const wy = 92;
  const wname = Math.max(12, Math.min(18, wslot / 4.2));
  // youths on an arc below, in two staggered rows when one row would leave a name less room
  // than it needs (side by side, large groups)
  const ny = d.beds;
  const cols = Math.max(1, Math.min(ny, Math.floor((W - 80) / YOUTH_SLOT)));
  const rows = Math.ceil(ny / cols);
  const slot = (W - 80) / cols;
  const yx = b => 40 + (b % cols + 0.5 + (rows > 1 && Math.floor(b / cols) % 2 ? 0.5 : 0)) * slot -
    (rows > 1 ? slot / 4 : 0);
  const yy = b => rows > 1 ? 250 + Math.floor(b / cols) * 120 : 290 + 50 * Math.sin(Math.PI * (b + 0.5) / ny);
  const r = Math.max(16, Math.min(28, slot / 2 - 14));
  const edges = el('g', {}, svg);
  for (const y of d.youths) {
    const x1 = wx(y.mentor_slot), y1 = wy + 26, x2 = yx(y.bed), y2 = yy(y.bed) - r - 2;
    const cls = ['edge'];
    if (y.rupture > 0 && ruptured.has(y.bed)) cls.push('flash');
    else if (repaired.has(y.bed)) cls.push('heal');
    else if (changed.has(y.bed)) cls.push('redraw');
    const line = el('path', {
      d: `M${x1},${y1} C${x1},${(y1 + y2) / 2} ${x2},${(y1 + y2) / 2} ${x2},${y2}`,
      fill: 'none', stroke: y.rupture > 0 ? '#c62828' : allianceColour(y.alliance),
      'stroke-width': (2 + 14 * clamp01((y.alliance - 0.2) / 0.7)).toFixed(1), 'stroke-linecap': 'round',
      class: cls.join(' '), 'data-bed': y.bed,
    }, edges);
    if (y.rupture > 0) line.setAttribute('stroke-dasharray', '10 8');
    else if (cls.includes('redraw')) line.setAttribute('pathLength', '1');
    const t = el('title', {}, line);
    t.textContent = `${y.name} – ${y.mentor}: alliance ${(1 + 4 * y.alliance).toFixed(2)} (1-5)` +
      (y.rupture === 1 ? ', rupture not yet noticed' : y.rupture === 2 ? ', rupture noticed' : '');
  }
  // peer ties between youths: friendship solid green, conflict dashed red, each a curve bowed
  // upward (away from the names below); a tie formed in the days of this answer is drawn thick
  const ties = el('g', { class: 'ties' }, svg);
  const bedOf = new Map(d.youths.map(y => [y.id, y]));
  const since = days.length ? days[0].day : d.day;
  for (const t of d.ties || []) {
    const ya = bedOf.get(t.a), yb = bedOf.get(t.b);
    if (!ya || !yb) continue;
    const x1 = yx(ya.bed), y1 = yy(ya.bed) - r, x2 = yx(yb.bed), y2 = yy(yb.bed) - r;
    const cx = (x1 + x2) / 2, cy = Math.min(y1, y2) - 24 - 0.22 * Math.abs(x2 - x1);
    const friend = t.kind === 'friendship';
    const line = el('path', {
      d: `M${x1.toFixed(1)},${y1.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`,
      fill: 'none', stroke: friend ? '#1b8a4b' : '#c62828', 'stroke-width': t.since >= since ? 4.5 : 2.5,
      'stroke-linecap': 'round', class: 'tie ' + t.kind, 'data-a': t.a, 'data-b': t.b,
    }, ties);
    if (!friend) line.setAttribute('stroke-dasharray', '7 6');
    const tt = el('title', {}, line);
    tt.textContent = `${ya.name} and ${yb.name}: ${friend ? 'friends' : 'in conflict'} since day ${t.since}`;
  }
  d.workers.forEach((w, i) => {
    const g = el('g', { class: 'worker', opacity: w.sick ? 0.35 : w.on_shift ? 1 : 0.6 }, svg);
    const stress = clamp01(w.stress);
    el('rect', { x: wx(i) - 26, y: wy - 26, width: 52, height: 52, rx: 10, fill: '#374151',
                 stroke: stress > 0.6 ? '#c62828' : '#9ca3af', 'stroke-width': stress > 0.6 ? 5 : 2 }, g);
    const n = el('text', { x: wx(i), y: wy - 36 - (wslot < 70 && i % 2 ? 22 : 0), 'text-anchor': 'middle', 'font-size': wname.toFixed(1), 'font-weight': 700, fill: '#1d2430', class: 'name' }, g);
    n.textContent = w.name;
    const c = el('text', { x: wx(i), y: wy + 7, 'text-anchor': 'middle', 'font-size': 19, 'font-weight': 700, fill: '#fff' }, g);
    c.textContent = w.sick ? 'sick' : String(w.caseload);
    const tt = el('title', {}, g);
    tt.textContent = `${w.name}: ${w.caseload} mentees, stress ${(100 * w.stress).toFixed(0)}%` +
      (w.on_shift ? ', on shift' : ', off shift') + (w.sick ? ', sick' : '') + (w.feedback ? ', uses routine feedback' : '');
  });
  const wl = el('text', { x: 28, y: 30, 'font-size': 16, fill: '#5b6472' }, svg);
  wl.textContent = 'group workers';
  for (let b = 0; b < ny; ++b) {
    const y = d.youths.find(v => v.bed === b);
    const g = el('g', { class: 'youth' + (y && incident.has(b) ? ' person-flash' : ''), 'data-bed': b }, svg);
    if (!y) {
      el('circle', { cx: yx(b), cy: yy(b), r, fill: 'none', stroke: '#a8a29e', 'stroke-width': 2, 'stroke-dasharray': '5 5' }, g);
      const e = el('text', { x: yx(b), y: yy(b) + 6, 'text-anchor': 'middle', 'font-size': 14, fill: '#8a8378' }, g);
      e.textContent = 'free';
      continue;
    }
    g.dataset.name = y.name;
    const m = clamp01(y.motivation);
    el('circle', { cx: yx(b), cy: yy(b), r, fill: rgb(mix([226, 232, 240], [37, 99, 235], m)), stroke: '#1d2430', 'stroke-width': 3 }, g);
    const n = el('text', { x: yx(b), y: yy(b) + r + 21, 'text-anchor': 'middle', 'font-size': 18, 'font-weight': 700, fill: '#1d2430', class: 'name' }, g);
    n.textContent = y.name;
    const a = el('text', { x: yx(b), y: yy(b) + 7, 'text-anchor': 'middle', 'font-size': 17, 'font-weight': 700, fill: m > 0.55 ? '#fff' : '#1d2430' }, g);
    a.textContent = Math.floor(y.age);
    // days in care (the first two weeks marked "new": the alliance is still a first impression)
    const fresh = y.days < 14;
    const info = el('text', { x: yx(b), y: yy(b) + r + 39, 'text-anchor': 'middle', 'font-size': 14,
                              'font-weight': fresh ? 700 : 400, fill: fresh ? '#1f5fbf' : '#5b6472', class: 'days' }, g);
    info.textContent = fresh ? `new · ${y.days} d` : `${y.days} days`;
    if (fresh) el('circle', { cx: yx(b), cy: yy(b), r: r + 5, fill: 'none', stroke: '#1f5fbf', 'stroke-width': 2, 'stroke-dasharray': '4 3' }, g);
    const tt = el('title', {}, g);
    tt.textContent = `${y.name}, ${Math.floor(y.age)}, ${['acting out', 'withdrawn', 'mixed'][y.profile]} problems; ` +
      `motivation ${(1 + 4 * y.motivation).toFixed(2)}, ruptures ${y.ruptures}, repairs ${y.repairs}, mentor changes ${y.mentor_changes}`;
  }
  host.replaceChildren(svg);
}

// ---- event log ------------------------------------------------------------------------------
function drawLog(panel, events) {
  const ol = panel.node.querySelector('.log');
  for (const li of ol.querySelectorAll('li.fresh')) li.classList.remove('fresh');
  for (const e of events) {
    const li = document.createElement('li');
    li.className = e.kind + ' fresh';
    li.textContent = e.text;
    ol.prepend(li);
  }
  while (ol.children.length > 250) ol.lastElementChild.remove();
}

// ---- charts ---------------------------------------------------------------------------------
const BED_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
function lineChart(host, series, opts) {
  const W = 600, H = 190, L = 42, R = 10, T = 10, B = 26;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}` });
  const days = opts.days;
  const d0 = days[0], d1 = Math.max(days[days.length - 1], d0 + 30);
  const x = d => L + (W - L - R) * (d - d0) / (d1 - d0);
  const y = v => T + (H - T - B) * (1 - (v - opts.min) / (opts.max - opts.min));
  for (const tick of opts.ticks) {
    el('line', { x1: L, x2: W - R, y1: y(tick), y2: y(tick), stroke: '#e4ded2' }, svg);
    const t = el('text', { x: L - 6, y: y(tick) + 5, 'text-anchor': 'end', 'font-size': 14, fill: '#5b6472' }, svg);
    t.textContent = opts.format ? opts.format(tick) : tick;
  }
  const xl = el('text', { x: W - R, y: H - 6, 'text-anchor': 'end', 'font-size': 14, fill: '#5b6472' }, svg);
  xl.textContent = `day ${days[days.length - 1]}`;
  const x0 = el('text', { x: L, y: H - 6, 'font-size': 14, fill: '#5b6472' }, svg);
  x0.textContent = `day ${d0}`;
  for (const s of series) {
    let dpath = '', pen = false;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined || Number.isNaN(v)) { pen = false; return; }
      dpath += (pen ? 'L' : 'M') + x(days[i]).toFixed(1) + ',' + y(v).toFixed(1);
      pen = true;
    });
    if (dpath) el('path', { d: dpath, fill: 'none', stroke: s.colour, 'stroke-width': s.width || 2, 'stroke-linejoin': 'round', opacity: s.opacity || 1 }, svg);
  }
  svg.dataset.days = days.length;
  svg.dataset.lastDay = days[days.length - 1];
  host.replaceChildren(svg);
}
function drawCharts(panel) {
  const h = panel.history.slice(-730);  // the last two years
  const days = h.map(d => d.day);
  const beds = h.length ? h[h.length - 1].beds : 0;
  const toScale = v => 1 + 4 * v;
  const perBed = [];
  for (let b = 0; b < beds; ++b) {
    // a new youth in the bed starts a new line
    let last = null;
    const values = h.map(d => {
      const y = d.youths.find(v => v.bed === b);
      if (!y) { last = null; return null; }
      const v = (last !== null && last !== y.id) ? null : toScale(y.alliance);
      last = y.id;
      return v;
    });
    perBed.push({ values, colour: BED_COLOURS[b % BED_COLOURS.length], width: 1.6, opacity: 0.75 });
  }
  const scaleOpts = { days, min: 1, max: 5, ticks: [1, 2, 3, 4, 5] };
  lineChart(panel.node.querySelector('.chart-alliance'),
    [...perBed, { values: h.map(d => toScale(d.mean_alliance)), colour: '#111827', width: 4.5 }], scaleOpts);
  lineChart(panel.node.querySelector('.chart-motivation'),
    [{ values: h.map(d => toScale(d.mean_motivation)), colour: '#2563eb', width: 4 }], scaleOpts);
  lineChart(panel.node.querySelector('.chart-climate'), [
    { values: h.map(d => d.climate.mood), colour: '#7b3fa0', width: 4 },
    { values: h.map(d => d.climate.support), colour: '#1b8a4b', width: 2.2 },
    { values: h.map(d => d.climate.growth), colour: '#1f5fbf', width: 2.2 },
    { values: h.map(d => d.climate.repression), colour: '#c62828', width: 2.2 },
  ], { days, min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1], format: v => v.toFixed(2) });
  drawInformants(panel, h[h.length - 1]);
}
function drawInformants(panel, d) {
  const host = panel.node.querySelector('.informants');
  const W = 600, row = 30, T = 24, L = 92, R = 16;
  const H = T + row * Math.max(1, d.youths.length) + 8;
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}` });
  const x = v => L + (W - L - R) * (v - 1) / 4;
  for (let t = 1; t <= 5; ++t) {
    el('line', { x1: x(t), x2: x(t), y1: T - 6, y2: H - 4, stroke: '#e4ded2' }, svg);
    const tx = el('text', { x: x(t), y: T - 9, 'text-anchor': 'middle', 'font-size': 14, fill: '#5b6472' }, svg);
    tx.textContent = t;
  }
  d.youths.forEach((y, i) => {
    const cy = T + row * i + row / 2;
    const name = el('text', { x: L - 10, y: cy + 5, 'text-anchor': 'end', 'font-size': 16, 'font-weight': 600, fill: '#1d2430' }, svg);
    name.textContent = y.name;
    el('line', { x1: x(y.youth_rating), x2: x(y.mentor_rating), y1: cy, y2: cy, stroke: '#9ca3af', 'stroke-width': 4 }, svg);
    el('circle', { cx: x(y.mentor_rating), cy, r: 8, fill: '#c2410c' }, svg);
    el('circle', { cx: x(y.youth_rating), cy, r: 8, fill: '#1f5fbf' }, svg);
    const t = el('title', {}, svg);
    t.textContent = `${y.name} rates ${y.youth_rating.toFixed(2)}, mentor ${y.mentor} rates ${y.mentor_rating.toFixed(2)}`;
  });
  host.replaceChildren(svg);
}

// ---- running --------------------------------------------------------------------------------
function setRunning(on) {
  state.running = on;
  state.loop += 1;
  const b = document.getElementById('start');
  b.textContent = on ? '❚❚ Pause' : '▶ Start';
  showBusy();
}
// Step is disabled while running or while a step request is in flight; the page root carries
// data-busy="1" meanwhile.
function showBusy() {
  document.documentElement.dataset.busy = state.pending > 0 ? '1' : '0';
  document.getElementById('step').disabled = state.running || state.pending > 0;
}
// Steps every panel by `days`, after any step request still in flight (one at a time).
function stepAll(days) {
  state.pending += 1;
  showBusy();
  const run = state.steps.then(() => stepPanels(days));
  state.steps = run.catch(() => {});
  return run.finally(() => { state.pending -= 1; showBusy(); });
}
async function stepPanels(days) {
  const panels = state.panels.slice();
  const generations = panels.map(p => p.generation);
  const answers = await Promise.all(panels.map(p =>
    api('POST', '/api/step', { session: state.session, panel: p.index, days })));
  let moved = false;
  answers.forEach((a, i) => {
    if (generations[i] !== panels[i].generation || !state.panels.includes(panels[i])) { moved = true; return; }
    moved = absorb(panels[i], a.days) || moved;
  });
  updateExport();
  return moved;
}
async function loop(token) {
  while (state.running && token === state.loop) {
    const perSecond = Number(document.getElementById('speed').value);
    const interval = Math.max(250, 1000 / perSecond);
    const days = Math.max(1, Math.round(perSecond * interval / 1000));
    const t0 = performance.now();
    try {
      const moved = await stepAll(days);
      if (token !== state.loop) return;  // paused (and maybe started again) meanwhile
      if (!moved) { setRunning(false); showError('The end of the classroom run is reached; reset to start again.'); }
    } catch (e) {
      if (token !== state.loop) return;
      showError(e.message); setRunning(false);
    }
    const wait = interval - (performance.now() - t0);
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
  }
}
function updateExport() {
  const a = document.getElementById('export');
  const p = state.panels[0];
  a.href = `/api/export?session=${encodeURIComponent(state.session)}&panel=0`;
  a.title = p ? `the ${settingName(p.setting)} group's run so far (day ${p.history.length ? p.history[p.history.length - 1].day : 0}) as an HDF5 result file` : '';
}
async function setSideBySide(on) {
  state.sideBySide = on;
  document.getElementById('panels').classList.toggle('two', on);
  if (on && state.panels.length === 1) {
    const p = makePanel(1);
    state.panels.push(p);
    p.setting = Number(state.values.setting) === 1 ? 0 : 1;
    p.node.querySelector('.setting-select').value = String(p.setting);
  } else if (!on && state.panels.length === 2) {
    state.panels.pop().node.remove();
  }
  await resetAll();
}

// Every session in use: say why and what to do, and disable everything that needs a session.
function showFull(body) {
  document.getElementById('full-text').textContent = body.error;
  document.getElementById('full').hidden = false;
  for (const id of ['start', 'step', 'reset', 'speed', 'side-by-side']) document.getElementById(id).disabled = true;
  const a = document.getElementById('export');
  a.removeAttribute('href');
  a.setAttribute('aria-disabled', 'true');
  a.classList.add('disabled');
  document.body.dataset.full = '1';
}
async function init() {
  document.getElementById('controls').addEventListener('submit', e => e.preventDefault());
  document.getElementById('full-retry').addEventListener('click', () => location.reload());
  try {
    // A reload's new session may reach the server just before the old page's release: a full
    // server is asked twice more before the page says so.
    const newSession = async () => {
      for (let tries = 0; ; ++tries) {
        try {
          return await api('POST', '/api/session');
        } catch (e) {
          if (e.status !== 503 || !e.body.full) throw e;
          if (tries === 2) return e.body;
          await new Promise(r => setTimeout(r, 400));
        }
      }
    };
    const [controls, session] = await Promise.all([api('GET', '/api/controls'), newSession()]);
    state.controls = controls.controls;
    if (session.full) {
      showFull(session);
      document.body.dataset.ready = '1';
      return;
    }
    state.session = session.session;
    buildControls();
    state.panels = [makePanel(0)];
    await resetAll();
  } catch (e) {
    showError('Cannot start: ' + e.message);
    return;
  }
  document.getElementById('start').addEventListener('click', () => {
    setRunning(!state.running);
    if (state.running) loop(state.loop);
  });
  document.getElementById('step').addEventListener('click', () => stepAll(1).catch(e => showError(e.message)));
  document.getElementById('reset').addEventListener('click', () => { setRunning(false); resetAll(); });
  document.getElementById('side-by-side').addEventListener('change', e => setSideBySide(e.target.checked));
  // Leaving or reloading the page gives its session back at once (the server also lets a
  // session idle for --idle-seconds give way when every place is taken).
  window.addEventListener('pagehide', () => {
    if (state.session) navigator.sendBeacon('/api/close?session=' + encodeURIComponent(state.session));
    state.session = null;
  });
  // Back to a page kept in the back-forward cache: its session was given back, so start afresh.
  window.addEventListener('pageshow', e => { if (e.persisted) location.reload(); });
  showBusy();
  document.body.dataset.ready = '1';
}
init();
