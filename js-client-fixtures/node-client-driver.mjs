#!/usr/bin/env node
// Node host for driver/driver-core.mjs: one JSON object per line on stdin/stdout.
//   request  {"id":1,"cmd":"invoke","args":[1,"customProc",{"foo":"bar"}]}
//   response {"id":1,"result":{"ok":true,"hasData":true,"data":"Success"}}
//   bad line / unknown command: {"id":1,"error":"..."} (id null when the line had none)
// Usage: node node-client-driver.mjs [--v14]   (default: socketcluster-client 20.0.2; --v14: 14.3.2)
// Exits when stdin closes, after destroying every socket.
// The self-test alone may send {"cmd":"mutate","args":[name]} first (see mutate() below).

import {createRequire} from 'node:module';
import readline from 'node:readline';
import {createDriver, DRIVER_COMMANDS} from './driver/driver-core.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--v14');
if (unknown.length > 0) {
  process.stderr.write(`node-client-driver: unknown argument(s) ${unknown.join(' ')}\nusage: node node-client-driver.mjs [--v14]\n`);
  process.exit(2);
}
const useV14 = args.includes('--v14');
const packageName = useV14 ? 'socketcluster-client-v14' : 'socketcluster-client';
const client = require(packageName);
const version = require(`${packageName}/package.json`).version;
const driver = createDriver(client.create, {version, host: 'node', api: useV14 ? 'emitter' : 'ag'});

function write(object) {
  let line;
  try {
    line = JSON.stringify(object);
  } catch (e) {
    line = JSON.stringify({id: object.id ?? null, error: `result is not serialisable: ${e.message}`});
  }
  process.stdout.write(line + '\n');
}

process.on('uncaughtException', (e) => process.stderr.write(`node-client-driver: uncaughtException: ${e && e.stack || e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`node-client-driver: unhandledRejection: ${e && e.stack || e}\n`));

// TEST-ONLY (client mutation self-test): {"cmd":"mutate","args":["<name>"]} turns this process's client into one of
// the deliberately broken variants of driver/client-mutants.mjs. Accepted only before the first socket exists, and
// only for socketcluster-client 20.x; a normal run never sends it.
let socketsCreated = false;
let mutant = null;
async function mutate(args) {
  let name = Array.isArray(args) ? args[0] : undefined;
  if (typeof name !== 'string') return {ok: false, error: {name: 'DriverError', message: 'mutate needs a mutant name'}};
  if (useV14) return {ok: false, error: {name: 'DriverError', message: 'client mutants patch socketcluster-client 20.x only'}};
  if (socketsCreated || mutant !== null) {
    return {ok: false, error: {name: 'DriverError', message: `mutate must come first and once (mutant: ${mutant})`}};
  }
  mutant = name; // claimed before the await: a second mutate arriving meanwhile is refused
  try {
    let {applyClientMutant} = await import('./driver/client-mutants.mjs');
    applyClientMutant(name, require(`${packageName}/lib/clientsocket.js`).prototype, require(`${packageName}/lib/transport.js`).prototype);
  } catch (e) {
    mutant = null;
    return {ok: false, error: {name: 'DriverError', message: e.message}};
  }
  return {ok: true, mutant};
}

const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', async (line) => {
  if (line.trim() === '') return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (e) {
    write({id: null, error: `invalid JSON: ${e.message}`});
    return;
  }
  let id = request && (typeof request.id === 'number' || typeof request.id === 'string') ? request.id : null;
  if (request === null || typeof request !== 'object' || typeof request.cmd !== 'string') {
    write({id, error: 'request must be {"id":..,"cmd":string,"args":[...]}'});
    return;
  }
  if (request.cmd === 'mutate') {
    write({id, result: await mutate(request.args)});
    return;
  }
  if (request.cmd === 'connect') socketsCreated = true;
  if (!DRIVER_COMMANDS.includes(request.cmd)) {
    write({id, error: `unknown command ${JSON.stringify(request.cmd)}`});
    return;
  }
  if (request.args !== undefined && !Array.isArray(request.args)) {
    write({id, error: 'args must be an array'});
    return;
  }
  let result = await driver[request.cmd](...(request.args || []));
  write({id, result});
});
rl.on('close', async () => {
  await driver.destroyAll();
  process.exit(0);
});
