/**
 * Tells live connections that an operator's access changed (grant, revoke, rotation,
 * deletion), so a console socket opened with a token that no longer works, or for a bot no
 * longer granted, is closed at once instead of streaming on. One emitter per database: each
 * server (and each test's server) hears only its own operators.
 */
import { EventEmitter } from 'node:events';
import type { DB } from '../store/db.ts';

const emitters = new WeakMap<DB, EventEmitter>();

/** The database's emitter of `changed(operatorId)`. */
export function operatorChanges(db: DB): EventEmitter {
  let emitter = emitters.get(db);
  if (!emitter) {
    emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    emitters.set(db, emitter);
  }
  return emitter;
}
