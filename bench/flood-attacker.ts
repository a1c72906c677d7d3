// The attacker side of bench/flood.bench.ts, in its own process so its event
// loop never delays the honest handshakes being timed. Floods until stdin
// closes, then prints {"waves", "accepts", "refused"} and exits.
// argv: <listen host:port> <mesh dir> <parked per wave> <replay connections>
import { captureHello } from '../test/support/node.ts';
import { parkPartialFrames, replayHello } from '../test/support/flood.ts';

const [listen, dir, parked, replayers] = process.argv.slice(2);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let flooding = true;
process.stdin.on('end', () => (flooding = false));
process.stdin.resume();

let waves = 0;
const parker = (async () => {
  while (flooding && Number(parked) > 0) {
    const wave = parkPartialFrames(listen, Number(parked));
    waves++;
    await Promise.race([wave, sleep(1000)]);
    await sleep(1000);
  }
})();
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
await parker;
process.stdout.write(`${JSON.stringify({ waves, accepts, refused })}\n`);
process.exit(0);
