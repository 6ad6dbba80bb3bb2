/** A binary min-heap ordered by a numeric key (ties broken by a string id). */
export class MinHeap<T extends { due_at: number; id: string }> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as T;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }

  /** Keeps the `n` smallest items and returns the largest kept (or undefined when empty). */
  truncate(n: number): T | undefined {
    const sorted = this.items.sort((x, y) => (this.less(x, y) ? -1 : 1)).slice(0, n);
    this.items = sorted; // a sorted array is a valid heap
    return sorted[sorted.length - 1];
  }

  private less(x: T, y: T): boolean {
    return x.due_at < y.due_at || (x.due_at === y.due_at && x.id < y.id);
  }
}
