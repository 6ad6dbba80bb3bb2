/**
 * Contacts: the searchable, filterable, paginated list on the left and the Response Info
 * panel of the open contact on the right (on a phone-sized screen: one or the other).
 */
import { CONTACT_STATES } from '../../machines/vocabulary.ts';
import { api, ApiError, type Contact } from './api.ts';
import { ContactPanel } from './contactPanel.ts';
import { debounce, h, placeholders, replace, throttle } from './dom.ts';
import { CHANNEL_LABELS, contactName, SCENARIO_LABELS, shortTime, stateBadge, STATE_LABELS } from './format.ts';
import type { LiveEvent } from './live.ts';
import { NEEDS_REVIEW, reviewMarker } from './review.ts';
import type { Ctx, View } from './view.ts';

const PAGE = 20;

export function contactsView(ctx: Ctx, initialContactId: string | null): View {
  let offset = 0;
  let total = 0;
  let openId: string | null = initialContactId;
  let panel: ContactPanel | null = null;
  let listRequest = 0;

  const search = h('input', {
    type: 'search',
    placeholder: 'Search name, phone or email',
    testid: 'contact-search',
    'aria-label': 'Search contacts',
    autocomplete: 'off',
  });
  const stateFilter = h(
    'select',
    { testid: 'contact-state-filter', 'aria-label': 'Filter by state' },
    h('option', { value: '' }, 'All states'),
    CONTACT_STATES.map((s) => h('option', { value: s }, STATE_LABELS[s])),
    h('option', { value: NEEDS_REVIEW }, 'Needs review'),
  );
  const dueFilter = h(
    'select',
    { testid: 'contact-due-filter', 'aria-label': 'Follow-up due' },
    h('option', { value: '' }, 'Due: any'),
    h('option', { value: '1' }, 'Due within 1 h'),
    h('option', { value: '24' }, 'Due within 24 h'),
    h('option', { value: '72' }, 'Due within 72 h'),
  );
  const sort = h(
    'select',
    { testid: 'contact-sort', 'aria-label': 'Sort' },
    h('option', { value: 'updated' }, 'Recent'),
    h('option', { value: 'due' }, 'Next follow-up'),
    h('option', { value: 'name' }, 'Name'),
  );
  const list = h(
    'ul',
    { className: 'contact-list', testid: 'contact-list', 'aria-live': 'polite' },
    h('li', { className: 'empty' }, placeholders(3, 'contact-loading')),
  );
  const pageInfo = h('span', { testid: 'page-info', className: 'muted' });
  const prev = h(
    'button',
    { type: 'button', className: 'ghost', testid: 'page-prev', disabled: true, onclick: () => go(offset - PAGE) },
    '‹ Prev',
  );
  const next = h(
    'button',
    { type: 'button', className: 'ghost', testid: 'page-next', disabled: true, onclick: () => go(offset + PAGE) },
    'Next ›',
  );
  const listError = h('p', { className: 'error', testid: 'list-error', hidden: true });
  const panelHost = h('section', { className: 'panel-host', testid: 'panel-host' });
  const listPane = h(
    'section',
    { className: 'list-pane' },
    h('div', { className: 'filters' }, search, h('div', { className: 'filter-row' }, stateFilter, dueFilter, sort)),
    listError,
    list,
    h('div', { className: 'pager' }, prev, pageInfo, next),
  );
  const el = h('div', { className: 'contacts-view' }, listPane, panelHost);

  const go = (newOffset: number) => {
    offset = Math.max(0, newOffset);
    void loadList();
  };

  async function loadList(): Promise<void> {
    const request = ++listRequest;
    try {
      const page = await api.search(ctx.botId, {
        q: search.value.trim() || undefined,
        ...(stateFilter.value === NEEDS_REVIEW
          ? { needsReview: 'true' as const }
          : { state: stateFilter.value || undefined }),
        dueWithinHours: dueFilter.value || undefined,
        sort: sort.value,
        limit: PAGE,
        offset,
      });
      if (request !== listRequest) return; // an older answer arriving late
      total = page.total;
      listError.hidden = true;
      replace(
        list,
        page.contacts.length
          ? page.contacts.map(row)
          : h('li', { className: 'empty muted', testid: 'contact-empty' }, 'No contacts match.'),
      );
      pageInfo.textContent = total ? `${offset + 1}–${offset + page.contacts.length} of ${total}` : '0 contacts';
      prev.disabled = offset === 0;
      next.disabled = offset + PAGE >= total;
    } catch (error) {
      if (request !== listRequest) return;
      listError.hidden = false;
      listError.textContent = error instanceof ApiError ? error.message : String(error);
    }
  }

  function row(c: Contact): HTMLElement {
    const due = c.nextFollowUp;
    return h(
      'li',
      {},
      h(
        'a',
        {
          href: `#/contacts/${encodeURIComponent(c.id)}`,
          className: `contact-row${c.id === openId ? ' selected' : ''}`,
          testid: 'contact-row',
          'data-contact-id': c.id,
          'data-state': c.state,
        },
        h('span', { className: 'name' }, contactName(c)),
        stateBadge(c.state, c.nextFollowUp ? 1 : 0),
        reviewMarker(c),
        c.lastMessage
          ? h(
              'span',
              { className: 'sub preview-line', testid: 'contact-preview' },
              `${c.lastMessage.from === 'contact' ? '' : c.lastMessage.from === 'operator' ? 'You: ' : 'Bot: '}${c.lastMessage.text}`,
            )
          : null,
        h(
          'span',
          { className: 'sub muted' },
          [
            c.name ? c.phone : null,
            c.email && (c.name || c.phone) ? c.email : null,
            CHANNEL_LABELS[c.lastChannel] ?? c.lastChannel,
          ]
            .filter(Boolean)
            .join(' · '),
        ),
        due
          ? h(
              'span',
              { className: 'sub due' },
              `Next: ${SCENARIO_LABELS[due.scenario] ?? due.scenario} #${due.step} · ${shortTime(due.dueAt)}`,
            )
          : null,
      ),
    );
  }

  function openContact(id: string | null): void {
    openId = id;
    el.classList.toggle('has-panel', !!id);
    for (const a of list.querySelectorAll<HTMLElement>('[data-contact-id]'))
      a.classList.toggle('selected', a.dataset.contactId === id);
    panel?.dispose();
    panel = null;
    if (!id) {
      replace(panelHost, h('div', { className: 'panel-empty muted' }, 'Select a contact to see its Response Info.'));
      return;
    }
    panel = new ContactPanel(ctx, id, () => ctx.navigate('#/contacts'));
    replace(panelHost, panel.el);
  }

  const reload = debounce(() => void loadList(), 250);
  search.addEventListener('input', () => {
    offset = 0;
    reload();
  });
  for (const select of [stateFilter, dueFilter, sort]) {
    select.addEventListener('change', () => {
      offset = 0;
      void loadList();
    });
  }
  const liveReload = throttle(() => void loadList(), 500);

  void loadList();
  openContact(openId);

  return {
    el,
    onRoute(parts) {
      const id = parts[1] ? decodeURIComponent(parts[1]) : null;
      if (id !== openId) openContact(id);
    },
    onLive(event: LiveEvent) {
      liveReload();
      if (panel && event.contactId === openId) panel.refreshSoon();
    },
    dispose() {
      reload.cancel();
      liveReload.cancel();
      panel?.dispose();
    },
  };
}
