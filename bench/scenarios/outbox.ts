/** Outbox deliveries/s through the real dispatcher and SMS adapter to a fake Twilio on loopback. */
import type { BenchOptions } from '../lib.ts';
import { benchOutboxDeliveries } from '../../test/channels/bench/outboxDeliveries.ts';

export async function runOutbox(opts: BenchOptions): Promise<Record<string, unknown>> {
  const result = await benchOutboxDeliveries(
    opts.quick ? { rows: 1000 } : { rows: 5000, contacts: 500, concurrency: 8 },
  );
  return { scenario: 'outbox', ...result };
}
