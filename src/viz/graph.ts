/**
 * The statechart as a graph, derived from the machine definition itself
 * (`machine.toJSON()`), so the drawing cannot drift from the code. Nodes are the states
 * (nested ones included) plus two drawing-only pseudo nodes per parent: its `::initial` dot
 * and its `::any` box, from which its own transitions ("from any child state") are drawn.
 * Edges are the transitions, one per (source, event, candidate, target), with guard and
 * action names. The layout is computed on the server with elkjs (layered), so the page only
 * draws boxes and polylines and fetches nothing at run time.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { AnyStateMachine } from 'xstate';
import { contactMachine } from '../../machines/contact.ts';
import type {
  Box,
  EdgeLayout,
  GraphAction,
  GraphEdge,
  GraphLayout,
  GraphNode,
  LayoutMetrics,
  MachineGraph,
  MachineGraphWithLayout,
} from './types.ts';

// ------------------------------------------------------------------ reading the definition

/** The parts of XState's state-node definition this module reads (see StateNode#definition). */
interface DefinitionNode {
  id: string;
  key: string;
  type: string;
  initial?: { target: unknown[] } | undefined;
  states: Record<string, DefinitionNode>;
  transitions: DefinitionTransition[];
  entry: unknown[];
  exit: unknown[];
  description?: string;
}

interface DefinitionTransition {
  eventType: string;
  source: unknown;
  target?: unknown[] | undefined;
  guard?: unknown;
  actions: unknown[];
  reenter?: boolean;
}

