/**
 * Test-only polyfill: nock 15 (through @mswjs/interceptors) calls Promise.withResolvers, which
 * Node 20 lacks (it arrived in Node 22). The service itself does not use it.
 */
const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
