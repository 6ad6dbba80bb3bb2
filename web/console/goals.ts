/**
 * The Bot Goals editor: the bot panel, one card per scenario (cadence steps, message
 * editors, workflow editors), and working hours as a week grid. Each panel is a function
 * of the edited configuration and an `Edit` (report a changed value, or a changed shape).
 *
 * As the operator types, the whole document is checked by the server
 * (`POST /api/bots/:id/config/validate`, nothing saved) and every error and warning is
 * shown next to its field. Saving (`PUT …/config`) is refused with the same messages.
 */
import { KNOWN_PLACEHOLDERS } from '../../src/config/placeholders.ts';
// The sender's own filling (src/classify), so a preview is what the contact will read.
import { fillPlaceholders as sendFill } from '../../src/classify/placeholders.ts';
import { TEMPLATE_LANGUAGES, templatesFor } from '../../src/classify/templates.ts';
import { smsSegments } from '../../src/config/smsSegments.ts';
import { SCENARIOS, type Scenario } from '../../machines/vocabulary.ts';
import { api, ApiError, type BotConfig, type Duration, type FieldMessage, type MessageSpec } from './api.ts';
import { debounce, h, replace } from './dom.ts';
import { LANGUAGE_LABELS, SCENARIO_LABELS } from './format.ts';
import type { Ctx, View } from './view.ts';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
const DAY_LABELS: Record<string, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};
const UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
type Unit = (typeof UNITS)[number];
const SUFFIX: Record<Unit, string> = { seconds: 's', minutes: 'm', hours: 'h', days: 'd' };
const SCENARIO_HELP: Record<string, string> = {
  stoppedReplying: 'The bot replied and the contact went quiet. Step 1 counts from the bot’s last message.',
  busy: 'The contact said they are busy. Step 1 counts from their message.',
  requestedTime: 'The contact asked for a time. Step 1 is an offset after that instant (0 = at it).',
};
const ACTIONS = ['addTag', 'removeTag', 'assignUser', 'notifyUser'] as const;

/** "2h" → {2, hours}; an object stays as it is. */
export function splitDuration(d: Duration): { value: number; unit: Unit } {
  if (typeof d === 'object') return { value: d.value, unit: d.unit };
  const m = /^(\d+)(s|m|h|d)$/.exec(d);
  if (!m) return { value: NaN, unit: 'minutes' };
  const unit = (Object.keys(SUFFIX) as Unit[]).find((u) => SUFFIX[u] === m[2]) ?? 'minutes';
  return { value: Number(m[1]), unit };
}

/** Whole numbers are written compactly ("90m"); anything else as { value, unit }. */
export function joinDuration(value: number, unit: Unit): Duration {
  return Number.isInteger(value) && value >= 0 ? `${value}${SUFFIX[unit]}` : { value, unit };
}

const SAMPLE = { first_name: 'Alexandra', last_name: 'Richardson', full_name: 'Alexandra Richardson' };

/** A workflow action while it is edited: switching its type keeps the fields it shares. */
type ActionType = (typeof ACTIONS)[number];
interface EditableAction {
  type: ActionType;
  tag?: string;
  userId?: string;
  webhookUrl?: string;
  message?: string;
}

/** What every panel edits, and how it reports an edit. */
interface Edit {
  config: BotConfig;
  /** A value changed: check it (typing does not rebuild the form, so focus stays put). */
  changed(): void;
  /** The shape changed (step added, mode switched…): rebuild, then check. */
  restructure(): void;
}

