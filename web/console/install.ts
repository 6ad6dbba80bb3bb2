/**
 * Install on your site: the steps a business follows to put its bot's chat on its own
 * pages. Allow the website, set the business name and colour, paste the snippet; the card
 * re-reads the install details every few seconds so a page refused a moment ago shows up
 * ("Last connection refused from …") with a one-click "Allow this site".
 */
import { api, ApiError, type Install } from './api.ts';
import { h, replace } from './dom.ts';
import { operatorMessage, relative } from './format.ts';
import type { Ctx, View } from './view.ts';

const REFRESH_MS = 4000;
const DEFAULT_COLOR = '#2f5bea';

export function installView(ctx: Ctx): View {
  const body = h(
    'div',
    { className: 'install-body', testid: 'install-loading' },
    h('div', { className: 'placeholder' }),
    h('div', { className: 'placeholder' }),
  );
  const el = h(
    'div',
    { className: 'insight install', testid: 'install' },
    h('div', { className: 'bar' }, h('h2', {}, 'Install on your site')),
    h(
      'p',
      { className: 'muted' },
      'Three steps: allow your website, check your name and colour, then paste the snippet into your pages just before </body>.',
    ),
    body,
  );
  let current: Install | null = null;
  let disposed = false;
  const sections = {
    origins: h('section', { className: 'card', testid: 'install-origins' }),
    look: h('section', { className: 'card', testid: 'install-look' }),
    snippet: h('section', { className: 'card', testid: 'install-snippet' }),
  };

  const saveOrigins = async (origins: string[], error: HTMLElement) => {
    try {
      show(await api.setOrigins(ctx.botId, origins));
      ctx.toast('Allowed websites saved');
    } catch (err) {
      error.hidden = false;
      error.textContent = operatorMessage(err);
    }
  };

  function renderOrigins(install: Install): void {
    const input = h('input', {
      type: 'text',
      inputmode: 'url',
      testid: 'origin-input',
      placeholder: 'https://your-shop.example',
      'aria-label': 'Website address',
      autocomplete: 'off',
    });
    const error = h('p', { className: 'error', testid: 'origin-error', role: 'alert', hidden: true });
    const refused = install.lastRefused;
    replace(
      sections.origins,
      h('h3', {}, '1. Allowed websites'),
      h(
        'p',
        { className: 'small muted' },
        'The chat only opens on these sites. Write the address as it appears in the browser, without a page path: https://your-shop.example',
      ),
      install.allowedOrigins.length
        ? h(
            'ul',
            { className: 'origin-list', testid: 'origin-list' },
            install.allowedOrigins.map((origin) =>
              h(
                'li',
                { testid: 'origin-item', 'data-origin': origin },
                h('code', {}, origin === '*' ? '* (any website)' : origin),
                h(
                  'button',
                  {
                    type: 'button',
                    className: 'ghost danger small',
                    'aria-label': `Remove ${origin}`,
                    onclick: () =>
                      saveOrigins(
                        install.allowedOrigins.filter((o) => o !== origin),
                        error,
                      ),
                  },
                  'Remove',
                ),
              ),
            ),
          )
        : h(
            'p',
            { className: 'banner warn', testid: 'origin-none' },
            'No website is allowed yet: the chat will not open anywhere until you add one.',
          ),
      h(
        'form',
        {
          className: 'row',
          testid: 'origin-form',
          onsubmit: (e: Event) => {
            e.preventDefault();
            const value = input.value.trim();
            if (!value) return;
            error.hidden = true;
            void saveOrigins([...install.allowedOrigins, value], error);
          },
        },
        input,
        h('button', { type: 'submit', testid: 'origin-add' }, 'Add website'),
      ),
      error,
      refused
        ? h(
            'p',
            {
              className: `refused ${refused.nowAllowed ? 'muted' : 'banner warn'}`,
              testid: 'origin-refused',
              'data-origin': refused.origin ?? '',
            },
            `Last connection refused from ${refused.origin ?? 'a page that sent no origin'} · ${relative(refused.at, Date.now())}`,
            refused.nowAllowed ? ' (allowed since)' : '',
            refused.origin && !refused.nowAllowed
              ? h(
                  'button',
                  {
                    type: 'button',
                    className: 'small',
                    testid: 'origin-allow-refused',
                    onclick: () => saveOrigins([...install.allowedOrigins, refused.origin!], error),
                  },
                  'Allow this site',
                )
              : null,
          )
        : h('p', { className: 'small muted', testid: 'origin-refused-none' }, 'No connection has been refused.'),
    );
  }

  function renderLook(install: Install): void {
    const name = h('input', {
      type: 'text',
      testid: 'install-name',
      value: install.businessName,
      maxlength: 100,
      'aria-label': 'Business name',
      required: true,
    });
    const color = h('input', {
      type: 'color',
      testid: 'install-color',
      value: install.widgetColor ?? DEFAULT_COLOR,
      'aria-label': 'Widget colour',
    });
    const error = h('p', { className: 'error', testid: 'install-look-error', role: 'alert', hidden: true });
    replace(
      sections.look,
      h('h3', {}, '2. Business name and colour'),
      h(
        'p',
        { className: 'small muted' },
        "The name heads the chat and fills {{business_name}} in messages; the colour is the chat button's.",
      ),
      h(
        'form',
        {
          className: 'row',
          testid: 'install-look-form',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            error.hidden = true;
            try {
              await api.patchConfig(ctx.botId, { name: name.value.trim(), widgetColor: color.value });
              show(await api.install(ctx.botId));
              ctx.toast('Name and colour saved');
            } catch (err) {
              error.hidden = false;
              error.textContent = operatorMessage(err);
            }
          },
        },
        h('label', { className: 'field' }, 'Business name ', name),
        h('label', { className: 'field' }, 'Colour ', color),
        h('button', { type: 'submit', testid: 'install-look-save' }, 'Save'),
      ),
      error,
    );
  }

  function renderSnippet(install: Install): void {
    const code = h('code', { testid: 'install-snippet-code' }, install.snippet);
    replace(
      sections.snippet,
      h('h3', {}, '3. Paste this into your pages'),
      h(
        'p',
        { className: 'small muted' },
        'Just before </body> on every page that should show the chat. It loads the chat from this Nudge server.',
      ),
      h('pre', { className: 'snippet' }, code),
      h(
        'div',
        { className: 'row' },
        h(
          'button',
          {
            type: 'button',
            testid: 'install-copy',
            onclick: async () => {
              try {
                await navigator.clipboard.writeText(install.snippet);
                ctx.toast('Snippet copied');
              } catch {
                getSelection()?.selectAllChildren(code);
                ctx.toast('Press Ctrl+C (⌘C) to copy the selected snippet');
              }
            },
          },
          'Copy snippet',
        ),
        h(
          'span',
          { className: 'small muted' },
          'Widget key: ',
          h('code', { testid: 'install-key' }, install.widgetKey),
        ),
      ),
    );
  }

  function show(install: Install): void {
    const first = current === null;
    const looksChanged =
      !current || current.businessName !== install.businessName || current.widgetColor !== install.widgetColor;
    current = install;
    renderOrigins(install);
    if (looksChanged) renderLook(install); // never wipe a name being typed
    renderSnippet(install);
    if (first) {
      body.removeAttribute('data-testid');
      replace(body, sections.origins, sections.look, sections.snippet);
    }
  }

  const load = async () => {
    try {
      const install = await api.install(ctx.botId);
      if (disposed) return;
      const focused = document.activeElement;
      // Re-render only when something changed, and not under the operator's cursor.
      if (current && JSON.stringify(current) === JSON.stringify(install)) return;
      if (current && focused && sections.origins.contains(focused) && (focused as HTMLInputElement).value) return;
      show(install);
    } catch (err) {
      if (!current) replace(body, h('p', { className: 'error' }, operatorMessage(err)));
      if (err instanceof ApiError && err.status === 404) disposed = true;
    }
  };
  void load();
  const timer = setInterval(() => void load(), REFRESH_MS);
  return {
    el,
    dispose() {
      disposed = true;
      clearInterval(timer);
    },
  };
}
