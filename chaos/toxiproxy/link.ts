// One proxied TCP connection: the client socket, a socket to the upstream,
// and a DirectionPipe each way with that connection's toxic stages.
import net, { type OnReadOpts, type Socket, type SocketConstructorOpts } from 'node:net';
import type { HostPort } from './address.ts';
import { DirectionPipe, userReadFor, type CloseKind, type StageContext } from './pipe.ts';
import type { ToxicSpec, StreamDirection } from './toxic-spec.ts';
import { createStage, rollToxicity } from './toxics.ts';

export class Link {
  private readonly client: Socket;
  private readonly upstream: Socket;
  /** client -> upstream */
  private readonly up: DirectionPipe;
  /** upstream -> client */
  private readonly down: DirectionPipe;
  private state: 'open' | 'closing' | 'closed' = 'open';
  private openSockets = 2;

  /**
   * `accepted` comes from a server with `pauseOnConnect: true`; it is taken
   * over (see `adoptAccepted`) so that it reads into this link's buffers.
   */
  constructor(
    accepted: Socket,
    target: HostPort,
    toxics: readonly ToxicSpec[],
    private readonly onClosed: (link: Link) => void,
  ) {
    // Half-open sockets let a FIN travel through the toxics (slow_close,
    // latency) instead of Node ending the other side at once.
    const client = adoptAccepted(
      accepted,
      userReadFor(() => this.up),
    );
    this.client = client ?? accepted;
    this.upstream = net.connect({
      host: target.host ?? 'localhost',
      port: target.port,
      allowHalfOpen: true,
      onread: userReadFor(() => this.down),
    });
    this.up = new DirectionPipe(this.client, this.upstream, client !== null, (close) => this.directionEnded(close));
    this.down = new DirectionPipe(this.upstream, this.client, true, (close) => this.directionEnded(close));
    for (const socket of [this.client, this.upstream]) {
      socket.on('error', () => this.close('destroy'));
      socket.on('close', () => this.socketClosed());
    }
    this.client.setNoDelay(true);
    this.upstream.setNoDelay(true);
    // A paused accepted socket that could not be taken over reads as usual.
    if (client === null) accepted.resume();
    for (const spec of toxics) this.addToxic(spec);
  }

  addToxic(spec: ToxicSpec): void {
    if (this.state !== 'open') return;
    const pipe = this.pipe(spec.direction);
    pipe.add(createStage(spec, this.context(pipe)));
  }

  removeToxic(spec: ToxicSpec): void {
    if (this.state === 'open') this.pipe(spec.direction).remove(spec.name);
  }

  updateToxic(spec: ToxicSpec): void {
    if (this.state === 'open') this.pipe(spec.direction).find(spec.name)?.update(spec, rollToxicity(spec.toxicity));
  }

  /**
   * Ends the connection. 'graceful' sends FIN both ways after pending writes,
   * 'reset' sends RST both ways, 'destroy' drops both sockets at once.
   */
  close(kind: CloseKind): void {
    if (this.state === 'closed') return;
    if (this.state === 'closing' && kind === 'graceful') return;
    this.state = 'closing';
    this.up.stop();
    this.down.stop();
    for (const socket of [this.client, this.upstream]) {
      if (socket.destroyed) continue;
      if (kind === 'reset') resetSocket(socket);
      else if (kind === 'destroy') socket.destroy();
      else endThenDestroy(socket);
    }
  }

  private pipe(direction: StreamDirection): DirectionPipe {
    return direction === 'upstream' ? this.up : this.down;
  }

  private context(pipe: DirectionPipe): StageContext {
    return {
      close: (kind) => this.close(kind),
      closeAfterEnd: () => pipe.closeAfterEnd(),
    };
  }

  private directionEnded(closeLink: boolean): void {
    // A plain end travels on as a half-close; the sockets close themselves
    // once both halves are done. limit_data asks for the whole link to go.
    if (closeLink) this.close('graceful');
  }

  private socketClosed(): void {
    this.openSockets -= 1;
    if (this.openSockets > 0 || this.state === 'closed') return;
    this.state = 'closed';
    this.up.stop();
    this.down.stop();
    this.onClosed(this);
  }
}

interface HandleOwner {
  _handle: { useUserBuffer?: unknown } | null;
}

/**
 * Moves the handle of a freshly accepted, still paused socket into a new
 * Socket that reads with `onread` (net.Server has no such option). The old
 * wrapper is destroyed without its handle, which only releases the server's
 * count of it. Returns null if this Node does not look as expected; the
 * caller then keeps `accepted` with ordinary 'data' events.
 */
function adoptAccepted(accepted: Socket, onread: OnReadOpts): Socket | null {
  const owner = accepted as unknown as HandleOwner;
  const handle = owner._handle;
  if (handle === null || typeof handle.useUserBuffer !== 'function' || !accepted.isPaused()) return null;
  try {
    const options = { handle, allowHalfOpen: true, onread } as SocketConstructorOpts;
    const socket = new net.Socket(options);
    owner._handle = null;
    accepted.destroy();
    return socket;
  } catch {
    return null;
  }
}

/** FIN after what is already queued, then free the socket; incoming bytes are read and dropped. */
function endThenDestroy(socket: Socket): void {
  socket.resume();
  if (socket.writableFinished) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  if (!socket.writableEnded) socket.end();
}

function resetSocket(socket: Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
