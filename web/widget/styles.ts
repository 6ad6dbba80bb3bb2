/**
 * The widget's stylesheet, injected into its shadow root so host-page CSS cannot reach it
 * (and ours cannot leak out). `:host { all: initial }` also stops inherited properties.
 */
export const WIDGET_CSS = `
:host {
  all: initial;
  --nudge-accent: #1f5fd1;
  --nudge-accent-text: #ffffff;
  --nudge-bg: #ffffff;
  --nudge-text: #1b1f24;
  --nudge-muted: #5a6470;
  --nudge-bot-bubble: #eef1f5;
  --nudge-border: #d5dae1;
  --nudge-danger: #b42318;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.4;
  color: var(--nudge-text);
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
button, input, textarea { font: inherit; color: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 3px solid #ffbf47; outline-offset: 2px; }

.bubble {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483000;
  width: 60px; height: 60px; border-radius: 50%; border: 0;
  background: var(--nudge-accent); color: var(--nudge-accent-text);
  box-shadow: 0 6px 20px rgba(0,0,0,.25);
  display: flex; align-items: center; justify-content: center;
}
.bubble svg { width: 28px; height: 28px; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: var(--nudge-danger); color: #fff;
  font-size: 12px; font-weight: 700; line-height: 22px; text-align: center;
}

.panel {
  position: fixed; right: 20px; bottom: 92px; z-index: 2147483001;
  width: 380px; max-width: calc(100vw - 24px);
  height: 600px; max-height: calc(100vh - 112px);
  background: var(--nudge-bg); color: var(--nudge-text);
  border: 1px solid var(--nudge-border); border-radius: 14px;
  box-shadow: 0 12px 40px rgba(0,0,0,.25);
  display: flex; flex-direction: column; overflow: hidden;
}
@media (prefers-reduced-motion: no-preference) {
  .panel { animation: nudge-in .16s ease-out; }
  @keyframes nudge-in { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }
}

.header {
  display: flex; align-items: center; gap: 8px; padding: 12px 12px 12px 16px;
  background: var(--nudge-accent); color: var(--nudge-accent-text);
}
.header .titles { flex: 1; min-width: 0; }
.header h2 { margin: 0; font-size: 16px; font-weight: 700; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.header .status { margin: 2px 0 0; font-size: 13px; opacity: .92; }
.header button {
  border: 1px solid rgba(255,255,255,.55); background: transparent; color: inherit;
  border-radius: 8px; min-height: 36px; padding: 4px 10px; font-size: 13px;
}
.header .close { min-width: 36px; font-size: 20px; line-height: 1; padding: 0; }

.log {
  flex: 1; margin: 0; padding: 12px; list-style: none; overflow-y: auto;
  display: flex; flex-direction: column; gap: 8px; overscroll-behavior: contain;
}
.log:focus-visible { outline-offset: -3px; }
.empty { color: var(--nudge-muted); text-align: center; margin: auto 0; font-size: 14px; }
.msg { max-width: 85%; display: flex; flex-direction: column; }
.msg .text {
  margin: 0; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap;
  overflow-wrap: anywhere;
}
.msg[data-from="bot"] { align-self: flex-start; }
.msg[data-from="bot"] .text { background: var(--nudge-bot-bubble); border-bottom-left-radius: 4px; }
.msg[data-from="contact"] { align-self: flex-end; align-items: flex-end; }
.msg[data-from="contact"] .text { background: var(--nudge-accent); color: var(--nudge-accent-text); border-bottom-right-radius: 4px; }
.msg[data-from="contact"] .text a { color: inherit; }
.msg[data-status="sending"] .text { opacity: .7; }
.msg[data-status="failed"] .text { background: #fde8e6; color: var(--nudge-danger); border: 1px solid var(--nudge-danger); }
.msg .meta { font-size: 12px; color: var(--nudge-muted); margin-top: 2px; padding: 0 4px; }
.msg .error { color: var(--nudge-danger); }
.msg .retry {
  margin-left: 6px; border: 0; background: none; padding: 0; text-decoration: underline;
  color: var(--nudge-danger); font-size: 12px;
}

.typing { margin: 0; padding: 0 16px 6px; font-size: 13px; color: var(--nudge-muted); }

.contact {
  margin: 0 12px 8px; padding: 10px 12px; border: 1px solid var(--nudge-border); border-radius: 10px;
  background: #f8fafc; display: flex; flex-direction: column; gap: 6px; font-size: 14px;
}
.contact p { margin: 0; }
.contact label { font-weight: 600; font-size: 13px; }
.contact input {
  width: 100%; min-height: 40px; padding: 6px 10px; border: 1px solid #8a94a3; border-radius: 8px; background: #fff;
}
.contact input[aria-invalid="true"] { border-color: var(--nudge-danger); }
.contact .hint { font-size: 12px; color: var(--nudge-muted); }
.contact .error { color: var(--nudge-danger); font-size: 13px; }
.contact .actions { display: flex; gap: 8px; margin-top: 4px; }
.contact .actions button { min-height: 40px; padding: 6px 14px; border-radius: 8px; border: 1px solid var(--nudge-accent); }
.contact .primary { background: var(--nudge-accent); color: var(--nudge-accent-text); }
.contact .secondary { background: transparent; color: var(--nudge-accent); }
.contact-done { margin: 0 12px 8px; font-size: 13px; color: var(--nudge-muted); }

.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--nudge-border); }
.composer textarea {
  flex: 1; resize: none; min-height: 42px; max-height: 120px; padding: 10px 12px;
  border: 1px solid #8a94a3; border-radius: 10px; background: #fff;
}
.composer .send {
  width: 44px; height: 44px; border: 0; border-radius: 10px;
  background: var(--nudge-accent); color: var(--nudge-accent-text);
  display: flex; align-items: center; justify-content: center;
}
.composer .send svg { width: 20px; height: 20px; }
.composer .send:disabled { opacity: .5; cursor: default; }
.counter { font-size: 12px; color: var(--nudge-muted); padding: 0 14px 6px; margin: 0; text-align: right; }
.counter[data-over="true"] { color: var(--nudge-danger); font-weight: 600; }

/* Phone-sized screens: the panel takes the whole viewport. */
@media (max-width: 480px) {
  .panel {
    right: 0; bottom: 0; left: 0; top: 0; width: 100%; max-width: 100%;
    height: 100%; max-height: 100%; border-radius: 0; border: 0;
  }
  .bubble[aria-expanded="true"] { display: none; }
  .bubble { right: 14px; bottom: 14px; }
}
@media (forced-colors: active) {
  .bubble, .composer .send, .msg .text { border: 1px solid CanvasText; }
}
`;
