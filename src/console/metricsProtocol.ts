/** Messages between the service and its metrics reader thread (metricsReader.ts, metricsWorker.ts). */
export interface BotScope {
  id: string;
  name: string;
  active: boolean;
}

export type MetricsRequest =
  | { type: 'botMetrics'; id: number; botId: string; from: number; to: number }
  | { type: 'prometheus'; id: number; bots: BotScope[] }
  | { type: 'stop' };

export type MetricsReply = { type: 'answer'; id: number; ok: true; value: unknown } | { type: 'answer'; id: number; ok: false; message: string };