/** The Bot Goals screen of `ctx`'s bot: loads its configuration, checks each edit, saves it. */
export function goalsView(ctx: Ctx): View {
  let config: BotConfig | null = null;
  let saved = '';
  let validateRequest = 0;
  const form = h('form', {
    className: 'goals',
    testid: 'goals-form',
    novalidate: true,
    onsubmit: (e: Event) => e.preventDefault(),
  });
  const status = h('span', { className: 'goals-status', testid: 'goals-status', 'aria-live': 'polite' });
  const general = h('p', { className: 'error', testid: 'goals-general-errors', hidden: true });
  const save = h('button', { type: 'button', testid: 'goals-save', onclick: () => void doSave() }, 'Save');
  const revert = h(
    'button',
    { type: 'button', className: 'ghost', testid: 'goals-revert', onclick: () => void load() },
    'Revert',
  );
  const el = h(
    'div',
    { className: 'goals-view' },
    h('div', { className: 'goals-bar' }, h('h2', {}, 'Bot Goals'), status, revert, save),
    general,
    form,
  );

  const setStatus = (text: string, state: string) => {
    status.textContent = text;
    status.dataset.state = state;
  };

  async function load(): Promise<void> {
    try {
      const bot = await api.bot(ctx.botId);
      config = structuredClone(bot.config);
      saved = JSON.stringify(bot.config);
      render();
      showFieldMessages(form, general, [], bot.warnings);
      setStatus('Saved', 'saved');
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error), 'error');
    }
  }

  const validate = debounce(async () => {
    if (!config) return;
    const request = ++validateRequest;
    try {
      const verdict = await api.validateConfig(ctx.botId, config);
      if (request !== validateRequest) return;
      showFieldMessages(form, general, verdict.errors, verdict.warnings);
      if (verdict.ok)
        setStatus(
          JSON.stringify(config) === saved ? 'Saved' : 'Unsaved changes',
          JSON.stringify(config) === saved ? 'saved' : 'dirty',
        );
      else
        setStatus(
          `${verdict.errors.length} problem${verdict.errors.length === 1 ? '' : 's'} to fix before saving`,
          'invalid',
        );
    } catch (error) {
      if (request === validateRequest) setStatus(error instanceof Error ? error.message : String(error), 'error');
    }
  }, 200);

  /** A value changed: check it (typing does not rebuild the form, so focus stays put). */
  const changed = () => {
    setStatus('Checking…', 'checking');
    validate();
  };
  /** The shape changed (step added, mode switched…): rebuild, then check. */
  const restructure = () => {
    render();
    changed();
  };

  async function doSave(): Promise<void> {
    if (!config) return;
    validate.cancel();
    save.disabled = true;
    try {
      const bot = await api.saveConfig(ctx.botId, config);
      config = structuredClone(bot.config);
      saved = JSON.stringify(bot.config);
      render();
      showFieldMessages(form, general, [], bot.warnings);
      setStatus('Saved', 'saved');
      ctx.toast('Bot Goals saved');
    } catch (error) {
      if (error instanceof ApiError && error.details.length) {
        showFieldMessages(form, general, error.details, []);
        setStatus(
          `Not saved: ${error.details.length} problem${error.details.length === 1 ? '' : 's'} — see the highlighted fields`,
          'invalid',
        );
      } else {
        setStatus(`Not saved: ${error instanceof Error ? error.message : String(error)}`, 'error');
      }
      ctx.toast('Not saved — fix the highlighted fields', 'error');
    } finally {
      save.disabled = false;
    }
  }

  function render(): void {
    if (!config) return;
    const edit: Edit = { config, changed, restructure };
    replace(
      form,
      botPanel(edit),
      h(
        'div',
        { className: 'scenarios', 'data-path': 'scenarios' },
        SCENARIOS.map((name) => scenarioCard(edit, name)),
      ),
      workingHoursCard(edit),
    );
  }

  void load();
  return {
    el,
    unsavedChanges: () => config !== null && saved !== '' && JSON.stringify(config) !== saved,
    dispose() {
      validate.cancel();
    },
  };
}

