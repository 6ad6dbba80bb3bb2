/** Timing a call for a histogram, apart from prom-client so start-up's first phase loads none of it. */
/** Times `fn` (sync or async) and reports the milliseconds, also when it throws. */
export function timed<A extends unknown[], R>(
  fn: (...args: A) => R | Promise<R>,
  report: (ms: number) => void,
): (...args: A) => R | Promise<R> {
  return (...args: A) => {
    const started = performance.now();
    let result: R | Promise<R>;
    try {
      result = fn(...args);
    } catch (error) {
      report(performance.now() - started);
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => report(performance.now() - started));
    report(performance.now() - started);
    return result;
  };
}
