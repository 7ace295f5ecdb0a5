#!/usr/bin/env node
// The official SocketCluster JS client under Node as a client adapter (spec/client-adapter.md, adapter protocol 1).
// It is the worked example of docs/client-adapter.md: a thin translation from the protocol's named-field requests to
// the suite's existing JS driver (driver/driver-core.mjs), which already drives the client by handle.
//
// Usage: node adapter/node-adapter.mjs [--v14] [--capabilities LIST] [--mutant NAME]
//   --v14               socketcluster-client 14.3.2 (protocol v1 only) instead of 20.0.2 (v1 and v2)
//   --capabilities LIST declare only these capabilities (comma-separated; "" for none), e.g. to see how the suite
//                       grades a client that lacks some: undeclared scenarios are UNIMPLEMENTED, never passed.
//   --mutant NAME       test-only: a deliberately broken 20.x client (driver/client-mutants.mjs)
// One JSON object per line on stdin and stdout; exits when stdin closes, after closing every client.

import {createRequire} from 'node:module';
import readline from 'node:readline';
import {createDriver} from '../driver/driver-core.mjs';

const ADAPTER_PROTOCOL = 1;
const KNOWN_CAPABILITIES = ['reconnect', 'pubsub', 'auth', 'batching'];

function usage(message) {
  process.stderr.write(`node-adapter: ${message}\nusage: node adapter/node-adapter.mjs [--v14] [--capabilities reconnect,pubsub,auth,batching] [--mutant NAME]\n`);
  process.exit(2);
}

let useV14 = false;
let declared = null;
let mutantName = null;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--v14') useV14 = true;
  else if (argv[i] === '--capabilities' && i + 1 < argv.length) declared = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
  else if (argv[i] === '--mutant' && i + 1 < argv.length) mutantName = argv[++i];
  else usage(`unknown argument ${argv[i]}`);
}
for (const c of declared || []) if (!KNOWN_CAPABILITIES.includes(c)) usage(`unknown capability ${c}`);

const require = createRequire(import.meta.url);
const packageName = useV14 ? 'socketcluster-client-v14' : 'socketcluster-client';
const client = require(packageName);
const version = require(`${packageName}/package.json`).version;
// TEST-ONLY: --mutant NAME makes every client one of the deliberately broken official clients of
// driver/client-mutants.mjs (patched before the first socket), so the suite's self-tests can show that the client
// scenarios catch a broken client delivered through the adapter protocol (the C# adapter has the same option).
if (mutantName !== null) {
  if (useV14) usage('client mutants patch socketcluster-client 20.x only');
  const {applyClientMutant} = await import('../driver/client-mutants.mjs');
  try {
    applyClientMutant(mutantName, require(`${packageName}/lib/clientsocket.js`).prototype, require(`${packageName}/lib/transport.js`).prototype);
  } catch (e) {
    usage(e.message);
  }
}
const driver = createDriver(client.create, {version, host: 'node', api: useV14 ? 'emitter' : 'ag'});

// 14.x has no client-side batching (batchOnHandshake / batchInterval came with 15).
const capabilities = declared ?? (useV14 ? ['reconnect', 'pubsub', 'auth'] : KNOWN_CAPABILITIES);
const protocolVersions = useV14 ? [1] : [1, 2];

class AdapterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'AdapterError';
  }
}

// ---- request fields ----

function str(req, key) {
  if (typeof req[key] !== 'string') throw new AdapterError(`"${key}" must be a string`);
  return req[key];
}

function optInt(req, key) {
  if (req[key] === undefined || req[key] === null) return undefined;
  if (!Number.isInteger(req[key])) throw new AdapterError(`"${key}" must be an integer`);
  return req[key];
}