/** Puts each message next to the field its path names (or the nearest enclosing one). */
function showFieldMessages(
  form: HTMLElement,
  general: HTMLElement,
  errors: FieldMessage[],
  warnings: FieldMessage[],
): void {
  for (const old of form.querySelectorAll('.field-msg')) old.remove();
  for (const old of form.querySelectorAll('.has-error')) old.classList.remove('has-error');
  const unplaced: string[] = [];
  const place = (m: FieldMessage, kind: 'error' | 'warning') => {
    let path = m.path;
    let host: HTMLElement | null = null;
    for (;;) {
      host = form.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
      if (host || path === '') break;
      path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    }
    if (!host) {
      if (kind === 'error') unplaced.push(`${m.path || 'configuration'}: ${m.message}`);
      return;
    }
    if (kind === 'error') host.classList.add('has-error');
    host.appendChild(
      h(
        'p',
        {
          className: `field-msg ${kind}`,
          testid: kind === 'error' ? 'field-error' : 'field-warning',
          'data-path': m.path,
          role: kind === 'error' ? 'alert' : undefined,
        },
        m.message,
      ),
    );
  };
  errors.forEach((e) => place(e, 'error'));
  warnings.forEach((w) => place(w, 'warning'));
  general.hidden = unplaced.length === 0;
  general.textContent = unplaced.join(' · ');
}

// ---------------------------------------------------------------- panels

/** The bot's own settings: active, switching, zone, links, cap, responder, doubt, quiet hours. */
function botPanel(edit: Edit): HTMLElement {
  const c = edit.config;
  return h(
    'section',
    { className: 'card' },
    h('h3', {}, 'Bot'),
    h(
      'div',
      { className: 'grid2' },
      toggle(
        edit,
        'Active (sends follow-ups)',
        'goal-active',
        'active',
        () => c.active,
        (v) => (c.active = v),
      ),
      toggle(
        edit,
        'Channel switching (live chat / Meta → SMS)',
        'goal-switching',
        'channelSwitching',
        () => c.channelSwitching,
        (v) => (c.channelSwitching = v),
      ),
      textField(
        edit,
        'Business time zone',
        'goal-timezone',
        'timezone',
        () => c.timezone,
        (v) => (c.timezone = v),
        'Europe/Berlin',
      ),
      textField(
        edit,
        'Booking URL',
        'goal-booking-url',
        'bookingUrl',
        () => c.bookingUrl ?? '',
        (v) => (c.bookingUrl = v.trim() === '' ? null : v.trim()),
        'https://…',
      ),
      numberField(
        edit,
        'Follow-ups per contact per 24 h (cap)',
        'goal-cap',
        'followUpCapPer24h',
        () => c.followUpCapPer24h,
        (v) => (c.followUpCapPer24h = v),
      ),
      // A business with its own bot turns the built-in answers off and hears of each
      // inbound message at its webhook (it replies through the API).
      toggle(
        edit,
        'Built-in bot answers inbound messages',
        'goal-responder',
        'builtInResponder',
        () => c.builtInResponder,
        (v) => (c.builtInResponder = v),
      ),
      textField(
        edit,
        'Inbound message webhook (your own bot)',
        'goal-inbound-webhook',
        'inboundWebhookUrl',
        () => c.inboundWebhookUrl ?? '',
        (v) => (c.inboundWebhookUrl = v.trim() === '' ? null : v.trim()),
        'https://…',
      ),
      // Doubt (docs/classification.md#doubt): hold unsure messages for an operator.
      toggle(
        edit,
        'Hold messages the classifier is unsure of for review',
        'goal-hold-doubt',
        'onDoubt',
        () => c.onDoubt === 'hold',
        (v) => (c.onDoubt = v ? 'hold' : 'treatAsEngaged'),
      ),
      numberField(
        edit,
        'Unsure below this confidence (0–1)',
        'goal-uncertain',
        'uncertainThreshold',
        () => c.uncertainThreshold,
        (v) => (c.uncertainThreshold = v),
        0.05,
      ),
      textField(
        edit,
        'Review webhook (needs_review)',
        'goal-review-webhook',
        'reviewWebhookUrl',
        () => c.reviewWebhookUrl ?? '',
        (v) => (c.reviewWebhookUrl = v.trim() === '' ? null : v.trim()),
        'https://…',
      ),
      h(
        'div',
        { className: 'field', 'data-path': 'smsQuietHours' },
        h('span', { className: 'label' }, 'SMS quiet hours (contact’s zone)'),
        h(
          'div',
          { className: 'row' },
          timeInput(
            edit,
            'goal-quiet-start',
            'smsQuietHours.start',
            () => c.smsQuietHours.start,
            (v) => (c.smsQuietHours.start = v),
          ),
          '–',
          timeInput(
            edit,
            'goal-quiet-end',
            'smsQuietHours.end',
            () => c.smsQuietHours.end,
            (v) => (c.smsQuietHours.end = v),
          ),
        ),
      ),
    ),
  );
}

