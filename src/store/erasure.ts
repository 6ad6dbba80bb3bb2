/**
 * Erasure of one contact (a data-subject request): every row that names the contact goes,
 * in one transaction, and only the fact remains — bot, time and who asked, in `erasures`,
 * without the contact's id or anything it said.
 *
 * The tables are found by their `contact_id` column when the statements are prepared, so a
 * table a later migration adds is erased too without this file knowing it.
 */
import type { DB } from './db.ts';

export class ContactEraser {
  private readonly deletes: { table: string; run: (contactId: string) => number }[];
  private readonly deleteContact;
  private readonly record;

  constructor(db: DB) {
    const tables = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all() as { name: string }[]
    )
      .map((row) => row.name)
      .filter(
        (table) =>
          table !== 'contacts' &&
          (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some(
            (column) => column.name === 'contact_id',
          ),
      );
    this.deletes = tables.map((table) => {
      const statement = db.prepare<[string]>(`DELETE FROM "${table}" WHERE contact_id = ?`);
      return { table, run: (contactId: string) => statement.run(contactId).changes };
    });
    this.deleteContact = db.prepare<[string]>('DELETE FROM contacts WHERE id = ?');
    this.record = db.prepare<[string, string | null, number]>(
      'INSERT INTO erasures (bot_id, actor, erased_at) VALUES (?, ?, ?)',
    );
  }

  /** The tables erased besides `contacts` (for the docs and tests). */
  get tables(): string[] {
    return this.deletes.map((d) => d.table);
  }

  /** Deletes the contact's rows everywhere; call inside a transaction. Returns rows deleted per table. */
  erase(contactId: string, botId: string, actor: string | null, at: number): Record<string, number> {
    const deleted: Record<string, number> = {};
    for (const d of this.deletes) deleted[d.table] = d.run(contactId);
    deleted.contacts = this.deleteContact.run(contactId).changes;
    this.record.run(botId, actor, at);
    return deleted;
  }
}
