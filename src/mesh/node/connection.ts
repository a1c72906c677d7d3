// A framed TCP connection. During the handshake frames are pulled with
// receive(); afterwards they are pushed to one handler. Whatever goes wrong
// (bad bytes, a protocol error, the peer's ALERT) ends in exactly one close
// with one reason, and an ALERT carrying that reason is sent when we are the
// side that detected it. Once the session seals alerts (after the handshake),
// our alerts travel inside the channel and a cleartext ALERT from the wire is
// not believed: it is a `bad_frame` of whoever injected it.
import type { Socket } from 'node:net';
import { MeshError, reasonOf, type FailureReason } from '../protocol/errors.ts';
import { FrameReader, FrameType, decodeAlert, encodeAlert, encodeFrame, type Alert, type Frame } from '../protocol/wire.ts';

/** A failure reported by the peer's ALERT rather than detected here. */
export class RemoteAlert extends MeshError {
  readonly remote = true;
}

export interface CloseInfo {
  reason: FailureReason | 'closed';
  message: string;
  /** True when the peer told us the reason in an ALERT. */
  remote: boolean;
}

export class FramedConnection {
  private readonly reader = new FrameReader();
  private readonly queue: Frame[] = [];
  private waiter: { resolve: (f: Frame) => void; reject: (e: Error) => void } | undefined;
  private handler: ((f: Frame) => void) | undefined;
  private closeInfo: CloseInfo | undefined;
  private readonly closeListeners: ((c: CloseInfo) => void)[] = [];
  private sealAlert: ((a: Alert) => Uint8Array) | undefined;
  private believesCleartext: ((a: Alert | undefined) => boolean) | undefined;
  private budget: ((buffered: number) => boolean) | undefined;
  /** Complete frames received so far. */
  framesIn = 0;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.finish({ reason: 'peer_closed', message: e.message, remote: false }));
    socket.on('close', () => this.finish({ reason: 'peer_closed', message: 'connection closed by peer', remote: false }));
  }

  get closed(): CloseInfo | undefined {
    return this.closeInfo;
  }

  onClose(listener: (c: CloseInfo) => void): void {
    if (this.closeInfo) listener(this.closeInfo);
    else this.closeListeners.push(listener);
  }

  send(type: FrameType, body: Uint8Array): void {
    if (this.closeInfo || this.socket.destroyed) return;
    this.socket.write(encodeFrame(type, body));
  }

  /** Pull mode for the handshake. An ALERT rejects with the peer's reason. */
  receive(): Promise<Frame> {
    const next = this.queue.shift();
    if (next) return next.type === FrameType.ALERT ? Promise.reject(this.alertError(next)) : Promise.resolve(next);
    if (this.closeInfo) return Promise.reject(this.closeError());
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /**
   * Before authentication: `allow(n)` is asked before the partial frame grows
   * to n bytes, and a refusal closes the connection. Cleared with undefined.
   */
  limitBuffering(allow: ((buffered: number) => boolean) | undefined): void {
    this.budget = allow;
  }

  /**
   * After the handshake: alerts are sent as RECORD bodies made by `seal`, and
   * cleartext ones are refused unless `believes` (a protocol seam; never in
   * the reference) takes one as the peer's.
   */
  sealAlerts(seal: (a: Alert) => Uint8Array, believes: (a: Alert | undefined) => boolean = () => false): void {
    this.sealAlert = seal;
    this.believesCleartext = believes;
  }

  /** Push mode after the handshake: queued frames are delivered first. */
  setHandler(handler: (f: Frame) => void): void {
    this.handler = handler;
    while (this.queue.length && !this.closeInfo) this.dispatch(this.queue.shift()!);
  }

  /** Closes because we detected a failure; tells the peer why. */
  fail(err: unknown): void {
    if (this.closeInfo) return;
    const reason = reasonOf(err);
    const message = err instanceof Error ? err.message : String(err);
    if (!(err instanceof RemoteAlert)) this.sendAlert({ reason, message });
    this.finish({ reason, message, remote: err instanceof RemoteAlert });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  /** An orderly close with no failure. */
  close(message = 'closed'): void {
    if (this.closeInfo) return;
    this.finish({ reason: 'closed', message, remote: false });
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private sendAlert(alert: Alert): void {
    if (!this.sealAlert) {
      this.send(FrameType.ALERT, encodeAlert(alert));
      return;
    }
    try {
      this.send(FrameType.RECORD, this.sealAlert(alert));
    } catch {
      // sequence space exhausted or similar: close without telling
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closeInfo) return;
    if (this.budget && !this.budget(this.reader.buffered + chunk.length)) {
      this.fail(new MeshError('policy', 'pre-authentication byte budget of this node is spent'));
      return;
    }
    let frames: Frame[];
    try {
      frames = this.reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (e) {
      this.fail(e);
      return;
    }
    this.budget?.(this.reader.buffered);
    this.framesIn += frames.length;
    for (const f of frames) {
      if (this.closeInfo) return;
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        if (f.type === FrameType.ALERT) w.reject(this.alertError(f));
        else w.resolve(f);
      } else if (this.handler) {
        this.dispatch(f);
      } else {
        this.queue.push(f);
      }
    }
  }

  private dispatch(f: Frame): void {
    try {
      if (f.type === FrameType.ALERT) {
        if (this.sealAlert && !this.believesCleartext?.(this.decodedAlert(f)))
          throw new MeshError('bad_frame', 'cleartext ALERT after the handshake (alerts are sealed in the channel)');
        throw this.alertError(f);
      }
      this.handler!(f);
    } catch (e) {
      this.fail(e);
    }
  }

  private decodedAlert(f: Frame): Alert | undefined {
    try {
      return decodeAlert(f.body);
    } catch {
      return undefined;
    }
  }

  private alertError(f: Frame): MeshError {
    try {
      const a = decodeAlert(f.body);
      return new RemoteAlert(a.reason, `peer alert: ${a.message}`);
    } catch (e) {
      return e as MeshError;
    }
  }

  private closeError(): MeshError {
    const c = this.closeInfo!;
    const reason = c.reason === 'closed' ? 'peer_closed' : c.reason;
    return c.remote ? new RemoteAlert(reason, c.message) : new MeshError(reason, c.message);
  }

  private finish(info: CloseInfo): void {
    if (this.closeInfo) return;
    this.closeInfo = info;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(this.closeError());
    }
    for (const l of this.closeListeners.splice(0)) l(info);
  }
}
