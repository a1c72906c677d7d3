// A process that builds a kernel chaos network and waits: the test SIGINTs
// it and checks that its namespaces are gone (chaos/kernel/netns.ts hooks).
import { KernelNet } from '../../chaos/kernel/netns.ts';

const net = await KernelNet.create(['a', 'b'], 7);
process.stdout.write(`${JSON.stringify({ namespaces: [net.namespace('a'), net.namespace('b')] })}\n`);
setInterval(() => {}, 1000);
