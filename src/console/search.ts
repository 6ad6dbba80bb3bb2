/**
 * The console's contact list: search by name, phone or email, filter by state, by "has a
 * follow-up due in the next N hours" and by "held for review", paginated with a total, each
 * with a preview of its latest message and next follow-up. The query is
 * `ContactQueries.search` (src/store/contactQueries.ts): one bot's contacts, LIKE matching
 * (case-insensitive for ASCII letters), so nothing from another bot can match.
 */
import { z } from 'zod';
import { contactLabel, contactSummary } from '../http/views.ts';
import { contactQueries } from '../store/contactQueries.ts';
import type { Store } from '../store/store.ts';
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

export function searchContacts(store: Store, botId: string, query: SearchQuery, now: number) {
  const queries = contactQueries(store.db);
  const { rows, total } = queries.search(botId, {
    q: query.q,
    states: query.state,
    needsReview: query.needsReview === 'true',
    dueBefore: query.dueWithinHours === undefined ? undefined : now + Math.round(query.dueWithinHours * 3_600_000),
    sort: query.sort,
    limit: query.limit,
    offset: query.offset,
  });
  return {
    contacts: rows.map((row) => {
      // Previews: one indexed read per listed contact.
      const next = row.next_due === null ? undefined : queries.nextFollowUp(row.id);
      const last = queries.lastMessage(row.id);
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
