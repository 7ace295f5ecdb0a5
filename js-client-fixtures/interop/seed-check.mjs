#!/usr/bin/env node
// Interop check: drives a server that implements the fixture-app contract (spec/fixture-app.md) with the
// official socketcluster-client 20.0.2 under Node, through every operation of the Basic-usage seed and every
// contract procedure.
// Usage: node interop/seed-check.mjs <ws-url> [--protocol 1|2] [--only substring]
//   e.g. node interop/seed-check.mjs ws://127.0.0.1:8000/socketcluster/
// Prints "ok - name" / "not ok - name: detail" per check and "N passed, N failed"; exit code 0 only if all pass.

import assert from 'node:assert/strict';
import http from 'node:http';
import {createRequire} from 'node:module';

const require = createRequire(import.meta.url);
const socketClusterClient = require('socketcluster-client');

const WAIT_MS = 5000; // generous: the machine may be loaded

function usage(message) {
  process.stderr.write(`${message}\nusage: node interop/seed-check.mjs <ws-url> [--protocol 1|2] [--only substring]\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let target;
let protocolVersion = 2;
let only = null;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--protocol') {
    protocolVersion = Number(argv[++i]);
    if (protocolVersion !== 1 && protocolVersion !== 2) usage('--protocol must be 1 or 2');
  } else if (argv[i] === '--only') {
    only = argv[++i];
    if (!only) usage('--only needs a value');
  } else if (target === undefined) {
    target = argv[i];
  } else {
    usage(`unexpected argument ${argv[i]}`);
  }
}
if (!target) usage('missing <ws-url>');
let url;
try {
  url = new URL(target);
} catch (e) {
  usage(`not a URL: ${target}`);
}
if (url.protocol !== 'ws:' && url.protocol !== 'wss:') usage('the URL must start with ws:// or wss://');
const secure = url.protocol === 'wss:';
const baseOptions = {
  hostname: url.hostname,
  port: Number(url.port || (secure ? 443 : 80)),
  secure,
  path: url.pathname || '/socketcluster/',
  protocolVersion,
  ackTimeout: 8000,
  autoReconnect: false
};

let unique = 0;
const runId = Date.now().toString(36);
const name = (prefix) => `${prefix}-${runId}-${++unique}`;
const sockets = [];

function connect(extra = {}) {
  let socket = socketClusterClient.create({...baseOptions, authTokenName: name('token'), ...extra});
  sockets.push(socket);
  return socket;
}

async function connected(extra) {
  let socket = connect(extra);
  await socket.listener('connect').once(WAIT_MS);
  return socket;
}

// Collects everything a stream yields, so that checks can wait for N items without racing the producer.
function collect(stream) {
  let items = [];
  let waiters = [];
  (async () => {
    for await (let value of stream) {
      items.push(value);
      for (let w of waiters.slice()) if (items.length >= w.count) w.resolve();
    }
  })();
  return {
    items,
    async waitFor(count, timeout = WAIT_MS) {
      if (items.length >= count) return items;
      await new Promise((resolve, reject) => {
        let waiter = {count, resolve: () => { clearTimeout(timer); resolve(); }};
        let timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`expected ${count} item(s), got ${items.length}: ${JSON.stringify(items)}`));
        }, timeout);
        waiters.push(waiter);
      });
      return items;
    }
  };
}

async function rejection(promise) {
  try {
    let value = await promise;
    throw new assert.AssertionError({message: `expected a rejection, got ${JSON.stringify(value)}`});
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return error;
  }
}

function assertError(error, expectedName, expectedMessage) {
  assert.ok(error && typeof error === 'object', `expected an error object, got ${JSON.stringify(error)}`);
  assert.equal(error.name, expectedName, `error name (message: ${error.message})`);
  if (expectedMessage !== undefined) assert.equal(error.message, expectedMessage, 'error message');
}

function httpGet(path) {
  return new Promise((resolve, reject) => {
    if (secure) {
      reject(new Error('health check over https is not supported by this script'));
      return;
    }
    let req = http.get({hostname: url.hostname, port: baseOptions.port, path}, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({status: res.statusCode, body}));
    });
    req.setTimeout(WAIT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

const checks = [];
const check = (title, fn) => checks.push({title, fn});

// ---------------------------------------------------------------- connection and contract detection
let hello;

check('connect: the handshake completes and the socket is open with an id', async () => {
  let socket = connect();
  let status = await socket.listener('connect').once(WAIT_MS);
  assert.equal(socket.state, 'open');
  assert.equal(typeof socket.id, 'string');
  assert.equal(status.id, socket.id);
  assert.equal(status.isAuthenticated, false);
  assert.ok(Number.isFinite(status.pingTimeout), 'handshake pingTimeout');
});

check('conformance.hello: the contract is detected', async () => {
  let socket = await connected();
  hello = await socket.invoke('conformance.hello', undefined, {ackTimeout: 3000});
  assert.equal(hello.contract, 1);
  assert.equal(typeof hello.implementation, 'string');
  assert.equal(hello.protocolVersion, protocolVersion);
  for (let key of ['pingInterval', 'pingTimeout', 'ackTimeout']) {
    assert.ok(Number.isFinite(hello[key]) && hello[key] > 0, `${key} = ${hello[key]}`);
  }
  assert.equal(hello.socketId, socket.id);
});

check('ping: the server pings within pingInterval and the connection stays open', async () => {
  let socket = await connected();
  let interval = (hello && hello.pingInterval) || 8000;
  let expectedPing = protocolVersion === 1 ? '#1' : '';
  let message = await socket.listener('message').once(interval * 2 + WAIT_MS);
  assert.equal(message.message, expectedPing);
  assert.equal(socket.state, 'open');
});

check('GET /health-check answers OK', async () => {
  let res = await httpGet('/health-check');
  assert.equal(res.status, 200);
  assert.equal(res.body, 'OK');
});

// ---------------------------------------------------------------- the seed
check('seed: transmit customRemoteEvent 123 reaches the server receiver (conformance.received)', async () => {
  let socket = await connected();
  socket.transmit('customRemoteEvent', 123);
  let received = await socket.invoke('conformance.received', {event: 'customRemoteEvent'});
  assert.deepEqual(received, [123]);
});

check('seed: customProc {foo:"bar"} ends with "Success"', async () => {
  let socket = await connected();
  assert.equal(await socket.invoke('customProc', {foo: 'bar'}), 'Success');
});

check('seed: customProc {bad:true} errors with BadCustomError', async () => {
  let socket = await connected();
  let error = await rejection(socket.invoke('customProc', {bad: true}));
  assertError(error, 'BadCustomError', 'Server failed to execute the procedure');
});

check('seed: subscribe, then socket.transmitPublish is received through for await', async () => {
  let socket = await connected();
  let channelName = name('foo');
  let channel = socket.subscribe(channelName);
  let data = collect(channel);
  await channel.listener('subscribe').once(WAIT_MS);
  socket.transmitPublish(channelName, 'This is some data');
  assert.deepEqual(await data.waitFor(1), ['This is some data']);
});

check('seed: socket.invokePublish is acknowledged and received', async () => {
  let socket = await connected();
  let channelName = name('foo');
  let channel = socket.subscribe(channelName);
  let data = collect(channel);
  await channel.listener('subscribe').once(WAIT_MS);
  assert.equal(await socket.invokePublish(channelName, 'This is some more data'), undefined);
  assert.deepEqual(await data.waitFor(1), ['This is some more data']);
});

check('seed: channel.transmitPublish and channel.invokePublish reach another subscriber', async () => {
  let subscriber = await connected();
  let publisher = await connected();
  let channelName = name('foo');
  let channel = subscriber.subscribe(channelName);
  let data = collect(channel);
  await channel.listener('subscribe').once(WAIT_MS);
  let fooChannel = publisher.channel(channelName);
  fooChannel.transmitPublish('This is some data');
  await fooChannel.invokePublish('This is some more data');
  assert.deepEqual(await data.waitFor(2), ['This is some data', 'This is some more data']);
});

check('seed: exchange transmitPublish (conformance.publish, ack false) is received', async () => {
  let socket = await connected();
  let channelName = name('foo');
  let channel = socket.subscribe(channelName);
  let data = collect(channel);
  await channel.listener('subscribe').once(WAIT_MS);
  assert.equal(await socket.invoke('conformance.publish', {channel: channelName, data: 'This is some data', ack: false}), undefined);
  assert.deepEqual(await data.waitFor(1), ['This is some data']);
});

check('seed: exchange invokePublish (conformance.publish, ack true) is received by another socket', async () => {
  let subscriber = await connected();
  let caller = await connected();
  let channelName = name('foo');
  let channel = subscriber.subscribe(channelName);
  let data = collect(channel);
  await channel.listener('subscribe').once(WAIT_MS);
  await caller.invoke('conformance.publish', {channel: channelName, data: {n: 1}, ack: true});
  await caller.invoke('conformance.publish', {channel: channelName});
  let items = await data.waitFor(2);
  assert.deepEqual(items[0], {n: 1});
  assert.equal(items[1], undefined, 'a publish without data is delivered without data');
});

// ---------------------------------------------------------------- contract procedures
check('conformance.echo returns its data unchanged (object, null, absent)', async () => {
  let socket = await connected();
  let value = {a: [1, 2, {b: 'c'}], d: null, e: true, f: 1.5, g: 'ü'};
  assert.deepEqual(await socket.invoke('conformance.echo', value), value);
  assert.equal(await socket.invoke('conformance.echo', null), null);
  assert.equal(await socket.invoke('conformance.echo'), undefined);
  assert.equal(await socket.invoke('conformance.echo', 'text'), 'text');
});

check('conformance.received records every transmit in order, with presence', async () => {
  let socket = await connected();
  let event = name('evt');
  socket.transmit(event, 1);
  socket.transmit(event);
  socket.transmit(event, null);
  socket.transmit(event, {x: 'y'});
  socket.transmit(name('other'), 'not this one');
  assert.deepEqual(await socket.invoke('conformance.received', {event}), [1, null, null, {x: 'y'}]);
  assert.deepEqual(await socket.invoke('conformance.received', {event, withPresence: true}),
    [{data: 1}, {}, {data: null}, {data: {x: 'y'}}]);
  assert.deepEqual(await socket.invoke('conformance.received', {event: name('never')}), []);
});

check('conformance.received is per socket', async () => {
  let a = await connected();
  let b = await connected();
  let event = name('evt');
  a.transmit(event, 'from a');
  assert.deepEqual(await a.invoke('conformance.received', {event}), ['from a']);
  assert.deepEqual(await b.invoke('conformance.received', {event}), []);
});

check('conformance.transmit: the server transmits to the calling socket (with and without data)', async () => {
  let socket = await connected();
  let event = name('serverEvent');
  let received = collect(socket.receiver(event));
  assert.equal(await socket.invoke('conformance.transmit', {event, data: 'world'}), undefined);
  await socket.invoke('conformance.transmit', {event});
  await socket.invoke('conformance.transmit', {event, data: {deep: [1]}});
  assert.deepEqual(await received.waitFor(3), ['world', undefined, {deep: [1]}]);
});

check('conformance.invoke: the server invokes a client procedure and returns {data}', async () => {
  let socket = await connected();
  let procedure = name('clientProc');
  let requests = [];
  (async () => {
    for await (let request of socket.procedure(procedure)) {
      requests.push(request.data);
      request.end(request.data * 2);
    }
  })();
  assert.deepEqual(await socket.invoke('conformance.invoke', {procedure, data: 5}), {data: 10});
  assert.deepEqual(requests, [5]);
});

check('conformance.invoke: a client end() without data gives {}', async () => {
  let socket = await connected();
  let procedure = name('clientProc');
  (async () => {
    for await (let request of socket.procedure(procedure)) request.end();
  })();
  assert.deepEqual(await socket.invoke('conformance.invoke', {procedure}), {});
});

check('conformance.invoke: a client error comes back as {error:{name,message,...}}', async () => {
  let socket = await connected();
  let procedure = name('clientProc');
  (async () => {
    for await (let request of socket.procedure(procedure)) {
      let error = new Error('client says no');
      error.name = 'ClientRefusedError';
      error.detail = 42;
      request.error(error);
    }
  })();
  let result = await socket.invoke('conformance.invoke', {procedure, data: 'x'});
  assert.deepEqual(result, {error: {name: 'ClientRefusedError', message: 'client says no', detail: 42}});
});

check('conformance.invoke: no client consumer gives TimeoutError after ackTimeout', async () => {
  let socket = await connected();
  let procedure = name('nobody');
  let result = await socket.invoke('conformance.invoke', {procedure, ackTimeout: 300});
  assert.ok(result && result.error, JSON.stringify(result));
  assertError(result.error, 'TimeoutError', `Event response for ${procedure} event timed out`);
});

check('conformance.setAuthToken: token issued, client authenticated, server authState agrees', async () => {
  let socket = await connected();
  let authenticated = socket.listener('authenticate').once(WAIT_MS);
  let token = await socket.invoke('conformance.setAuthToken', {username: 'alice', role: 'tester'});
  assert.equal(typeof token, 'string');
  assert.equal(token.split('.').length, 3, 'a compact JWT');
  let event = await authenticated;
  assert.equal(event.signedAuthToken, token);
  assert.equal(socket.authState, 'authenticated');
  assert.equal(socket.authToken.username, 'alice');
  let state = await socket.invoke('conformance.authState');
  assert.equal(state.authState, 'authenticated');
  assert.equal(state.authToken.username, 'alice');
  assert.equal(state.authToken.role, 'tester');
  assert.ok(Number.isInteger(state.authToken.exp) && Number.isInteger(state.authToken.iat), 'exp and iat added');
});

check('conformance.login + client authenticate(token) on a new socket', async () => {
  let first = await connected();
  let authenticated = first.listener('authenticate').once(WAIT_MS);
  let token = await first.invoke('conformance.login', {username: 'bob'});
  await authenticated;
  assert.equal(first.authToken.username, 'bob');
  let second = await connected();
  let status = await second.authenticate(token);
  assert.equal(status.isAuthenticated, true);
  assert.equal(second.authState, 'authenticated');
  let state = await second.invoke('conformance.authState');
  assert.equal(state.authState, 'authenticated');
  assert.equal(state.authToken.username, 'bob');
});

check('conformance.login: the stored token authenticates the next handshake of the same socket', async () => {
  // The Node client keeps tokens in a per-socket memory store, so the reconnect must use the same socket.
  let socket = await connected();
  let authenticated = socket.listener('authenticate').once(WAIT_MS);
  let token = await socket.invoke('conformance.login', {username: 'carol'});
  await authenticated;
  let closed = socket.listener('close').once(WAIT_MS);
  socket.disconnect();
  await closed;
  let reconnected = socket.listener('connect').once(WAIT_MS);
  socket.connect();
  let status = await reconnected;
  assert.equal(status.isAuthenticated, true);
  assert.equal(status.authToken, token, 'the connect event carries the token sent in the handshake');
  let state = await socket.invoke('conformance.authState');
  assert.equal(state.authState, 'authenticated');
  assert.equal(state.authToken.username, 'carol');
});

check('client authenticate() with a malformed token rejects with AuthTokenInvalidError', async () => {
  let socket = await connected();
  let error = await rejection(socket.authenticate('not-a-jwt'));
  assert.equal(error.name, 'AuthTokenInvalidError');
  assert.equal(socket.authState, 'unauthenticated');
});

check('conformance.deauthenticate: server removes the token, client and server unauthenticated', async () => {
  let socket = await connected();
  let authenticated = socket.listener('authenticate').once(WAIT_MS);
  await socket.invoke('conformance.login', {username: 'dave'});
  await authenticated;
  let deauthenticated = socket.listener('deauthenticate').once(WAIT_MS);
  assert.equal(await socket.invoke('conformance.deauthenticate'), undefined);
  await deauthenticated;
  assert.equal(socket.authState, 'unauthenticated');
  assert.equal(socket.signedAuthToken, null);
  assert.deepEqual(await socket.invoke('conformance.authState'), {authState: 'unauthenticated', authToken: null});
});

check('client deauthenticate() makes the server unauthenticated', async () => {
  let socket = await connected();
  let authenticated = socket.listener('authenticate').once(WAIT_MS);
  await socket.invoke('conformance.login', {username: 'erin'});
  await authenticated;
  await socket.deauthenticate();
  assert.deepEqual(await socket.invoke('conformance.authState'), {authState: 'unauthenticated', authToken: null});
});

check('conformance.kickOut: the client gets kickOut and the channel is dropped on both sides', async () => {
  let socket = await connected();
  let channelName = name('kick');
  let channel = socket.subscribe(channelName);
  await channel.listener('subscribe').once(WAIT_MS);
  let kicked = socket.listener('kickOut').once(WAIT_MS);
  assert.equal(await socket.invoke('conformance.kickOut', {channel: channelName, message: 'bye'}), undefined);
  let event = await kicked;
  assert.equal(event.channel, channelName);
  assert.equal(event.message, 'bye');
  assert.equal(socket.getChannelState(channelName), 'unsubscribed');
  assert.ok(!(await socket.invoke('conformance.subscriptions')).includes(channelName));
});

check('conformance.kickOut on a channel not held errors with InvalidActionError', async () => {
  let socket = await connected();
  let channelName = name('kick');
  let error = await rejection(socket.invoke('conformance.kickOut', {channel: channelName}));
  assertError(error, 'InvalidActionError',
    `Socket ${socket.id} tried to unsubscribe from a channel which it is not subscribed to`);
});

check('conformance.subscriptions lists the calling socket\'s channels', async () => {
  let socket = await connected();
  let a = name('sub');
  let b = name('sub');
  let channelA = socket.subscribe(a);
  let channelB = socket.subscribe(b);
  await Promise.all([channelA.listener('subscribe').once(WAIT_MS), channelB.listener('subscribe').once(WAIT_MS)]);
  assert.deepEqual((await socket.invoke('conformance.subscriptions')).sort(), [a, b].sort());
  socket.unsubscribe(a); // a transmit; the server processes it before the next request (per-socket order)
  assert.deepEqual(await socket.invoke('conformance.subscriptions'), [b]);
});

// ---------------------------------------------------------------- middleware
check('blocked channel: subscribe fails with BlockedByConformanceError', async () => {
  let socket = await connected();
  let channelName = `conformance.blocked.${name('x')}`;
  let channel = socket.subscribe(channelName);
  let failure = await channel.listener('subscribeFail').once(WAIT_MS);
  assertError(failure.error, 'BlockedByConformanceError', `Channel ${channelName} is blocked by the conformance fixture`);
  assert.equal(socket.getChannelState(channelName), 'unsubscribed', 'the client drops a failed channel');
  assert.ok(!(await socket.invoke('conformance.subscriptions')).includes(channelName));
});

check('blocked channel: invokePublish fails with BlockedByConformanceError and nothing is published', async () => {
  let socket = await connected();
  let channelName = `conformance.blocked.${name('x')}`;
  let error = await rejection(socket.invokePublish(channelName, 'nope'));
  assertError(error, 'BlockedByConformanceError', `Channel ${channelName} is blocked by the conformance fixture`);
});

check('silent channel: subscribe fails with SilentMiddlewareBlockedError', async () => {
  let socket = await connected();
  let channelName = `conformance.silent.${name('x')}`;
  let channel = socket.subscribe(channelName);
  let failure = await channel.listener('subscribeFail').once(WAIT_MS);
  assertError(failure.error, 'SilentMiddlewareBlockedError', 'The subscribe AGAction was blocked by inbound middleware');
  assert.equal(failure.error.type, 'inbound');
});

check('silent channel: invokePublish fails with SilentMiddlewareBlockedError', async () => {
  let socket = await connected();
  let channelName = `conformance.silent.${name('x')}`;
  let error = await rejection(socket.invokePublish(channelName, 'nope'));
  assertError(error, 'SilentMiddlewareBlockedError', 'The publishIn AGAction was blocked by inbound middleware');
  assert.equal(error.type, 'inbound');
});

check('rejected handshake: SilentMiddlewareBlockedError, statusCode 4008, close 4008', async () => {
  let socket = connect({query: {conformanceRejectHandshake: '1'}});
  let errors = collect(socket.listener('error'));
  let abort = await socket.listener('connectAbort').once(WAIT_MS);
  assert.equal(abort.code, 4008);
  let items = await errors.waitFor(1);
  let handshakeError = items[0].error;
  assertError(handshakeError, 'SilentMiddlewareBlockedError', 'The handshakeSC AGAction was blocked by handshake middleware');
  assert.equal(handshakeError.statusCode, 4008);
  assert.equal(handshakeError.type, 'handshake');
  assert.equal(socket.state, 'closed');
});

// ---------------------------------------------------------------- arguments, unknown procedures, disconnect
check('argument errors are InvalidArgumentsError with the documented messages', async () => {
  let socket = await connected();
  let expectations = [
    ['conformance.received', undefined, 'conformance.received expects {event: string}'],
    ['conformance.transmit', {data: 1}, 'conformance.transmit expects {event: string, data?: any}'],
    ['conformance.invoke', {procedure: 7}, 'conformance.invoke expects {procedure: string, data?: any, ackTimeout?: number}'],
    ['conformance.publish', {channel: null}, 'conformance.publish expects {channel: string, data?: any, ack?: boolean}'],
    ['conformance.setAuthToken', 'alice', 'conformance.setAuthToken expects a JSON object payload'],
    ['conformance.login', {}, 'conformance.login expects {username: string}'],
    ['conformance.kickOut', [], 'conformance.kickOut expects {channel: string, message?: any}'],
    ['conformance.disconnect', {code: 1234}, 'conformance.disconnect expects {code?: number, reason?: string}']
  ];
  for (let [procedure, data, message] of expectations) {
    let error = await rejection(socket.invoke(procedure, data));
    assertError(error, 'InvalidArgumentsError', message);
  }
  assert.equal(socket.state, 'open', 'bad arguments do not close the connection');
});

check('an unknown procedure gets no response (the caller times out)', async () => {
  let socket = await connected();
  let error = await rejection(socket.invoke(name('conformance.noSuchProcedure'), 1, {ackTimeout: 500}));
  assert.equal(error.name, 'TimeoutError');
});

check('conformance.disconnect: responds, then closes with the custom code and reason', async () => {
  let socket = await connected();
  let disconnected = socket.listener('disconnect').once(WAIT_MS);
  assert.equal(await socket.invoke('conformance.disconnect', {code: 4321, reason: 'custom reason'}), undefined);
  let event = await disconnected;
  assert.equal(event.code, 4321);
  assert.equal(event.reason, 'custom reason');
  assert.equal(socket.state, 'closed');
});

check('conformance.disconnect without data closes with 1000', async () => {
  let socket = await connected();
  let disconnected = socket.listener('disconnect').once(WAIT_MS);
  await socket.invoke('conformance.disconnect');
  assert.equal((await disconnected).code, 1000);
});

check('client disconnect with a custom code; the server keeps serving new sockets', async () => {
  let socket = await connected();
  let closed = socket.listener('close').once(WAIT_MS);
  socket.disconnect(4123, 'client bye');
  let event = await closed;
  assert.equal(event.code, 4123);
  let again = await connected();
  assert.equal(await again.invoke('customProc'), 'Success');
});

// ---------------------------------------------------------------- run
let passed = 0;
let failed = 0;
for (let {title, fn} of checks) {
  if (only && !title.includes(only)) continue;
  try {
    await fn();
    passed++;
    process.stdout.write(`ok - ${title}\n`);
  } catch (error) {
    failed++;
    let detail = (error && error.message ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 600);
    process.stdout.write(`not ok - ${title}: ${detail}\n`);
  }
}
for (let socket of sockets) {
  try {
    socket.disconnect();
    socket.killAllListeners();
  } catch (e) {
    // best effort cleanup
  }
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