/** One scenario: on/off, its cadence steps, its default message and workflow, its built-in texts. */
function scenarioCard(edit: Edit, name: Scenario): HTMLElement {
  const s = edit.config.scenarios[name];
  return h(
    'section',
    {
      className: `card scenario${s.enabled ? '' : ' disabled'}`,
      testid: `scenario-${name}`,
      'data-path': `scenarios.${name}`,
    },
    h(
      'div',
      { className: 'scenario-head' },
      h('h3', {}, SCENARIO_LABELS[name]),
      h(
        'label',
        { className: 'switch' },
        h('input', {
          type: 'checkbox',
          testid: `scenario-${name}-enabled`,
          checked: s.enabled,
          onchange: (e: Event) => {
            s.enabled = (e.target as HTMLInputElement).checked;
            edit.restructure();
          },
        }),
        s.enabled ? ' on' : ' off',
      ),
    ),
    h('p', { className: 'muted small' }, SCENARIO_HELP[name]),
    h(
      'ol',
      { className: 'cadence', 'data-path': `scenarios.${name}.cadence` },
      s.cadence.map((_step, i) => stepRow(edit, name, i)),
    ),
    s.cadence.length < 5
      ? h(
          'button',
          {
            type: 'button',
            className: 'ghost',
            testid: `add-step-${name}`,
            onclick: () => {
              s.cadence.push({ delay: '1d' });
              edit.restructure();
            },
          },
          '+ Add a step',
        )
      : h('p', { className: 'muted small' }, 'A cadence has at most 5 steps.'),
    h(
      'details',
      { className: 'scenario-defaults' },
      h('summary', {}, 'Scenario defaults (message and workflow for steps without their own)'),
      messageEditor(
        edit,
        `scenarios.${name}.message`,
        `${name}-default`,
        s.message,
        (m) => (s.message = m ?? { mode: 'ai' }),
        false,
      ),
      workflowEditor(edit, `scenarios.${name}.workflow`, `${name}-default`, s.workflow),
    ),
    builtInTexts(name, edit.config),
  );
}

/**
 * The texts an AI-written follow-up falls back to when no model answers, filled as a
 * visitor who left no name will read them (with the bot's booking link, or without), in
 * the language chosen (a contact gets them in the language it last wrote in).
 */
function builtInTexts(name: Scenario, c: BotConfig): HTMLElement {
  const list = h('ol', { className: 'builtin-texts' });
  const show = (language: string) =>
    replace(
      list,
      [1, 2, 3].map((step) =>
        h(
          'li',
          {},
          h('span', { className: 'label' }, step === 3 ? 'Step 3 and later' : `Step ${step}`),
          h(
            'ul',
            {},
            templatesFor(name, step, language).map((t) =>
              h(
                'li',
                { className: 'preview', testid: 'builtin-text', 'data-template': t.id, lang: language },
                sendFill(t.text, { business_name: c.name, booking_url: c.bookingUrl }, language),
              ),
            ),
          ),
        ),
      ),
    );
  const language = h(
    'select',
    {
      testid: `${name}-builtin-language`,
      'aria-label': 'Language of the built-in texts',
      onchange: () => show(language.value),
    },
    TEMPLATE_LANGUAGES.map((code) => h('option', { value: code }, LANGUAGE_LABELS[code] ?? code)),
  );
  show('en');
  return h(
    'details',
    { className: 'scenario-defaults', testid: `${name}-builtin` },
    h('summary', {}, 'Built-in texts (sent when no AI model answers), for a visitor who left no name'),
    h('label', { className: 'small' }, 'In ', language, ' (each contact gets the language it last wrote in)'),
    list,
  );
}

