// One completed in-memory handshake and a channel on each side, with every
// handshake frame recorded (the fuzzers' corpus). The channel tests, the frame
// fuzzer and the mutation tests share it.
import { Channel, InOrderWindow } from '../../src/mesh/protocol/channel.ts';
import { initiate, respond } from '../../src/mesh/protocol/handshake.ts';
import type { Frame, FrameType } from '../../src/mesh/protocol/wire.ts';
import { memoryPair } from '../../suites/mesh/memory-pair.ts';
import { handshakeConfig, type TestPki } from './pki.ts';

export interface ChannelSession {
  /** The initiator's channel. */
  ci: Channel;
  /** The responder's channel. */
  cr: Channel;
  /** Every handshake frame, in the order it was sent. */
  frames: Frame[];
}

export async function channelSession(pki: TestPki): Promise<ChannelSession> {
  const { initiator: a, responder: b } = memoryPair();
  const frames: Frame[] = [];
  const tap = (c: typeof a) => ({
    ...c,
    send: (type: FrameType, body: Uint8Array) => {
      frames.push({ type, body });
      return c.send(type, body);
    },
  });
  const [i, r] = await Promise.all([
    initiate(handshakeConfig(pki, pki.node('a')), tap(a), 'b'),
    respond(handshakeConfig(pki, pki.node('b')), tap(b)),
  ]);
  const win = () => new InOrderWindow();
  return { ci: new Channel(i, win), cr: new Channel(r, win), frames };
}

/** The value `f` throws; fails the test when it returns instead. */
export function catching(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}
