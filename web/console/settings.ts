/**
 * Settings: the bot's integration secrets (calendar webhook, outgoing-webhook signing) for
 * every operator of the bot; operators and bots for admins (a new token is shown once).
 */
import { api, type Operator } from './api.ts';
import { h, replace } from './dom.ts';
import { operatorMessage } from './format.ts';
import { newBotForm } from './newBot.ts';
import type { Ctx, View } from './view.ts';

export function settingsView(ctx: Ctx): View {
  const secrets = h('section', { className: 'card', testid: 'secrets' });
  const adminArea = h('div', {});
  const el = h(
    'div',
    { className: 'insight' },
    h('div', { className: 'bar' }, h('h2', {}, 'Settings')),
    secrets,
    adminArea,
  );

  const loadSecrets = async () => {
    try {
      const s = await api.secrets(ctx.botId);
      replace(
        secrets,
        h('h3', {}, 'Integrations'),
        h(
          'p',
          { className: 'small' },
          'Calendar webhook URL: ',
          h('code', { testid: 'calendar-url' }, `${location.origin}${s.calendar.webhookPath}`),
        ),
        h('p', { className: 'small' }, 'Calendar secret: ', maskedSecret(s.calendar.secret, 'calendar-secret', ctx)),
        h(
          'p',
          { className: 'small' },
          'Outgoing webhook signing secret: ',
          maskedSecret(s.webhook.secret, 'webhook-secret', ctx),
        ),
        h(
          'p',
          { className: 'small muted' },
          'Both sign X-Nudge-Signature = sha256=HMAC-SHA256(secret, `${X-Nudge-Timestamp}.${body}`); see docs/api.md.',
        ),
      );
    } catch (error) {
      replace(secrets, h('p', { className: 'error' }, operatorMessage(error)));
    }
  };

  const loadAdmin = async () => {
    if (!ctx.me.operator.admin) return;
    const bots = ctx.me.bots;
    const { operators } = await api.operators();
    const name = h('input', {
      type: 'text',
      placeholder: 'name',
      testid: 'operator-name',
      'aria-label': 'Operator name',
    });
    const isAdmin = h('input', { type: 'checkbox', testid: 'operator-admin' });
    const botChecks = bots.map((b) =>
      h('input', { type: 'checkbox', value: b.id, 'data-bot': b.id, checked: b.id === ctx.botId }),
    );
    const tokenBox = h('div', { className: 'token-box', testid: 'operator-token', hidden: true });
    const formError = h('p', { className: 'error', hidden: true, testid: 'operator-error' });
    const showToken = (token: string, who: string) => {
      tokenBox.hidden = false;
      replace(tokenBox, h('p', {}, `Token for ${who} — copy it now, it is not shown again:`), h('code', {}, token));
    };
    const row = (op: Operator) =>
      h(
        'tr',
        { testid: 'operator-row', 'data-operator-id': op.id },
        h('td', {}, op.name, op.admin ? h('span', { className: 'chip' }, 'admin') : null),
        h(
          'td',
          {},
          op.admin
            ? 'all bots'
            : bots.map((b) =>
                h(
                  'label',
                  { className: 'check small' },
                  h('input', {
                    type: 'checkbox',
                    checked: op.botIds?.includes(b.id) ?? false,
                    onchange: async (e: Event) => {
                      try {
                        if ((e.target as HTMLInputElement).checked) await api.grant(op.id, b.id);
                        else await api.revoke(op.id, b.id);
                        ctx.toast('Access updated');
                      } catch (error) {
                        ctx.toast(error instanceof Error ? error.message : String(error), 'error');
                      }
                    },
                  }),
                  ` ${b.name} `,
                ),
              ),
        ),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              className: 'ghost small',
              onclick: async () => showToken((await api.rotateToken(op.id)).token, op.name),
            },
            'New token',
          ),
          h(
            'button',
            {
              type: 'button',
              className: 'ghost danger small',
              onclick: async () => {
                if (!confirm(`Delete operator ${op.name}? Their token stops working at once.`)) return;
                await api.deleteOperator(op.id);
                await loadAdmin();
              },
            },
            'Delete',
          ),
        ),
      );
    replace(
      adminArea,
      h(
        'section',
        { className: 'card' },
        h('h3', {}, 'Operators'),
        h('table', { className: 'data' }, h('tbody', {}, operators.map(row))),
        h(
          'form',
          {
            className: 'row wrap',
            testid: 'operator-form',
            onsubmit: async (e: Event) => {
              e.preventDefault();
              try {
                const created = await api.createOperator({
                  name: name.value,
                  admin: isAdmin.checked,
                  botIds: botChecks.filter((c) => c.checked).map((c) => c.value),
                });
                formError.hidden = true;
                await loadAdmin();
                showToken(created.token, created.operator.name);
              } catch (error) {
                formError.hidden = false;
                formError.textContent = error instanceof Error ? error.message : String(error);
              }
            },
          },
          name,
          h('label', { className: 'check small' }, isAdmin, ' admin'),
          bots.map((b, i) => h('label', { className: 'check small' }, botChecks[i], ` ${b.name}`)),
          h('button', { type: 'submit', testid: 'operator-create' }, 'Create operator'),
        ),
        formError,
        tokenBox,
      ),
      h(
        'section',
        { className: 'card' },
        h('h3', {}, 'New bot'),
        newBotForm((bot) => {
          ctx.toast(`Bot ${bot.name} created. Next: put it on your site.`);
          ctx.openBot({ id: bot.id, name: bot.name }, '#/install');
        }),
      ),
    );
  };

  void loadSecrets();
  void loadAdmin().catch((error) =>
    replace(adminArea, h('p', { className: 'error' }, error instanceof Error ? error.message : String(error))),
  );
  return { el };
}

/** A secret shown as dots, with Reveal (toggles) and Copy, so it is not on screen by default. */
function maskedSecret(secret: string, testid: string, ctx: Ctx): HTMLElement {
  const DOTS = '•'.repeat(16);
  const code = h('code', { testid, 'data-revealed': 'false' }, DOTS);
  const reveal = h(
    'button',
    {
      type: 'button',
      className: 'ghost small',
      testid: `${testid}-reveal`,
      onclick: () => {
        const shown = code.dataset.revealed === 'true';
        code.textContent = shown ? DOTS : secret;
        code.dataset.revealed = String(!shown);
        reveal.textContent = shown ? 'Reveal' : 'Hide';
      },
    },
    'Reveal',
  );
  const copy = h(
    'button',
    {
      type: 'button',
      className: 'ghost small',
      testid: `${testid}-copy`,
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(secret);
          ctx.toast('Secret copied');
        } catch {
          ctx.toast('Copying is blocked here: use Reveal and copy it by hand', 'error');
        }
      },
    },
    'Copy',
  );
  return h('span', { className: 'secret' }, code, ' ', reveal, copy);
}