/** Cadence step `i`: its delay, its message, its own workflow if it has one. */
function stepRow(edit: Edit, name: Scenario, i: number): HTMLElement {
  const s = edit.config.scenarios[name];
  const step = s.cadence[i];
  const { value, unit } = splitDuration(step.delay);
  const id = `step-${name}-${i}`;
  const valueInput = h('input', {
    type: 'number',
    min: 0,
    step: 'any',
    inputmode: 'decimal',
    testid: `${id}-value`,
    value: Number.isNaN(value) ? '' : value,
    'aria-label': `Step ${i + 1} delay`,
  });
  const unitSelect = h(
    'select',
    { testid: `${id}-unit`, 'aria-label': `Step ${i + 1} delay unit` },
    UNITS.map((u) => h('option', { value: u, selected: u === unit }, u)),
  );
  const update = () => {
    const v = valueInput.value.trim() === '' ? NaN : Number(valueInput.value);
    // An empty or non-numeric value is sent as is so the server names the problem.
    step.delay = Number.isFinite(v)
      ? joinDuration(v, unitSelect.value as Unit)
      : ({ value: valueInput.value as unknown as number, unit: unitSelect.value as Unit } as Duration);
    edit.changed();
  };
  valueInput.addEventListener('input', update);
  unitSelect.addEventListener('change', update);
  const label =
    i === 0
      ? name === 'requestedTime'
        ? 'after the requested time'
        : name === 'busy'
          ? 'after the busy message'
          : 'after the bot’s last message'
      : `after step ${i}`;
  return h(
    'li',
    { className: 'step', testid: id },
    h(
      'div',
      { className: 'step-delay field', 'data-path': `scenarios.${name}.cadence.${i}.delay` },
      h('span', { className: 'label' }, `Step ${i + 1}`),
      h('div', { className: 'row' }, valueInput, unitSelect, h('span', { className: 'muted small' }, label)),
    ),
    h('div', { 'data-path': `scenarios.${name}.cadence.${i}` }),
    messageEditor(edit, `scenarios.${name}.cadence.${i}.message`, id, step.message, (m) => (step.message = m), true),
    h(
      'label',
      { className: 'check small' },
      h('input', {
        type: 'checkbox',
        testid: `${id}-own-workflow`,
        checked: step.workflow !== undefined,
        onchange: (e: Event) => {
          step.workflow = (e.target as HTMLInputElement).checked ? [] : undefined;
          edit.restructure();
        },
      }),
      ' Own workflow for this step (otherwise the scenario’s)',
    ),
    step.workflow ? workflowEditor(edit, `scenarios.${name}.cadence.${i}.workflow`, id, step.workflow) : null,
    s.cadence.length > 1
      ? h(
          'button',
          {
            type: 'button',
            className: 'ghost danger small',
            testid: `${id}-remove`,
            onclick: () => {
              s.cadence.splice(i, 1);
              edit.restructure();
            },
          },
          'Remove step',
        )
      : null,
  );
}

