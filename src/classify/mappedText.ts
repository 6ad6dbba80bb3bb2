/**
 * A string that remembers which span of the original message each character came from.
 * Normalising ("tmrw @ 3" → "tomorrow at 3") and glossing ("mañana" → "tomorrow") both
 * rewrite text, yet the classifier must echo the time phrase exactly as the contact wrote it.
 *
 * Rewrites are on the hot path and the mapping is needed for one phrase at most, so a
 * rewrite only records its edits (a few numbers per replaced match); positions are mapped
 * back lazily, through the chain of rewrites, when originalSlice() is called.
 */
export class MappedText {
  private constructor(
    readonly original: string,
    readonly text: string,
    /** The text this one was rewritten from (null for a root). */
    private readonly parent: MappedText | null,
    /** Edits as quadruples [outStart, outEnd, inStart, inEnd], in order (inStart/inEnd in parent). */
    private readonly edits: readonly number[],
    /** Root only: original span of each character, when not the identity. */
    private readonly rootFrom: Int32Array | null = null,
    private readonly rootTo: Int32Array | null = null,
  ) {}

  static identity(original: string): MappedText {
    return new MappedText(original, original, null, []);
  }

  /** Builds a root from pieces: each piece is output text plus the original span it stands for. */
  static fromPieces(original: string, pieces: readonly { text: string; from: number; to: number }[]): MappedText {
    let total = 0;
    for (const p of pieces) total += p.text.length;
    const from = new Int32Array(total);
    const to = new Int32Array(total);
    let out = '';
    let k = 0;
    for (const p of pieces) {
      out += p.text;
      for (let i = 0; i < p.text.length; i++, k++) {
        from[k] = p.from;
        to[k] = p.to;
      }
    }
    return new MappedText(original, out, null, [], from, to);
  }

  /** Replaces every match of a global regex; returns `this` when nothing matched. */
  replace(re: RegExp, replacer: (match: RegExpExecArray) => string): MappedText {
    if (!re.global) throw new Error('MappedText.replace needs a global regex');
    re.lastIndex = 0;
    let m = re.exec(this.text);
    if (!m) return this;
    const src = this.text;
    let out = '';
    const edits: number[] = [];
    let last = 0;
    while (m) {
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) {
        re.lastIndex++;
        m = re.exec(src);
        continue;
      }
      out += src.slice(last, start);
      const replacement = replacer(m);
      if (replacement !== m[0]) {
        edits.push(out.length, out.length + replacement.length, start, end);
      }
      out += replacement;
      last = end;
      m = re.exec(src);
    }
    out += src.slice(last);
    if (edits.length === 0) return this;
    return new MappedText(this.original, out, this, edits);
  }

  /** Original span [from, to) of character `c` of `text`. */
  private span(c: number): [number, number] {
    if (!this.parent) {
      if (this.rootFrom && this.rootTo) {
        const i = Math.min(Math.max(c, 0), this.rootFrom.length - 1);
        return [this.rootFrom[i], this.rootTo[i]];
      }
      return [c, c + 1];
    }
    let delta = 0;
    const e = this.edits;
    for (let i = 0; i < e.length; i += 4) {
      const outStart = e[i];
      const outEnd = e[i + 1];
      if (c < outStart) break;
      if (c < outEnd) {
        // Inside a replacement: it stands for the whole replaced span of the parent.
        const a = this.parent.span(e[i + 2]);
        const b = this.parent.span(e[i + 3] - 1);
        return [a[0], b[1]];
      }
      delta = e[i + 3] - outEnd;
    }
    return this.parent.span(c + delta);
  }

  /** The original text behind `text.slice(start, end)`. */
  originalSlice(start: number, end: number): string {
    if (end <= start || start >= this.text.length) return '';
    const s = this.span(start)[0];
    const e = this.span(Math.min(end, this.text.length) - 1)[1];
    return this.original.slice(s, Math.max(s, e));
  }
}