function optObject(req, key) {
  const v = req[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new AdapterError(`"${key}" must be an object`);
  return v;
}

function clientId(req) {
  if (!Number.isInteger(req.client)) throw new AdapterError('"client" must be the integer id that create returned');
  return req.client;
}

// The data argument: absent key = no data (JS undefined); present (even null) = that value.
const dataArgs = (req) => (Object.prototype.hasOwnProperty.call(req, 'data') ? [req.data] : []);

// ---- driver-core results to protocol replies ----

// driver-core's own refusals (bad argument, unknown handle) are the adapter's errors, not the client's.
function adapterFailure(result) {
  return result.error && result.error.name === 'DriverError'
    ? {ok: false, error: {name: 'AdapterError', message: result.error.message}}
    : null;
}

// An operation the adapter performs at once: ok, or the error as is.
async function act(promise, pick = () => ({})) {
  const result = await promise;
  if (result.ok) return {ok: true, ...pick(result)};
  return adapterFailure(result) ?? {ok: false, error: result.error};
}

// A client call the client settles: data when it resolved with some; a non-Error rejection value as errorValue.
async function settle(promise) {
  const result = await promise;
  if (result.ok) return result.hasData === false || result.data === undefined ? {ok: true} : {ok: true, data: result.data};
  const refused = adapterFailure(result);
  if (refused) return refused;
  if (result.error && result.error.name === 'NonErrorValue') return {ok: false, errorValue: result.error.value ?? null};
  return {ok: false, error: result.error};
}

// socketcluster-client 14.x speaks protocol v1 only and has no protocolVersion option: it hands unknown options to
// the ws package, whose own protocolVersion (the WebSocket version, 8 or 13) would then be 1. Translate, don't pass.
function clientOptions(options) {
  if (!useV14 || options.protocolVersion === undefined) return options;
  const {protocolVersion, ...rest} = options;
  if (protocolVersion !== 1) {
    throw Object.assign(new Error(`socketcluster-client ${version} speaks protocol v1 only (asked for ${protocolVersion})`), {name: 'Unsupported'});
  }
  return rest;
}

const items = (r) => ({items: r.items.map((i) => (Object.prototype.hasOwnProperty.call(i, 'data') ? {data: i.data} : {}))});

const PUBLISH = {
  'transmitPublish': 'transmitPublish',
  'invokePublish': 'invokePublish',
  'channel.transmitPublish': 'channelTransmitPublish',
  'channel.invokePublish': 'channelInvokePublish'
};

const OPS = {
  hello: async () => ({
    ok: true, adapterProtocol: ADAPTER_PROTOCOL, client: {name: 'socketcluster-client', version}, protocolVersions, capabilities,
    // 14.3.2 is the v14-era client: scenarios tagged @not-v14-client check details where it differs (spec/legacy-v14.md).
    ...(useV14 ? {legacy: 'v14'} : {})
  }),
  create: (r) => act(driver.connect(clientOptions(optObject(r, 'options') ?? {})), (x) => ({client: x.handle})),
  connect: (r) => act(driver.connectAgain(clientId(r), optObject(r, 'options'))),
  disconnect: (r) => act(driver.disconnect(clientId(r), optInt(r, 'code'), r.reason ?? undefined)),
  reconnect: (r) => act(driver.reconnect(clientId(r), optInt(r, 'code'), r.reason ?? undefined)),
  connectAndDisconnect: (r) => act(driver.connectAndDisconnect(clientId(r), optInt(r, 'code'), r.reason ?? undefined)),
  close: (r) => act(driver.destroy(clientId(r))),
  // "id" is the request's: the socket id travels as socketId.
  state: (r) => act(driver.state(clientId(r)), ({state, authState, id, signedAuthToken, authToken}) =>
    ({state, authState, socketId: id, signedAuthToken, authToken})),
  events: (r) => act(driver.events(clientId(r), optInt(r, 'sinceSeq') ?? 0), (x) => ({
    // The 'error' listener yields {error}: the protocol's error event carries the error itself.
    events: x.events.map((e) => ({seq: e.seq, event: e.event, at: e.at,
      data: e.event === 'error' && e.data && e.data.error !== undefined ? e.data.error : e.data}))
  })),
  transmit: (r) => act(driver.transmit(clientId(r), str(r, 'event'), ...dataArgs(r))),
  invoke: (r) => {
    const has = Object.prototype.hasOwnProperty.call(r, 'data');
    const ackTimeout = optInt(r, 'ackTimeout');
    const options = ackTimeout === undefined ? (has ? undefined : {noData: true}) : {ackTimeout, noData: !has};
    return settle(options === undefined
      ? driver.invoke(clientId(r), str(r, 'procedure'), r.data)
      : driver.invoke(clientId(r), str(r, 'procedure'), has ? r.data : null, options));
  },
  receiver: (r) => act(driver.receiver(clientId(r), str(r, 'event'))),
  received: (r) => act(driver.received(clientId(r), str(r, 'event')), items),
  procedure: (r) => act(driver.procedure(clientId(r), str(r, 'procedure'), optObject(r, 'behaviour') ?? {mode: 'echo'})),
  subscribe: (r) => act(driver.subscribe(clientId(r), str(r, 'channel'), optObject(r, 'options')), (x) => ({state: x.state})),
  unsubscribe: (r) => act(driver.unsubscribe(clientId(r), str(r, 'channel'))),
  channelState: (r) => act(driver.channelState(clientId(r), str(r, 'channel')), (x) => ({state: x.state})),
  subscriptions: (r) => act(driver.subscriptions(clientId(r), r.includePending === true), (x) => ({channels: x.channels})),
  publications: (r) => act(driver.publications(clientId(r), str(r, 'channel')), items),
  publish: (r) => {
    const command = PUBLISH[str(r, 'method')];
    if (!command) throw new AdapterError(`"method" must be one of ${Object.keys(PUBLISH).join(', ')}`);
    return settle(driver[command](clientId(r), str(r, 'channel'), ...dataArgs(r)));
  },
  authenticate: (r) => settle(driver.authenticate(clientId(r), str(r, 'signedToken'))),
  deauthenticate: (r) => settle(driver.deauthenticate(clientId(r)))
};

// ---- the line loop: every request gets exactly one reply, in completion order ----

function write(reply) {
  let line;
  try {
    line = JSON.stringify(reply);
  } catch (e) {
    line = JSON.stringify({id: reply.id ?? null, ok: false, error: {name: 'AdapterError', message: `reply is not serialisable: ${e.message}`}});
  }
  process.stdout.write(line + '\n');
}

process.on('uncaughtException', (e) => process.stderr.write(`node-adapter: uncaughtException: ${e && e.stack || e}\n`));
process.on('unhandledRejection', (e) => process.stderr.write(`node-adapter: unhandledRejection: ${e && e.stack || e}\n`));

const rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity});
rl.on('line', async (line) => {
  if (line.trim() === '') return;
  let req;
  try {
    req = JSON.parse(line);
  } catch (e) {
    write({id: null, ok: false, error: {name: 'AdapterError', message: `invalid JSON: ${e.message}`}});
    return;
  }
  const id = req && (typeof req.id === 'number' || typeof req.id === 'string') ? req.id : null;
  try {
    if (req === null || typeof req !== 'object' || Array.isArray(req) || id === null) throw new AdapterError('a request is {"id": number, "op": string, ...}');
    const op = Object.prototype.hasOwnProperty.call(OPS, req.op) ? OPS[req.op] : null;
    if (!op) throw new AdapterError(`unknown op ${JSON.stringify(req.op)}`);
    write({id, ...(await op(req))});
  } catch (e) {
    write({id, ok: false, error: {name: e instanceof AdapterError ? 'AdapterError' : (e && e.name) || 'Error', message: String(e && e.message || e)}});
  }
});
rl.on('close', async () => {
  await driver.destroyAll();
  process.exit(0);
});