/** AI or custom text (with a preview of the placeholders filled); `inherit` allows "scenario default". */
function messageEditor(
  edit: Edit,
  path: string,
  id: string,
  spec: MessageSpec | undefined,
  set: (m: MessageSpec | undefined) => void,
  inherit: boolean,
): HTMLElement {
  const mode = spec?.mode ?? (inherit ? 'inherit' : 'ai');
  const select = h(
    'select',
    { testid: `${id}-mode`, 'aria-label': 'Message' },
    inherit ? h('option', { value: 'inherit', selected: mode === 'inherit' }, 'Scenario’s message') : null,
    h('option', { value: 'ai', selected: mode === 'ai' }, 'AI-written'),
    h('option', { value: 'custom', selected: mode === 'custom' }, 'Custom text'),
  );
  select.addEventListener('change', () => {
    const v = select.value;
    set(
      v === 'inherit'
        ? undefined
        : v === 'ai'
          ? { mode: 'ai' }
          : { mode: 'custom', text: spec?.mode === 'custom' ? spec.text : 'Hi {{first_name}}, just checking in — ' },
    );
    edit.restructure();
  });
  const parts: HTMLElement[] = [h('div', { className: 'row' }, h('span', { className: 'label' }, 'Message'), select)];
  if (spec?.mode === 'custom') {
    const area = h('textarea', {
      testid: `${id}-text`,
      rows: 3,
      'aria-label': 'Custom message text',
      value: spec.text,
    });
    const preview = h('div', { className: 'preview', testid: `${id}-preview` });
    const showPreview = () => {
      const business = { business_name: edit.config.name, booking_url: edit.config.bookingUrl };
      const filled = sendFill(area.value, { ...SAMPLE, ...business });
      const nameless = sendFill(area.value, business);
      const sms = smsSegments(filled);
      replace(
        preview,
        h('span', { className: 'muted small' }, 'Preview: '),
        filled,
        h(
          'span',
          { className: 'muted small' },
          ` · ${filled.length} characters, ${sms.segments} SMS segment${sms.segments === 1 ? '' : 's'} (${sms.encoding})`,
        ),
        nameless !== filled
          ? h(
              'div',
              { testid: `${id}-preview-nameless` },
              h('span', { className: 'muted small' }, 'Without a name: '),
              nameless,
            )
          : null,
      );
    };
    area.addEventListener('input', () => {
      (spec as { text: string }).text = area.value;
      showPreview();
      edit.changed();
    });
    showPreview();
    parts.push(
      h(
        'div',
        { className: 'field', 'data-path': `${path}.text` },
        area,
        h('p', { className: 'muted small' }, `Placeholders: ${KNOWN_PLACEHOLDERS.map((p) => `{{${p}}}`).join(' ')}`),
        preview,
      ),
    );
  }
  return h('div', { className: 'message-editor field', 'data-path': path }, parts);
}

/** The actions run when a follow-up is sent (a step's own, or its scenario's). */
function workflowEditor(edit: Edit, path: string, id: string, actions: EditableAction[]): HTMLElement {
  return h(
    'div',
    { className: 'workflow field', 'data-path': path, testid: `${id}-workflow` },
    h('span', { className: 'label' }, 'When sent, also:'),
    actions.length === 0 ? h('p', { className: 'muted small' }, 'no actions') : null,
    actions.map((_action, i) => actionRow(edit, `${path}.${i}`, `${id}-action-${i}`, actions, i)),
    h(
      'button',
      {
        type: 'button',
        className: 'ghost small',
        testid: `${id}-add-action`,
        disabled: actions.length >= 10,
        onclick: () => {
          actions.push({ type: 'addTag', tag: '' });
          edit.restructure();
        },
      },
      '+ Add action',
    ),
  );
}

/** One workflow action: its type, and the fields that type takes. */
function actionRow(edit: Edit, path: string, id: string, actions: EditableAction[], i: number): HTMLElement {
  const action = actions[i];
  const type = h(
    'select',
    { testid: `${id}-type`, 'aria-label': 'Action' },
    ACTIONS.map((t) => h('option', { value: t, selected: t === action.type }, t)),
  );
  type.addEventListener('change', () => {
    const t = type.value as ActionType;
    actions[i] =
      t === 'addTag' || t === 'removeTag'
        ? { type: t, tag: action.tag ?? '' }
        : t === 'assignUser'
          ? { type: t, userId: action.userId ?? '' }
          : { type: t };
    edit.restructure();
  });
  const field = (key: 'tag' | 'userId' | 'webhookUrl' | 'message', placeholder: string, optional: boolean) => {
    const input = h('input', {
      type: 'text',
      placeholder,
      testid: `${id}-${key}`,
      value: (action[key] as string | undefined) ?? '',
      'aria-label': key,
    });
    input.addEventListener('input', () => {
      const v = input.value;
      if (optional && v.trim() === '') delete action[key];
      else action[key] = v;
      edit.changed();
    });
    return h('div', { className: 'field', 'data-path': `${path}.${key}` }, input);
  };
  const fields =
    action.type === 'addTag' || action.type === 'removeTag'
      ? [field('tag', 'tag', false)]
      : action.type === 'assignUser'
        ? [field('userId', 'user id', false)]
        : [
            field('userId', 'user id (optional: all operators)', true),
            field('webhookUrl', 'webhook URL (optional)', true),
            field('message', 'message (optional)', true),
          ];
  return h(
    'div',
    { className: 'action-row', 'data-path': path },
    h('div', { className: 'field', 'data-path': `${path}.type` }, type),
    fields,
    h(
      'button',
      {
        type: 'button',
        className: 'ghost danger small',
        testid: `${id}-remove`,
        onclick: () => {
          actions.splice(i, 1);
          edit.restructure();
        },
      },
      '×',
    ),
  );
}

