/**
 * Serves the browser side of live chat: `/widget.js` (built from web/widget with esbuild on
 * first use when web/dist is missing or stale) and `/`, the demo page with the demo bot's
 * widget key substituted for `{{WIDGET_KEY}}`.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_OUTDIR, ensureWebBuilt, ROOT } from '../../scripts/buildWeb.mjs';
import { Errors, sendError } from '../http/errors.ts';

export interface WidgetStaticOptions {
  /** The demo bot's public widget key, read on every request to `/`. */
  demoWidgetKey: () => string;
  /** Where the bundle is built; defaults to web/dist. */
  distDir?: string;
  /** Demo page template; defaults to web/demo/index.html. */
  demoPage?: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtmlAttribute(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** The demo page's CSP: proves the widget needs no inline script and no third-party origin. */
const DEMO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws: wss:",
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export async function widgetStaticRoutes(app: FastifyInstance, options: WidgetStaticOptions): Promise<void> {
  const distDir = options.distDir ?? DEFAULT_OUTDIR;
  const demoPage = options.demoPage ?? join(ROOT, 'web', 'demo', 'index.html');
  let cached: { mtimeMs: number; body: Buffer; etag: string } | null = null;

  async function loadWidget(): Promise<{ body: Buffer; etag: string }> {
    const { outfile } = await ensureWebBuilt({ outdir: distDir });
    const { mtimeMs } = await stat(outfile);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      const body = await readFile(outfile);
      cached = { mtimeMs, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    return cached;
  }

  app.get('/widget.js', async (request, reply) => {
    let widget: { body: Buffer; etag: string };
    try {
      widget = await loadWidget();
    } catch (err) {
      request.log.error({ err }, 'building the widget failed');
      return sendError(reply, Errors.bundleFailed(`could not build widget.js: ${(err as Error).message}`));
    }
    reply
      .header('cache-control', 'public, max-age=300')
      .header('etag', widget.etag)
      .header('x-content-type-options', 'nosniff')
      // Embedded on other sites, including ones that isolate themselves with COEP.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('access-control-allow-origin', '*');
    if (request.headers['if-none-match'] === widget.etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(widget.body);
  });

  app.get('/', async (request, reply) => {
    let template: string;
    try {
      template = await readFile(demoPage, 'utf8');
    } catch (err) {
      request.log.error({ err }, 'reading the demo page failed');
      return sendError(reply, Errors.internal('the demo page template could not be read'));
    }
    const html = template.replaceAll('{{WIDGET_KEY}}', escapeHtmlAttribute(options.demoWidgetKey()));
    return reply
      .header('cache-control', 'no-store')
      .header('content-security-policy', DEMO_CSP)
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(html);
  });
}
