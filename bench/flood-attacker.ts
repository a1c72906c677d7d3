// The attacker side of bench/flood.bench.ts, in its own process so its event
// loop never delays the honest handshakes being timed. Floods until stdin
// closes, then prints {"opened", "accepts", "refused"} and exits.
// argv: <listen host:port> <mesh dir> <parked connections> <replay connections>
import { captureHello } from '../test/support/node.ts';
import { keepParked, replayHello } from '../test/support/flood.ts';

const [listen, dir, parked, replayers] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let flooding = true;
process.stdin.on('end', () => (flooding = false));
process.stdin.resume();

// Every parked connection the node closes (refused, or after the first-frame deadline) comes back a second later.
const parker = keepParked(listen, Number(parked), 1000, () => flooding);
const hello = await captureHello(dir, 'a-flood');
let accepts = 0;
let refused = 0;
while (flooding) {
  if (Number(replayers) === 0) {
    await sleep(100);
    continue;
  }
  const r = await replayHello(listen, hello, Number(replayers), 500);
  accepts += r.accepts;
  refused += r.refused;
}
const opened = await parker;
process.stdout.write(`${JSON.stringify({ opened, accepts, refused })}\n`);
process.exit(0);