/** Working hours: always open, or intervals per weekday, drawn as a week grid. */
function workingHoursCard(edit: Edit): HTMLElement {
  const c = edit.config;
  const alwaysOpen = c.workingHours === null;
  const { grid, draw: drawGrid } = weekGrid(c);
  const rows = alwaysOpen
    ? h(
        'p',
        { className: 'muted' },
        'Always open: follow-ups go out whenever they fall due (SMS quiet hours still apply).',
      )
    : h(
        'div',
        { className: 'wh-rows' },
        DAYS.map((day) => workingDay(edit, day, drawGrid)),
      );
  return h(
    'section',
    { className: 'card', 'data-path': 'workingHours', testid: 'working-hours' },
    h('h3', {}, 'Working hours'),
    h(
      'p',
      { className: 'muted small' },
      `Read in the business zone (${c.timezone}). A follow-up due outside them waits for the next opening.`,
    ),
    h(
      'div',
      { className: 'row' },
      h(
        'label',
        { className: 'check' },
        h('input', {
          type: 'checkbox',
          testid: 'wh-always-open',
          checked: alwaysOpen,
          onchange: (e: Event) => {
            c.workingHours = (e.target as HTMLInputElement).checked
              ? null
              : Object.fromEntries(DAYS.slice(0, 5).map((d) => [d, [{ start: '09:00', end: '17:00' }]]));
            edit.restructure();
          },
        }),
        ' Always open',
      ),
      !alwaysOpen
        ? h(
            'button',
            {
              type: 'button',
              className: 'ghost small',
              testid: 'wh-preset-weekdays',
              onclick: () => {
                c.workingHours = Object.fromEntries(
                  DAYS.slice(0, 5).map((d) => [d, [{ start: '09:00', end: '17:00' }]]),
                );
                edit.restructure();
              },
            },
            'Mon–Fri 9–17',
          )
        : null,
    ),
    grid,
    rows,
  );
}

/** The week as 7 × 24 cells, shaded where open; `draw` repaints it after an edit. */
function weekGrid(c: BotConfig): { grid: HTMLElement; draw: () => void } {
  const grid = h('div', { className: 'week-grid', testid: 'wh-grid', 'aria-hidden': 'true' });
  const draw = () => {
    replace(
      grid,
      h('span', {}),
      Array.from({ length: 24 }, (_, hour) =>
        h('span', { className: 'hour-label' }, hour % 6 === 0 ? String(hour) : ''),
      ),
      DAYS.map((day) => [
        h('span', { className: 'day-label' }, DAY_LABELS[day]),
        Array.from({ length: 24 }, (_, hour) =>
          h('span', { className: `cell${isOpen(c, day, hour) ? ' open' : ''}`, 'data-day': day, 'data-hour': hour }),
        ),
      ]),
    );
  };
  draw();
  return { grid, draw };
}

