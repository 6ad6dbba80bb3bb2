import type { Line } from '../intl.ts';

export const lines: Line[] = [];
