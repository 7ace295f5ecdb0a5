#!/usr/bin/env node
// The official client's side of the client benchmark (bench/SocketCluster.Benchmarks, "clients"): invoke round trips
// of customProc against a server, a fixed number in flight, measuring this process's own CPU time.
// Usage: node bench-client.mjs <ws-url> <warmup-invokes> <invokes> <in-flight>  → one JSON line on stdout.
import socketClusterClient from 'socketcluster-client';

const [url, warmupArg, countArg, inFlightArg] = process.argv.slice(2);
const warmup = Number(warmupArg), count = Number(countArg), inFlight = Number(inFlightArg);
if (!url || !(count > 0) || !(inFlight > 0) || !(warmup >= 0)) {
  process.stderr.write('usage: node bench-client.mjs <ws-url> <warmup-invokes> <invokes> <in-flight>\n');
  process.exit(2);
}
const {hostname, port, pathname} = new URL(url);
const socket = socketClusterClient.create({hostname, port: Number(port), path: pathname, autoReconnect: false});

async function run(total) {
  let next = 0;
  async function worker() {
    while (next < total) {
      next++;
      await socket.invoke('customProc', {n: 1});
    }
  }
  await Promise.all(Array.from({length: inFlight}, worker));
}

const deadline = setTimeout(() => { process.stderr.write('bench-client: no result within 120 s\n'); process.exit(1); }, 120000);
await run(warmup);
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await run(count);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
clearTimeout(deadline);
process.stdout.write(JSON.stringify({invokes: count, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6}) + '\n');
socket.disconnect();
process.exit(0);
