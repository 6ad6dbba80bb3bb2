/**
 * The drawn statechart is derived from the machine, so it must contain every state and
 * every transition of the definition — checked here against XState's own state-node
 * objects (not against the toJSON() the graph is built from) — and lay out cleanly.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMachine, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { CONTACT_STATES, contactMachine } from '../../machines/contact.ts';
import { contactMachineGraph, edgeId, layoutGraph, machineGraph } from '../../src/viz/graph.ts';

function walk(node: AnyStateNode, out: AnyStateNode[] = []): AnyStateNode[] {
  out.push(node);
  for (const child of Object.values(node.states)) walk(child as AnyStateNode, out);
  return out;
}

const actionName = (a: unknown): string => {
  if (typeof a === 'string') return a;
  if (typeof a === 'function') return String((a as { type?: string }).type ?? 'inline').replace(/^xstate\./, '');
  return String((a as { type: string }).type);
};

/** Every (source, event, candidate, target) of a machine, from its state nodes. */
function definedTransitions(machine: { root: AnyStateNode }) {
  const out: Array<{
    id: string;
    source: string;
    target: string | null;
    event: string;
    guard: string | null;
    actions: string[];
  }> = [];
  for (const node of walk(machine.root)) {
    for (const [event, list] of Object.entries(node.on as Record<string, AnyTransitionDefinition[]>)) {
      list.forEach((t, index) => {
        const targets = t.target ?? [];
        const guard = t.guard
          ? typeof t.guard === 'string'
            ? t.guard
            : String((t.guard as { type?: string }).type)
          : null;
        const actions = t.actions.map(actionName);
        if (targets.length === 0)
          out.push({ id: edgeId(node.id, event, index), source: node.id, target: null, event, guard, actions });
        targets.forEach((target, k) =>
          out.push({
            id: edgeId(node.id, event, index, k, targets.length),
            source: node.id,
            target: target.id,
            event,
            guard,
            actions,
          }),
        );
      });
    }
  }
  return out;
}

