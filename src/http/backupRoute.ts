/**
 * `GET /api/admin/backup` (admin token or an admin operator): a consistent copy of the
 * live database, taken with SQLite's online backup API on the serving connection
 * (src/store/backup.ts) into a temporary file under the data dir, streamed as the
 * response, and deleted once sent. One at a time: a second request while one runs answers
 * 409 `backup_running`. Behind the principal plugin (src/http/principal.ts), admins only.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { newSecret } from '../ids.ts';
import type { NudgeServices } from '../services.ts';
import { backupDatabase } from '../store/backup.ts';
import type { TokenVerifier } from './auth.ts';
import { Errors } from './errors.ts';
import { adminOnly, principal } from './principal.ts';

export function registerBackupRoute(
  app: FastifyInstance,
  services: NudgeServices,
  verifiers: TokenVerifier[],
  dataDir: string,
): void {
  // One at a time: each copies the whole database; a second one waits for no reason.
  let running = false;
  app.register(async (admin) => {
    await admin.register(principal, { verifiers, lookup: services.store });
    admin.addHook('onRequest', adminOnly('take a backup'));
    admin.get('/api/admin/backup', async (request, reply) => {
      if (running) throw Errors.backupRunning('a backup is already being taken; retry when it is done');
      running = true;
      const file = join(dataDir, `.backup-${newSecret('tmp', 9)}.sqlite`);
      try {
        const result = await backupDatabase(services.db, file, { inPlace: true });
        request.log.info({ bytes: result.bytes, schemaVersion: result.schemaVersion }, 'backup taken');
        const stream = createReadStream(file);
        stream.on('close', () => void rm(file, { force: true }));
        const name = `nudge-${new Date(services.clock.now()).toISOString().replace(/[:.]/g, '-')}.sqlite`;
        return reply
          .header('content-type', 'application/vnd.sqlite3')
          .header('content-length', String(result.bytes))
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .header('x-nudge-schema-version', String(result.schemaVersion))
          .send(stream);
      } catch (error) {
        await rm(file, { force: true });
        throw error;
      } finally {
        running = false;
      }
    });
  });
}
