/**
 * A TCP proxy in front of the test PostgreSQL that a test can cut (every connection reset, new ones
 * refused, as when the database host goes away), restore on the same port, or stall: nothing is
 * forwarded while the connections stay up (a network partition, a frozen disk, a paused VM), and on
 * resume everything sent meanwhile is delivered in order, a close included, as the server's kernel
 * would have queued it for a frozen server.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Resets every open connection and stops listening (new connections are refused). */
  cut(): Promise<void>;
  /** Resets every open connection at once (synchronously), still accepting new ones. */
  resetConnections(): void;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  /** Stops forwarding in both directions; connections stay open, new ones are accepted. */
  stall(): void;
  /**
   * Stalls once a chunk to the server holding `text` has been delivered: the server has it, runs
   * it, and freezes before its answer gets out (e.g. after an INSERT, or after a COMMIT).
   */
  stallAfter(text: string): void;
  /** Delivers what was held, in order (then any close that came meanwhile), and forwards again. */
  resume(): void;
  close(): Promise<void>;
}

/** One direction of a connection: forwards, or holds while stalled (closing included). */
function link(
  from: Socket,
  to: Socket,
  isStalled: () => boolean,
  delivered: (chunk: Buffer) => void = () => undefined,
) {
  const held: Buffer[] = [];
  let closed = false;
  const finish = () => to.end();
  from.on('data', (chunk: Buffer) => {
    if (isStalled()) held.push(chunk);
    else {
      to.write(chunk);
      delivered(chunk);
    }
  });
  // 'end' (the peer's FIN: the socket is half-open) or 'close' (reset, destroyed).
  const onClose = () => {
    if (closed) return;
    closed = true;
    if (!isStalled()) finish();
  };
  from.on('end', onClose);
  from.on('close', onClose);
  return {
    flush() {
      for (const chunk of held.splice(0)) to.write(chunk);
      if (closed) finish();
    },
  };
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const links = new Set<{ flush(): void }>();
  let stalled = false;
  let trigger: string | undefined;
  const isStalled = () => stalled;
  const watch = (chunk: Buffer) => {
    if (trigger !== undefined && chunk.includes(trigger)) {
      trigger = undefined;
      stalled = true;
    }
  };
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const makeServer = () =>
    createServer({ allowHalfOpen: true }, (client) => {
      const upstream = createConnection({
        host: targetHost,
        port: targetPort,
        allowHalfOpen: true,
      });
      track(client);
      track(upstream);
      const up = link(client, upstream, isStalled, watch);
      const down = link(upstream, client, isStalled);
      links.add(up);
      links.add(down);
      const forget = () => {
        if (client.destroyed && upstream.destroyed) {
          links.delete(up);
          links.delete(down);
        }
      };
      client.on('close', forget);
      upstream.on('close', forget);
    });
  const listen = (server: Server, port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  let server = makeServer();
  const port = await listen(server, 0);
  let listening = true;
  const stop = async () => {
    if (!listening) return;
    listening = false;
    stalled = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.resetAndDestroy();
    await closed;
  };
  return {
    port,
    cut: stop,
    resetConnections: () => {
      for (const s of sockets) s.resetAndDestroy();
    },
    restore: async () => {
      server = makeServer();
      await listen(server, port);
      listening = true;
    },
    stall: () => {
      stalled = true;
    },
    stallAfter: (text) => {
      trigger = text;
    },
    resume: () => {
      stalled = false;
      trigger = undefined;
      for (const l of links) l.flush();
    },
    close: stop,
  };
}