/** One weekday's opening intervals (none: closed), each with its start, end and remove button. */
function workingDay(edit: Edit, day: Day, redrawGrid: () => void): HTMLElement {
  const c = edit.config;
  const intervals = c.workingHours![day] ?? [];
  return h(
    'div',
    { className: 'wh-day field', testid: `wh-${day}`, 'data-path': `workingHours.${day}` },
    h('span', { className: 'label' }, DAY_LABELS[day]),
    intervals.length === 0 ? h('span', { className: 'muted small' }, 'closed') : null,
    intervals.map((iv, i) =>
      h(
        'span',
        { className: 'interval', 'data-path': `workingHours.${day}.${i}` },
        timeInput(
          edit,
          `wh-${day}-${i}-start`,
          `workingHours.${day}.${i}.start`,
          () => iv.start,
          (v) => ((iv.start = v), redrawGrid()),
        ),
        '–',
        timeInput(
          edit,
          `wh-${day}-${i}-end`,
          `workingHours.${day}.${i}.end`,
          () => iv.end,
          (v) => ((iv.end = v), redrawGrid()),
        ),
        h(
          'button',
          {
            type: 'button',
            className: 'ghost danger small',
            testid: `wh-${day}-${i}-remove`,
            onclick: () => {
              intervals.splice(i, 1);
              c.workingHours![day] = intervals;
              edit.restructure();
            },
          },
          '×',
        ),
      ),
    ),
    h(
      'button',
      {
        type: 'button',
        className: 'ghost small',
        testid: `wh-${day}-add`,
        disabled: intervals.length >= 6,
        onclick: () => {
          const last = intervals[intervals.length - 1];
          intervals.push(
            last
              ? { start: last.end === '24:00' ? '23:00' : last.end, end: '24:00' }
              : { start: '09:00', end: '17:00' },
          );
          c.workingHours![day] = intervals;
          edit.restructure();
        },
      },
      '+ hours',
    ),
  );
}

// ---------------------------------------------------------------- small fields

function toggle(
  edit: Edit,
  label: string,
  testid: string,
  path: string,
  get: () => boolean,
  set: (v: boolean) => void,
): HTMLElement {
  return h(
    'label',
    { className: 'check field', 'data-path': path },
    h('input', {
      type: 'checkbox',
      testid,
      checked: get(),
      onchange: (e: Event) => {
        set((e.target as HTMLInputElement).checked);
        edit.changed();
      },
    }),
    ` ${label}`,
  );
}

function textField(
  edit: Edit,
  label: string,
  testid: string,
  path: string,
  get: () => string,
  set: (v: string) => void,
  placeholder = '',
): HTMLElement {
  const input = h('input', {
    type: 'text',
    testid,
    value: get(),
    placeholder,
    spellcheck: 'false',
    'aria-label': label,
  });
  input.addEventListener('input', () => {
    set(input.value);
    edit.changed();
  });
  return h('label', { className: 'field', 'data-path': path }, h('span', { className: 'label' }, label), input);
}

function numberField(
  edit: Edit,
  label: string,
  testid: string,
  path: string,
  get: () => number,
  set: (v: number) => void,
  step = 1,
): HTMLElement {
  const input = h('input', { type: 'number', testid, value: get(), step, 'aria-label': label });
  input.addEventListener('input', () => {
    set(input.value.trim() === '' ? (NaN as number) : Number(input.value));
    edit.changed();
  });
  return h('label', { className: 'field', 'data-path': path }, h('span', { className: 'label' }, label), input);
}

function timeInput(edit: Edit, testid: string, path: string, get: () => string, set: (v: string) => void): HTMLElement {
  const input = h('input', {
    type: 'text',
    className: 'time',
    testid,
    value: get(),
    placeholder: 'HH:MM',
    inputmode: 'numeric',
    maxlength: 5,
    'aria-label': path,
    spellcheck: 'false',
  });
  input.addEventListener('input', () => {
    set(input.value.trim());
    edit.changed();
  });
  return h('span', { className: 'field inline', 'data-path': path }, input);
}

function minutes(hhmm: string): number | null {
  if (hhmm === '24:00') return 1440;
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** Whether any part of that hour is open (for the grid's shading). */
function isOpen(c: BotConfig, day: Day, hour: number): boolean {
  if (c.workingHours === null) return true;
  return (c.workingHours[day] ?? []).some((iv) => {
    const start = minutes(iv.start);
    const end = minutes(iv.end);
    return start !== null && end !== null && start < (hour + 1) * 60 && end > hour * 60;
  });
}
