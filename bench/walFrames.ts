/**
 * Which b-trees a commit writes: each WAL frame is one database page written by a commit,
 * so attributing the frames appended during a workload to the table or index owning each
 * page tells where the COMMIT's page writes (and the checkpoint's copies of them) go.
 *
 * WAL layout (https://www.sqlite.org/fileformat.html#the_write_ahead_log): a 32-byte header
 * whose bytes 8–11 hold the page size (big-endian), then frames of a 24-byte header (bytes
 * 0–3: the page number, big-endian) followed by one page.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import type { DB } from '../src/store/db.ts';

export const WAL_HEADER_BYTES = 32;
export const WAL_FRAME_HEADER_BYTES = 24;

/** The page size a WAL was written with (0 for a file too short to have a header). */
export function walPageSize(wal: Buffer): number {
  return wal.length < WAL_HEADER_BYTES ? 0 : wal.readUInt32BE(8);
}

/** The byte offset where frame `index` (0-based) starts. */
export function frameOffset(index: number, pageSize: number): number {
  return WAL_HEADER_BYTES + index * (WAL_FRAME_HEADER_BYTES + pageSize);
}

/**
 * Follows a WAL that only grows (checkpoints stopped): each call of `pages()` returns the
 * page numbers of the complete frames appended since the previous call, reading only
 * their headers.
 */
export class WalTail {
  private nextFrame: number;
  private readonly header = Buffer.alloc(WAL_FRAME_HEADER_BYTES);

  constructor(private readonly path: string) {
    this.nextFrame = frameCount(readFileSync(path));
  }

  pages(): number[] {
    const fd = openSync(this.path, 'r');
    try {
      const size = fstatSync(fd).size;
      const first = Buffer.alloc(WAL_HEADER_BYTES);
      if (readSync(fd, first, 0, WAL_HEADER_BYTES, 0) < WAL_HEADER_BYTES) return [];
      const pageSize = walPageSize(first);
      const pages: number[] = [];
      for (
        let offset = frameOffset(this.nextFrame, pageSize);
        offset + WAL_FRAME_HEADER_BYTES + pageSize <= size;
        offset += WAL_FRAME_HEADER_BYTES + pageSize
      ) {
        readSync(fd, this.header, 0, WAL_FRAME_HEADER_BYTES, offset);
        pages.push(this.header.readUInt32BE(0));
        this.nextFrame++;
      }
      return pages;
    } finally {
      closeSync(fd);
    }
  }
}

/** How many complete frames the WAL holds. */
export function frameCount(wal: Buffer): number {
  const pageSize = walPageSize(wal);
  if (pageSize === 0) return 0;
  return Math.max(0, Math.floor((wal.length - WAL_HEADER_BYTES) / (WAL_FRAME_HEADER_BYTES + pageSize)));
}

/**
 * The table or index owning each page, from SQLite's `dbstat` virtual table (read through
 * the given connection, so pages still only in the WAL count). Page 1 is `sqlite_schema`'s
 * root and also holds the database header (its size field changes as the file grows).
 * Pages move between b-trees through the free list (an index page emptied by deletes is
 * reused by a growing table), so attribute a commit's frames with the owners read right
 * after that commit, not at the end of a run.
 */
export function pageOwners(db: DB): Map<number, string> {
  const owners = new Map<number, string>();
  for (const row of db.prepare(`SELECT name, pageno FROM dbstat`).iterate() as Iterable<{
    name: string;
    pageno: number;
  }>) {
    owners.set(row.pageno, row.name);
  }
  return owners;
}

/** Frames per owner, most written first; pages no b-tree owns (free-list) count as `(free)`. */
export function framesByOwner(pages: readonly number[], owners: ReadonlyMap<number, string>): [string, number][] {
  const counts = new Map<string, number>();
  for (const page of pages) {
    const owner = owners.get(page) ?? '(free)';
    counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
