/**
 * Draws the statechart as SVG from the server-computed layout: states as rounded boxes
 * (title, description, entry actions, targetless transitions as rows, a reserved row for
 * the pending-timer badge), transitions as polylines with `EVENT [guard] / actions` labels.
 * Highlights are data attributes and classes, so tests and CSS read the same thing.
 */
import type { GraphEdge, GraphNode, MachineGraphWithLayout } from '../../src/viz/types.ts';

const SVG = 'http://www.w3.org/2000/svg';

export interface TimerBadge {
  stateId: string;
  text: string;
  title: string;
}

export interface ChartView {
  /** The state shown as "the contact is here" at the displayed point. */
  highlight: string | null;
  /** The contact's real current state, marked separately while time-travelling. */
  now: string | null;
  timers: TimerBadge[];
  /** Edges taken by the selected entry; edges whose guards failed first. */
  taken: string[];
  rejected: string[];
  whatIfState: string | null;
  whatIfTaken: string[];
}

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number> = {},
  parent?: Element,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
}

function text(
  parent: Element,
  x: number,
  y: number,
  content: string,
  cls: string,
  extra: Record<string, string | number> = {},
): SVGTextElement {
  const t = el('text', { x, y, class: cls, ...extra }, parent);
  t.textContent = content;
  return t;
}

function title(parent: Element, content: string): void {
  el('title', {}, parent).textContent = content;
}

export function stateIdFor(graph: MachineGraphWithLayout, name: string | null): string | null {
  if (!name) return null;
  const id = `${graph.machineId}.${name}`;
  return graph.nodes.some((n) => n.id === id) ? id : null;
}

export function keyOf(id: string): string {
  return id.split('.').slice(1).join('.') || id;
}

/** The smallest chart text, in CSS pixels, that "fit" will draw. */
const MIN_READABLE_PX = 10;

