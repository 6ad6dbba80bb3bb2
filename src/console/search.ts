/**
 * The console's contact list: search by name, phone or email, filter by state, by "has a
 * follow-up due in the next N hours" and by "held for review", paginated with a total. Plain SQL over the contacts
 * of one bot (LIKE is case-insensitive for ASCII letters); the bot id is always the first
 * condition, so nothing from another bot can match.
 */
import { z } from 'zod';
import { contactLabel, contactSummary } from '../http/views.ts';
import type { Store, ContactRow } from '../store/store.ts';
import { contactColumns } from '../store/store.ts';
import { CONTACT_STATES } from '../../machines/contact.ts';

export const searchQuerySchema = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    state: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value.trim() === '') return undefined;
        const states = [
          ...new Set(
            value
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ),
        ];
        const bad = states.filter((s) => !(CONTACT_STATES as readonly string[]).includes(s));
        if (bad.length) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown state ${bad.map((b) => `"${b}"`).join(', ')}; expected one or more of ${CONTACT_STATES.join(', ')} (comma-separated)`,
          });
          return z.NEVER;
        }
        return states;
      }),
    dueWithinHours: z.coerce
      .number({ error: 'must be a number of hours' })
      .positive('must be more than 0 hours')
      .max(24 * 365, 'must be at most 8760 hours (a year)')
      .optional(),
    limit: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(200, 'must be at most 200')
      .default(25),
    offset: z.coerce.number().int('must be a whole number').min(0, 'must not be negative').default(0),
    sort: z.enum(['updated', 'name', 'due'], { error: 'must be updated, name or due' }).default('updated'),
    needsReview: z.enum(['true'], { error: 'must be true (only the contacts held for review)' }).optional(),
  })
  .strict();

export type SearchQuery = z.output<typeof searchQuerySchema>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function searchContacts(store: Store, botId: string, query: SearchQuery, now: number) {
  const where: string[] = ['c.bot_id = @botId'];
  const params: Record<string, unknown> = { botId, now };
  if (query.state) {
    where.push(`c.state IN (${query.state.map((_, i) => `@state${i}`).join(', ')})`);
    query.state.forEach((s, i) => (params[`state${i}`] = s));
  }
  if (query.q) {
    params.like = `%${escapeLike(query.q)}%`;
    const alternatives = [
      `c.name LIKE @like ESCAPE '\\'`,
      `c.email LIKE @like ESCAPE '\\'`,
      `c.phone LIKE @like ESCAPE '\\'`,
    ];
    // "(415) 555-0123" finds +14155550123: compare digits when the query looks like a number.
    const digits = query.q.replace(/\D/g, '');
    if (digits.length >= 3 && /^[\d\s()+.-]+$/.test(query.q)) {
      params.digits = `%${digits}%`;
      alternatives.push(`c.phone LIKE @digits`);
    }
    where.push(`(${alternatives.join(' OR ')})`);
  }
  if (query.needsReview) where.push('c.review_at IS NOT NULL');
  if (query.dueWithinHours !== undefined) {
    params.dueBefore = now + Math.round(query.dueWithinHours * 3_600_000);
    where.push(
      `EXISTS (SELECT 1 FROM followups f WHERE f.contact_id = c.id AND f.status = 'pending' AND f.kind = 'followup' AND f.due_at <= @dueBefore)`,
    );
  }
  const order =
    query.sort === 'name'
      ? `c.name IS NULL, c.name COLLATE NOCASE, c.id`
      : query.sort === 'due'
        ? `next_due IS NULL, next_due, c.id`
        : `c.updated_at DESC, c.id`;
  const filter = where.join(' AND ');
  const total = (store.db.prepare(`SELECT COUNT(*) AS n FROM contacts c WHERE ${filter}`).get(params) as { n: number })
    .n;
  const rows = store.db
    .prepare(
      `SELECT ${contactColumns('c')}, c.rowid AS visitor_number,
         (SELECT MIN(f.due_at) FROM followups f WHERE f.contact_id = c.id AND f.status = 'pending' AND f.kind = 'followup') AS next_due
       FROM contacts c WHERE ${filter} ORDER BY ${order} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: query.limit, offset: query.offset }) as (ContactRow & {
    next_due: number | null;
    visitor_number: number;
  })[];
  // The latest message of each listed contact, as a preview (one indexed read per row).
  const lastOf = store.db.prepare(
    `SELECT sender, text, at FROM messages WHERE contact_id = ? ORDER BY seq DESC LIMIT 1`,
  );
  const nextOf = store.db.prepare(
    `SELECT id, scenario, step, due_at FROM followups WHERE contact_id = ? AND status = 'pending' AND kind = 'followup' ORDER BY due_at, id LIMIT 1`,
  );
  return {
    contacts: rows.map((row) => {
      const next =
        row.next_due === null
          ? undefined
          : (nextOf.get(row.id) as { id: string; scenario: string; step: number; due_at: number } | undefined);
      const last = lastOf.get(row.id) as { sender: string; text: string; at: number } | undefined;
      return {
        ...contactSummary(row),
        ...contactLabel(row.timezone, row.visitor_number),
        lastMessage: last
          ? { from: last.sender, text: last.text.slice(0, 140), at: new Date(last.at).toISOString() }
          : null,
        nextFollowUp: next
          ? { id: next.id, scenario: next.scenario, step: next.step, dueAt: new Date(next.due_at).toISOString() }
          : null,
      };
    }),
    total,
    limit: query.limit,
    offset: query.offset,
  };
}
