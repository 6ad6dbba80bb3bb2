/**
 * A classifier for the doubt path's tests: "unsure…" is a refusal it is unsure of (engaged
 * 41 %, not_interested 38 %, refusal cue); "unsure time…" is an unsure request for a time 26 h
 * ahead; anything else is the table classifier's answer, confident.
 */
import type { ClassificationLike, ClassifyFn } from '../../src/runtime/runtime.ts';
import { tableClassify } from './core.ts';

export const doubtClassify: ClassifyFn = (input): ClassificationLike => {
  const text = input.text.toLowerCase();
  if (text.startsWith('unsure time')) {
    return {
      intent: 'request_time',
      requestedAt: input.now + 26 * 3_600_000,
      phrase: 'tomorrow-ish',
      zone: 'UTC',
      confidence: 0.44,
      readings: [
        { intent: 'request_time', confidence: 0.44 },
        { intent: 'busy', confidence: 0.4 },
      ],
      source: 'model',
    };
  }
  if (text.startsWith('unsure')) {
    return {
      intent: 'engaged',
      confidence: 0.41,
      readings: [
        { intent: 'engaged', confidence: 0.41 },
        { intent: 'not_interested', confidence: 0.38 },
      ],
      refusalCue: true,
      source: 'model',
    };
  }
  return { ...(tableClassify(input) as ClassificationLike), confidence: 0.97 };
};