/** `#contact.active`, a StateNode, or a plain id → `contact.active`. */
export function stateIdOf(ref: unknown): string {
  if (typeof ref === 'string') return ref.replace(/^#/, '');
  if (ref && typeof ref === 'object' && 'id' in ref) return String((ref as { id: unknown }).id);
  throw new Error(`cannot read a state reference from ${JSON.stringify(ref)}`);
}

/** A named action, an `{ type, params }` object, or an inline function (assign & co). */
function actionOf(action: unknown): GraphAction {
  if (typeof action === 'string') return { name: action, params: null };
  if (typeof action === 'function') {
    const fn = action as { type?: unknown; name?: string };
    const type = typeof fn.type === 'string' ? fn.type : fn.name || 'inline';
    return { name: type.replace(/^xstate\./, ''), params: null };
  }
  if (action && typeof action === 'object' && 'type' in action) {
    const { type, params } = action as { type: unknown; params?: unknown };
    const name = typeof type === 'string' ? type.replace(/^xstate\./, '') : 'inline';
    return { name, params: params && typeof params === 'object' ? (params as Record<string, unknown>) : null };
  }
  return { name: 'inline', params: null };
}

function guardOf(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return (guard as { name?: string }).name || 'inline guard';
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guard';
}

/** `resetTimers(bot_replied)`, `armEntryTimer(active)`, `recordBotMessage`. */
export function actionLabel(action: GraphAction): string {
  if (!action.params) return action.name;
  const values = Object.entries(action.params);
  if (values.length === 0) return action.name;
  if (values.length === 1) return `${action.name}(${String(values[0][1])})`;
  return `${action.name}(${values.map(([k, v]) => `${k}: ${String(v)}`).join(', ')})`;
}

export function edgeId(sourceId: string, event: string, index: number, targetIndex = 0, targetCount = 1): string {
  return `${sourceId}|${event}|${index}${targetCount > 1 ? `#${targetIndex}` : ''}`;
}

/** Greedy word wrap (the page draws the lines exactly as given). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

const LABEL_WRAP = 46;

function labelLinesFor(event: string, guard: string | null, actions: GraphAction[]): string[] {
  const head = guard ? `${event} [${guard}]` : event;
  if (actions.length === 0) return [head];
  return [head, ...wrap(`/ ${actions.map(actionLabel).join(', ')}`, LABEL_WRAP)];
}

/** One row inside a state box for a targetless transition. */
export function internalRowText(edge: Pick<GraphEdge, 'event' | 'guard' | 'actions'>): string {
  const head = edge.guard ? `${edge.event} [${edge.guard}]` : edge.event;
  return edge.actions.length ? `${head} / ${edge.actions.map(actionLabel).join(', ')}` : `${head} (ignored here)`;
}

/** Nodes and edges of a machine, from its definition. */
export function machineGraph(machine: AnyStateMachine = contactMachine): MachineGraph {
  const root = machine.toJSON() as unknown as DefinitionNode;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const states: string[] = [];
  const events = new Set<string>();

  const visit = (def: DefinitionNode, parent: GraphNode | null, isInitial: boolean): GraphNode => {
    const id = stateIdOf(def.id);
    const description = def.description ?? null;
    const node: GraphNode = {
      id,
      key: parent ? def.key : def.id,
      parent: parent?.id ?? null,
      kind: parent ? 'state' : 'machine',
      stateType: def.type,
      description,
      descriptionLines: description ? wrap(description, 38) : [],
      entry: def.entry.map((a) => actionLabel(actionOf(a))),
      exit: def.exit.map((a) => actionLabel(actionOf(a))),
      internal: [],
      initial: isInitial,
      children: [],
    };
    nodes.push(node);
    if (parent) states.push(id);

    const childDefs = Object.values(def.states ?? {});
    const initialTargets = (def.initial?.target ?? []).map(stateIdOf);
    const hasChildren = childDefs.length > 0;
    // A parent's own transitions are drawn from its `::any` box inside it.
    const anyId = `${id}::any`;
    const drawnFrom = hasChildren ? anyId : id;
    const ownEdges: GraphEdge[] = [];
    const indexByEvent = new Map<string, number>();
    for (const t of def.transitions ?? []) {
      const event = t.eventType;
      events.add(event);
      const index = indexByEvent.get(event) ?? 0;
      indexByEvent.set(event, index + 1);
      const source = stateIdOf(t.source);
      const guard = guardOf(t.guard);
      const actions = t.actions.map(actionOf);
      const targets = (t.target ?? []).map(stateIdOf);
      const base = {
        source,
        event,
        guard,
        actions,
        reenter: t.reenter === true,
        order: index,
        labelLines: labelLinesFor(event, guard, actions),
        drawnFrom,
      };
      if (targets.length === 0) {
        const edge: GraphEdge = { ...base, id: edgeId(source, event, index), target: null, kind: 'internal' };
        ownEdges.push(edge);
        continue;
      }
      targets.forEach((target, k) => {
        ownEdges.push({
          ...base,
          id: edgeId(source, event, index, k, targets.length),
          target,
          kind: target === source ? 'self' : 'external',
        });
      });
    }
    edges.push(...ownEdges);

    if (hasChildren) {
      if (initialTargets.length > 0) {
        const initialId = `${id}::initial`;
        nodes.push(pseudo(initialId, 'initial', id));
        node.children.push(initialId);
        initialTargets.forEach((target, k) => {
          edges.push({
            id: edgeId(initialId, 'init', 0, k, initialTargets.length),
            source: initialId,
            target,
            event: 'init',
            guard: null,
            actions: [],
            reenter: false,
            kind: 'initial',
            order: 0,
            labelLines: [],
            drawnFrom: initialId,
          });
        });
      }
      if (ownEdges.length > 0) {
        const any = pseudo(anyId, 'any', id);
        any.internal = ownEdges.filter((e) => e.kind === 'internal').map((e) => e.id);
        nodes.push(any);
        node.children.push(anyId);
      }
      for (const child of childDefs) {
        const childNode = visit(child, node, initialTargets.includes(stateIdOf(child.id)));
        node.children.push(childNode.id);
      }
    } else {
      node.internal = ownEdges.filter((e) => e.kind === 'internal').map((e) => e.id);
    }
    return node;
  };

  const rootNode = visit(root, null, false);
  return { machineId: rootNode.id, states, nodes, edges, events: [...events].sort() };
}

function pseudo(id: string, kind: 'any' | 'initial', parent: string): GraphNode {
  return {
    id,
    key: kind === 'any' ? 'any state' : 'start',
    parent,
    kind,
    stateType: null,
    description:
      kind === 'any'
        ? 'Transitions declared on the parent: they apply in every child state that does not handle the event itself.'
        : null,
    descriptionLines: [],
    entry: [],
    exit: [],
    internal: [],
    initial: false,
    children: [],
  };
}

// ------------------------------------------------------------------ layout

export const LAYOUT_METRICS: LayoutMetrics = {
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  fontSize: 11,
  titleSize: 13,
  lineHeight: 14,
  // Monospace: 0.6 em per character, rounded up so text never overflows its box.
  charWidth: 6.8,
  titleCharWidth: 8.2,
  padding: 10,
  timerRowHeight: 22,
};

const m = LAYOUT_METRICS;
const TIMER_BADGE_CHARS = 48;
const textWidth = (lines: string[], perChar = m.charWidth) => Math.max(0, ...lines.map((l) => l.length)) * perChar;

/** The rows a state box shows, top to bottom (after its title). */
export function stateBoxRows(node: GraphNode, graph: MachineGraph): string[] {
  const byId = new Map(graph.edges.map((e) => [e.id, e]));
  const rows = [...node.descriptionLines];
  if (node.entry.length) rows.push(`entry / ${node.entry.join(', ')}`);
  if (node.exit.length) rows.push(`exit / ${node.exit.join(', ')}`);
  for (const id of node.internal) {
    const edge = byId.get(id);
    if (edge) rows.push(internalRowText(edge));
  }
  return rows;
}

function leafSize(node: GraphNode, graph: MachineGraph): { width: number; height: number } {
  if (node.kind === 'initial') return { width: 14, height: 14 };
  const rows = stateBoxRows(node, graph);
  // Real states also fit a timer badge such as "requestedTime #2 · due Mon 05 Jan 10:30 UTC (+1)".
  const badge = node.kind === 'state' ? TIMER_BADGE_CHARS * m.charWidth + 27 - m.padding : 0;
  const width = Math.ceil(
    Math.max(150, badge, textWidth([node.key], m.titleCharWidth), textWidth(rows)) + 2 * m.padding,
  );
  // Real states reserve a row for their pending-timer badge.
  const timerRow = node.kind === 'state' ? m.timerRowHeight : 0;
  const height = Math.ceil(m.padding + m.titleSize + 6 + rows.length * m.lineHeight + timerRow + m.padding);
  return { width, height };
}

export async function layoutGraph(graph: MachineGraph, overrides: Record<string, string> = {}): Promise<GraphLayout> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const elkNodes = new Map<string, ElkNode>();

  const build = (node: GraphNode): ElkNode => {
    const isContainer = node.children.length > 0;
    const elkNode: ElkNode = isContainer
      ? {
          id: node.id,
          children: node.children.map((c) => build(byId.get(c)!)),
          edges: [],
          layoutOptions: {
            'elk.padding': `[top=${m.titleSize + 2 * m.padding + node.descriptionLines.length * m.lineHeight},left=${m.padding * 2},bottom=${m.padding * 2},right=${m.padding * 2}]`,
          },
        }
      : { id: node.id, ...leafSize(node, graph) };
    elkNodes.set(node.id, elkNode);
    return elkNode;
  };
  const rootNode = graph.nodes.find((n) => n.parent === null)!;
  const elkRoot: ElkNode = {
    id: '__layout_root__',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.spacing.nodeNode': '40',
      'elk.spacing.edgeNode': '20',
      'elk.spacing.edgeEdge': '12',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '20',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.crossingMinimization.semiInteractive': 'false',
      'elk.randomSeed': '1',
      ...overrides,
    },
    children: [build(rootNode)],
    edges: [],
  };
  elkNodes.set(elkRoot.id, elkRoot);

  // Each edge lives in the lowest common ancestor of its endpoints (ELK's convention).
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let cur: string | null = id; cur; cur = byId.get(cur)?.parent ?? null) out.push(cur);
    return out;
  };
  const containerOf = (a: string, b: string): string => {
    const up = new Set(ancestors(a).slice(1));
    if (a === b) return byId.get(a)?.parent ?? elkRoot.id;
    for (const candidate of ancestors(b).slice(1)) if (up.has(candidate)) return candidate;
    return elkRoot.id;
  };
  for (const edge of graph.edges) {
    if (edge.target === null) continue;
    const from = edge.drawnFrom;
    const container = elkNodes.get(containerOf(from, edge.target))!;
    const elkEdge: ElkExtendedEdge = {
      id: edge.id,
      sources: [from],
      targets: [edge.target],
      labels: edge.labelLines.length
        ? [
            {
              text: edge.labelLines.join('\n'),
              width: Math.ceil(textWidth(edge.labelLines) + 6),
              height: edge.labelLines.length * m.lineHeight + 2,
            },
          ]
        : [],
    };
    (container.edges ??= []).push(elkEdge);
  }

  const laid = await new ELK().layout(elkRoot);

  const nodes: Record<string, Box> = {};
  const offsets = new Map<string, { x: number; y: number }>();
  const place = (n: ElkNode, ox: number, oy: number) => {
    const x = ox + (n.x ?? 0);
    const y = oy + (n.y ?? 0);
    offsets.set(n.id, { x, y });
    if (n.id !== elkRoot.id)
      nodes[n.id] = { x: round(x), y: round(y), width: round(n.width ?? 0), height: round(n.height ?? 0) };
    for (const c of n.children ?? []) place(c, x, y);
  };
  place(laid, 0, 0);

  const edges: Record<string, EdgeLayout> = {};
  const labelLinesById = new Map(graph.edges.map((e) => [e.id, e.labelLines]));
  const collect = (n: ElkNode) => {
    for (const e of (n.edges ?? []) as Array<ElkExtendedEdge & { container?: string }>) {
      const base = offsets.get(e.container ?? n.id) ?? offsets.get(n.id)!;
      const points: Array<{ x: number; y: number }> = [];
      for (const s of e.sections ?? []) {
        const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
        for (const p of pts) {
          const q = { x: round(base.x + p.x), y: round(base.y + p.y) };
          const last = points[points.length - 1];
          if (!last || last.x !== q.x || last.y !== q.y) points.push(q);
        }
      }
      const label = e.labels?.[0];
      edges[e.id] = {
        points,
        label: label
          ? {
              x: round(base.x + (label.x ?? 0)),
              y: round(base.y + (label.y ?? 0)),
              width: round(label.width ?? 0),
              height: round(label.height ?? 0),
              lines: labelLinesById.get(e.id) ?? [],
            }
          : null,
      };
    }
    for (const c of n.children ?? []) collect(c);
  };
  collect(laid);

  return {
    width: Math.ceil(laid.width ?? 0),
    height: Math.ceil(laid.height ?? 0),
    nodes,
    edges,
    metrics: LAYOUT_METRICS,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;

let cached: Promise<MachineGraphWithLayout> | null = null;

/** The contact machine's graph with its layout, computed once per process. */
export function contactMachineGraph(): Promise<MachineGraphWithLayout> {
  if (!cached) {
    const graph = machineGraph(contactMachine);
    cached = layoutGraph(graph).then((layout) => ({ ...graph, layout }));
    cached.catch(() => {
      cached = null;
    });
  }
  return cached;
}