export function renderChart(
  host: HTMLElement,
  graph: MachineGraphWithLayout,
  view: ChartView,
  zoom: number | 'fit',
): void {
  const { layout } = graph;
  const m = layout.metrics;
  host.textContent = '';
  const margin = 8;
  const width = layout.width + 2 * margin;
  const height = layout.height + 2 * margin;
  const svg = el('svg', {
    viewBox: `${-margin} ${-margin} ${width} ${height}`,
    'data-testid': 'viz-chart',
    role: 'img',
    'aria-label': `statechart of ${graph.machineId}`,
    'font-family': m.fontFamily,
    'font-size': m.fontSize,
  });
  // "fit" shrinks the chart to the panel, but never below a readable text size: a chart
  // wider than that is shown at the smallest readable scale, scrolled to the contact's state.
  const fitScale = host.clientWidth > 0 ? host.clientWidth / width : 1;
  const readable = fitScale * m.fontSize >= MIN_READABLE_PX;
  let focusHighlight = false;
  if (zoom === 'fit' && readable) {
    svg.setAttribute('width', '100%');
    svg.setAttribute('preserveAspectRatio', 'xMidYMin meet');
    svg.classList.add('fit');
  } else if (zoom === 'fit') {
    const scale = MIN_READABLE_PX / m.fontSize;
    svg.setAttribute('width', String(Math.round(width * scale)));
    svg.setAttribute('height', String(Math.round(height * scale)));
    svg.classList.add('fit-readable');
    focusHighlight = true;
  } else {
    svg.setAttribute('width', String(Math.round(width * zoom)));
    svg.setAttribute('height', String(Math.round(height * zoom)));
  }
  host.appendChild(svg);

  const defs = el('defs', {}, svg);
  for (const kind of ['normal', 'taken', 'whatif', 'initial']) {
    const marker = el(
      'marker',
      {
        id: `arrow-${kind}`,
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      },
      defs,
    );
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrowhead arrowhead-${kind}` }, marker);
  }

  const edgesById = new Map(graph.edges.map((e) => [e.id, e]));
  const taken = new Set(view.taken);
  const rejected = new Set(view.rejected);
  const whatIfTaken = new Set(view.whatIfTaken);
  const timersByState = new Map<string, TimerBadge[]>();
  for (const t of view.timers) timersByState.set(t.stateId, [...(timersByState.get(t.stateId) ?? []), t]);

  // Containers first (machine frame), then edges, then leaf boxes on top of edges.
  const containers = graph.nodes.filter((n) => n.children.length > 0);
  const leaves = graph.nodes.filter((n) => n.children.length === 0);
  const nodeLayer = el('g', { class: 'nodes' });
  for (const node of containers) drawContainer(svg, graph, node);
  const edgeLayer = el('g', { class: 'edges' }, svg);
  svg.appendChild(nodeLayer);
  for (const edge of graph.edges) {
    if (edge.target === null) continue;
    drawEdge(edgeLayer, graph, edge, {
      taken: taken.has(edge.id),
      rejected: rejected.has(edge.id),
      whatIf: whatIfTaken.has(edge.id),
    });
  }
  for (const node of leaves) {
    drawLeaf(nodeLayer, graph, node, edgesById, {
      highlight: node.id === view.highlight,
      now: node.id === view.now,
      whatIf: node.id === view.whatIfState,
      timers: timersByState.get(node.id) ?? [],
      taken,
      rejected,
      whatIfTaken,
    });
  }
  if (focusHighlight && view.highlight) {
    const target = svg.querySelector<SVGGElement>(`[data-node-id="${CSS.escape(view.highlight)}"]`);
    const box = target?.getBoundingClientRect();
    const frame = host.getBoundingClientRect();
    if (box) {
      host.scrollLeft += box.left - frame.left - (frame.width - box.width) / 2;
      host.scrollTop += box.top - frame.top - Math.max(0, (frame.height - box.height) / 2);
    }
  }
}

function drawContainer(svg: SVGSVGElement, graph: MachineGraphWithLayout, node: GraphNode): void {
  const box = graph.layout.nodes[node.id];
  if (!box) return;
  const m = graph.layout.metrics;
  const g = el(
    'g',
    { class: `container kind-${node.kind}`, 'data-testid': `container-${node.key}`, 'data-node-id': node.id },
    svg,
  );
  el('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 14, class: 'container-box' }, g);
  text(g, box.x + m.padding * 2, box.y + m.padding + m.titleSize, node.key, 'container-title', {
    'font-size': m.titleSize,
  });
  node.descriptionLines.forEach((line, i) =>
    text(g, box.x + m.padding * 2, box.y + m.padding + m.titleSize + (i + 1) * m.lineHeight, line, 'desc'),
  );
  if (node.description) title(g, node.description);
}

interface LeafFlags {
  highlight: boolean;
  now: boolean;
  whatIf: boolean;
  timers: TimerBadge[];
  taken: Set<string>;
  rejected: Set<string>;
  whatIfTaken: Set<string>;
}

function drawLeaf(
  layer: SVGGElement,
  graph: MachineGraphWithLayout,
  node: GraphNode,
  edges: Map<string, GraphEdge>,
  flags: LeafFlags,
): void {
  const box = graph.layout.nodes[node.id];
  if (!box) return;
  const m = graph.layout.metrics;
  if (node.kind === 'initial') {
    const g = el('g', { class: 'initial', 'data-testid': 'initial-marker' }, layer);
    el('circle', { cx: box.x + box.width / 2, cy: box.y + box.height / 2, r: box.width / 2, class: 'initial-dot' }, g);
    title(g, 'start');
    return;
  }
  const classes = ['state', `kind-${node.kind}`];
  if (flags.highlight) classes.push('highlight');
  if (flags.now && !flags.highlight) classes.push('now-ghost');
  if (flags.whatIf) classes.push('whatif');
  const g = el(
    'g',
    {
      class: classes.join(' '),
      'data-testid': node.kind === 'any' ? `any-${node.parent ?? ''}` : `state-${keyOf(node.id)}`,
      'data-node-id': node.id,
      'data-highlight': String(flags.highlight),
      'data-now': String(flags.now),
      'data-whatif': String(flags.whatIf),
    },
    layer,
  );
  el('rect', { x: box.x, y: box.y, width: box.width, height: box.height, rx: 10, class: 'state-box' }, g);
  const x = box.x + m.padding;
  let y = box.y + m.padding + m.titleSize;
  text(g, x, y, node.key, 'state-title', { 'font-size': m.titleSize });
  if (flags.now && !flags.highlight)
    text(g, box.x + box.width - m.padding, y, 'now', 'now-tag', { 'text-anchor': 'end' });
  if (flags.highlight)
    text(g, box.x + box.width - m.padding, y, flags.now ? '● now' : '● then', 'here-tag', { 'text-anchor': 'end' });
  y += 6;
  for (const line of node.descriptionLines) {
    y += m.lineHeight;
    text(g, x, y, line, 'desc');
  }
  for (const entry of node.entry) {
    y += m.lineHeight;
    text(g, x, y, `entry / ${entry}`, 'entry-row');
  }
  for (const exit of node.exit) {
    y += m.lineHeight;
    text(g, x, y, `exit / ${exit}`, 'entry-row');
  }
  for (const id of node.internal) {
    const edge = edges.get(id);
    if (!edge) continue;
    y += m.lineHeight;
    const cls = ['internal-row'];
    if (flags.taken.has(id)) cls.push('taken');
    if (flags.rejected.has(id)) cls.push('rejected');
    if (flags.whatIfTaken.has(id)) cls.push('whatif');
    const head = edge.guard ? `${edge.event} [${edge.guard}]` : edge.event;
    const actions = edge.actions.map((a) =>
      a.params ? `${a.name}(${Object.values(a.params).map(String).join(', ')})` : a.name,
    );
    const row = text(
      g,
      x,
      y,
      actions.length ? `${head} / ${actions.join(', ')}` : `${head} (ignored here)`,
      cls.join(' '),
      { 'data-edge-id': id },
    );
    title(row, `targetless transition: stays in ${node.key}`);
  }
  if (node.kind === 'state' && flags.timers.length > 0) {
    const first = flags.timers[0];
    const more = flags.timers.length > 1 ? ` (+${flags.timers.length - 1})` : '';
    const by = box.y + box.height - m.padding - m.timerRowHeight + 2;
    const badge = el('g', { class: 'timer-badge', 'data-testid': `timer-${keyOf(node.id)}` }, g);
    el(
      'rect',
      { x: box.x + 6, y: by, width: box.width - 12, height: m.timerRowHeight - 4, rx: 9, class: 'timer-pill' },
      badge,
    );
    // A small clock face (no emoji: fonts differ between machines).
    const cx = box.x + 17;
    const cy = by + (m.timerRowHeight - 4) / 2;
    el('circle', { cx, cy, r: 5.5, class: 'timer-icon' }, badge);
    el('path', { d: `M ${cx} ${cy - 3.5} L ${cx} ${cy} L ${cx + 2.5} ${cy + 1.5}`, class: 'timer-hands' }, badge);
    // Fit the box; the tooltip carries the full text.
    const room = Math.max(8, Math.floor((box.width - 27 - m.padding) / m.charWidth));
    const full = `${first.text}${more}`;
    text(
      badge,
      box.x + 27,
      by + m.timerRowHeight - 9,
      full.length > room ? `${full.slice(0, room - 1)}…` : full,
      'timer-text',
    );
    title(badge, flags.timers.map((t) => t.title).join('\n'));
  }
  if (node.description) title(g, node.description);
}

function drawEdge(
  layer: SVGGElement,
  graph: MachineGraphWithLayout,
  edge: GraphEdge,
  flags: { taken: boolean; rejected: boolean; whatIf: boolean },
): void {
  const lay = graph.layout.edges[edge.id];
  if (!lay || lay.points.length < 2) return;
  const m = graph.layout.metrics;
  const cls = ['edge', `edge-${edge.kind}`];
  if (flags.taken) cls.push('taken');
  if (flags.rejected) cls.push('rejected');
  if (flags.whatIf) cls.push('whatif');
  const g = el('g', { class: cls.join(' '), 'data-edge-id': edge.id, 'data-testid': `edge-${edge.id}` }, layer);
  const d = lay.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
  const marker = edge.kind === 'initial' ? 'initial' : flags.whatIf ? 'whatif' : flags.taken ? 'taken' : 'normal';
  el('path', { d, class: 'edge-line', 'marker-end': `url(#arrow-${marker})` }, g);
  if (lay.label && lay.label.lines.length) {
    const { x, y, width, height } = lay.label;
    el('rect', { x: x - 2, y: y - 1, width: width + 4, height: height + 2, rx: 3, class: 'edge-label-bg' }, g);
    lay.label.lines.forEach((line, i) =>
      text(g, x + 2, y + (i + 1) * m.lineHeight - 3, line, i === 0 ? 'edge-label edge-event' : 'edge-label'),
    );
  }
  const target = edge.target ? keyOf(edge.target) : 'itself';
  title(
    g,
    `${edge.labelLines.join(' ')}\n${keyOf(edge.source) || 'any state'} → ${target}${edge.order ? ` (candidate ${edge.order + 1})` : ''}`,
  );
}
