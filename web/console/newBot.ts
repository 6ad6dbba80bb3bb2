/**
 * The "create a bot" form: a business name, a button, and the server's answer beside them.
 * Shared by Settings and the admin's "No bots yet" screen; both then open the new bot's
 * Install tab, where its widget key and snippet are.
 */
import { api, type Bot } from './api.ts';
import { h } from './dom.ts';
import { operatorMessage } from './format.ts';

export function newBotForm(onCreated: (bot: Bot) => void): HTMLElement {
  const name = h('input', {
    type: 'text',
    placeholder: 'business name',
    testid: 'bot-name',
    'aria-label': 'New bot name',
    required: true,
    maxlength: 200,
  });
  const create = h('button', { type: 'submit', testid: 'bot-create' }, 'Create bot');
  const error = h('p', { className: 'error', testid: 'bot-error', role: 'alert', hidden: true });
  return h(
    'div',
    { className: 'new-bot' },
    h(
      'form',
      {
        className: 'row',
        testid: 'bot-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          create.disabled = true;
          try {
            const bot = await api.createBot(name.value.trim());
            name.value = '';
            error.hidden = true;
            onCreated(bot);
          } catch (failure) {
            error.hidden = false;
            error.textContent = operatorMessage(failure);
          } finally {
            create.disabled = false;
          }
        },
      },
      name,
      create,
    ),
    error,
  );
}