describe('machine graph', () => {
  const graph = machineGraph(contactMachine);

  test('contains every state of the machine definition, with descriptions', () => {
    const defined = walk(contactMachine.root).filter((n) => n !== contactMachine.root);
    assert.deepEqual(new Set(graph.states), new Set(defined.map((n) => n.id)));
    assert.equal(graph.states.length, CONTACT_STATES.length);
    for (const name of CONTACT_STATES) {
      const node = graph.nodes.find((n) => n.id === `contact.${name}`);
      assert.ok(node, `state ${name} missing`);
      assert.equal(node.kind, 'state');
      assert.equal(node.description, (contactMachine.root.states[name] as AnyStateNode).description ?? null);
      assert.ok(node.descriptionLines.join(' ').length > 10, `${name} has its description wrapped for drawing`);
    }
    const initial = graph.nodes.filter((n) => n.initial).map((n) => n.id);
    assert.deepEqual(initial, ['contact.active']);
  });

  test('contains every transition of the machine definition with event, guard, target and actions', () => {
    const expected = definedTransitions(contactMachine);
    assert.ok(expected.length > 25, 'the contact machine has many transitions');
    const real = graph.edges.filter((e) => e.kind !== 'initial');
    assert.equal(real.length, expected.length, 'one edge per transition and target, no more');
    for (const want of expected) {
      const edge = graph.edges.find((e) => e.id === want.id);
      assert.ok(edge, `transition ${want.id} missing from the graph`);
      assert.equal(edge.source, want.source);
      assert.equal(edge.target, want.target, want.id);
      assert.equal(edge.event, want.event);
      assert.equal(edge.guard, want.guard, `${want.id} guard`);
      assert.deepEqual(
        edge.actions.map((a) => a.name),
        want.actions,
        `${want.id} actions`,
      );
      assert.equal(edge.kind, want.target === null ? 'internal' : want.target === want.source ? 'self' : 'external');
    }
    // Spot checks in product terms.
    const fire = graph.edges.find((e) => e.id === 'contact.busy|FOLLOWUP_DUE|0')!;
    assert.equal(fire.guard, 'isCurrentTimer');
    assert.deepEqual(fire.labelLines, ['FOLLOWUP_DUE [isCurrentTimer]', '/ fireFollowUp']);
    // Candidate 0 holds a doubtful message for review; 1 is a confident refusal.
    const stop = graph.edges.find((e) => e.id === 'contact|CONTACT_MESSAGE|1')!;
    assert.equal(stop.target, 'contact.stopped');
    assert.equal(stop.drawnFrom, 'contact::any', 'root transitions are drawn from the "any state" box');
    assert.equal(stop.labelLines[0], 'CONTACT_MESSAGE [saysNotInterested]');
    assert.match(stop.labelLines.slice(1).join(' '), /resetTimers\(not_interested\)/);
    // Targetless transitions become rows of their state's box.
    const stopped = graph.nodes.find((n) => n.id === 'contact.stopped')!;
    assert.ok(stopped.internal.includes('contact.stopped|OPERATOR_STOP|0'));
    assert.deepEqual(
      new Set(graph.events),
      new Set(
        Object.values(graph.edges)
          .filter((e) => e.kind !== 'initial')
          .map((e) => e.event),
      ),
    );
  });

  test('lays out every node and every drawn edge without overlapping states', async () => {
    const laid = await contactMachineGraph();
    const { layout } = laid;
    assert.ok(layout.width > 0 && layout.height > 0);
    for (const node of laid.nodes) {
      const box = layout.nodes[node.id];
      assert.ok(box, `no box for ${node.id}`);
      for (const v of [box.x, box.y, box.width, box.height])
        assert.ok(Number.isFinite(v), `${node.id} has finite geometry`);
    }
    const root = layout.nodes.contact;
    const leaves = laid.nodes.filter((n) => n.children.length === 0);
    for (const n of leaves) {
      const b = layout.nodes[n.id];
      assert.ok(
        b.x >= root.x &&
          b.y >= root.y &&
          b.x + b.width <= root.x + root.width + 0.5 &&
          b.y + b.height <= root.y + root.height + 0.5,
        `${n.id} inside the machine frame`,
      );
    }
    for (let i = 0; i < leaves.length; i++) {
      for (let j = i + 1; j < leaves.length; j++) {
        const a = layout.nodes[leaves[i].id];
        const b = layout.nodes[leaves[j].id];
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        assert.ok(!overlap, `${leaves[i].id} overlaps ${leaves[j].id}`);
      }
    }
    for (const edge of laid.edges.filter((e) => e.target !== null)) {
      const e = layout.edges[edge.id];
      assert.ok(e && e.points.length >= 2, `edge ${edge.id} has a route`);
      if (edge.labelLines.length) assert.ok(e.label && e.label.width > 0, `edge ${edge.id} has a placed label`);
    }
  });

  test('handles nested states: children, parent-level transitions and layout', async () => {
    const nested = createMachine({
      id: 'm',
      initial: 'outer',
      states: {
        outer: {
          description: 'a compound state',
          initial: 'a',
          on: { RESET: { target: '.a' } },
          states: { a: { on: { GO: 'b' } }, b: { on: { BACK: { target: 'a', guard: 'allowed' } } } },
        },
        done: { type: 'final' },
      },
      on: { FINISH: '.done' },
    });
    const g = machineGraph(nested);
    assert.deepEqual(g.states, ['m.outer', 'm.outer.a', 'm.outer.b', 'm.done']);
    const a = g.nodes.find((n) => n.id === 'm.outer.a')!;
    assert.equal(a.parent, 'm.outer');
    assert.equal(a.initial, true);
    assert.ok(
      g.nodes.some((n) => n.id === 'm.outer::any' && n.parent === 'm.outer'),
      'outer has an any-state box for RESET',
    );
    const reset = g.edges.find((e) => e.event === 'RESET')!;
    assert.equal(reset.source, 'm.outer');
    assert.equal(reset.target, 'm.outer.a');
    assert.equal(reset.drawnFrom, 'm.outer::any');
    assert.equal(g.edges.find((e) => e.event === 'BACK')!.guard, 'allowed');
    const layout = await layoutGraph(g);
    const outer = layout.nodes['m.outer'];
    const b = layout.nodes['m.outer.b'];
    assert.ok(
      b.x >= outer.x && b.y >= outer.y && b.x + b.width <= outer.x + outer.width + 0.5,
      'child drawn inside its parent',
    );
    assert.ok(layout.edges[reset.id].points.length >= 2);
  });
});
