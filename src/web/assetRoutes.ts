/**
 * The browser assets `npm run build` wrote (web/dist/manifest.json): `GET /assets/<page>-<hash>.js`,
 * cacheable forever (a changed page gets a new name), and the chat widget's stable
 * `/widget.js` (src/gateway/static.ts), both compressed (brotli or gzip, as the browser
 * accepts) by @fastify/compress in this plugin's scope only: API answers stay as they are.
 */
import compress from '@fastify/compress';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { constants } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_OUTDIR, freshManifest } from '../../scripts/buildWeb.mjs';
import { widgetStaticRoutes, type WidgetStaticOptions } from '../gateway/static.ts';
import { Errors, sendError } from '../http/errors.ts';

/** Brotli's default quality (11) costs tens of ms per bundle; 5 is within a few % of its size. */
const BROTLI_QUALITY = 5;

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export async function assetRoutes(app: FastifyInstance, options: WidgetStaticOptions): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(compress, {
      brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } },
      threshold: 1024,
    });
    scope.get('/assets/:file', async (request, reply) => {
      const { file } = request.params as { file: string };
      const manifest = freshManifest(DEFAULT_OUTDIR);
      // Only names the manifest lists: never a path from the request.
      const known = manifest ? Object.values(manifest.pages).find((page) => page.file === file) : undefined;
      if (!known) return sendError(reply, Errors.notFound(`no asset ${file}`));
      const body = await readFile(join(DEFAULT_OUTDIR, known.file));
      return reply
        .header('cache-control', IMMUTABLE)
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'cross-origin')
        .type('text/javascript; charset=utf-8')
        .send(body);
    });
    await widgetStaticRoutes(scope, options);
  });
}

/** `html` with the page's script pointed at its hashed file, when a fresh build has one. */
export function withBuiltScript(html: string, page: 'console' | 'viz'): string {
  const built = freshManifest(DEFAULT_OUTDIR)?.pages[page];
  return built ? html.replace(`src="/${page}/${page}.js"`, `src="/assets/${built.file}"`) : html;
}
