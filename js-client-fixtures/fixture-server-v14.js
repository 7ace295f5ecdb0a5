#!/usr/bin/env node
'use strict';
// Protocol v1 fixture: the fixture-app contract (spec/fixture-app.md) on socketcluster-server 14.7.2
// (npm alias socketcluster-server-v14). The v14 API is emitter/callback based; differences forced by it are
// listed in README.md ("v14 fixture").
// Usage: node fixture-server-v14.js [--port 0] [--protocol 1] [--ping-interval ms] [--ping-timeout ms]
//                                   [--ack-timeout ms] [--handshake-timeout ms] [--ping-timeout-disabled]
//                                   [--no-strict-handshake] [--auth-key K] [--official-defaults] [--verbose]

const http = require('http');
const socketClusterServer = require('socketcluster-server-v14');
const serverPackage = require('socketcluster-server-v14/package.json');
const cli = require('./lib/cli');
const contract = require('./lib/contract');

const config = cli.parseArgsOrExit(process.argv.slice(2), process.env, {allowedProtocols: [1], defaultProtocol: 1});
if (!process.argv.includes('--ping-timeout') && process.argv.includes('--official-defaults')) {
  config.pingTimeout = 20000; // the 14.x default (30000 is the 19.2+ default)
}
// 14.x has no socket-wide batching: refuse the flags instead of ignoring them silently.
if (config.batchOnHandshake || config.batchOnHandshakeDuration || config.batchInterval) {
  process.stderr.write('fixture-server-v14: socketcluster-server 14.x has no batchOnHandshake/batchInterval options\n');
  process.exit(2);
}
cli.keepAlive(cli.log);
cli.exitWhenStdinCloses();

const httpServer = http.createServer(cli.handleHttpRequest);
const scServer = socketClusterServer.attach(httpServer, {
  path: '/socketcluster/',
  pingInterval: config.pingInterval,
  pingTimeout: config.pingTimeout,
  ackTimeout: config.ackTimeout,
  handshakeTimeout: config.handshakeTimeout,
  pingTimeoutDisabled: config.pingTimeoutDisabled,
  strictHandshake: config.strictHandshake,
  authKey: config.authKey
});

// Node EventEmitter: an unhandled 'error' would throw, so both are always consumed.
scServer.on('error', (error) => cli.log(`server error: ${error && error.name}: ${error && error.message}`));
scServer.on('warning', (warning) => {
  if (config.verbose) cli.log(`warning: ${warning && warning.name}: ${warning && warning.message}`);
});

// 14.x runs handshake middleware per request (callbacks), so a delay holds back only that client.
scServer.addMiddleware(scServer.MIDDLEWARE_HANDSHAKE_WS, (req, next) => {
  if (contract.handshakeDelayPhase(req.url) === 'ws') setTimeout(() => next(), contract.HANDSHAKE_DELAY_MS);
  else next();
});

scServer.addMiddleware(scServer.MIDDLEWARE_HANDSHAKE_SC, (req, next) => {
  let url = req.socket && req.socket.request && req.socket.request.url;
  let decide = () => next(contract.shouldRejectHandshake(url) ? true : undefined); // true = silent block, status 4008
  if (contract.handshakeDelayPhase(url) === 'sc') setTimeout(decide, contract.HANDSHAKE_DELAY_MS);
  else decide();
});

function channelMiddleware(req, next) {
  let policy = contract.channelPolicy(req.channel);
  if (policy === 'blocked') {
    next(contract.blockedError(req.channel));
  } else if (policy === 'silent') {
    next(true);
  } else {
    next();
  }
}
scServer.addMiddleware(scServer.MIDDLEWARE_SUBSCRIBE, channelMiddleware);
scServer.addMiddleware(scServer.MIDDLEWARE_PUBLISH_IN, (req, next) => {
  // 14.x publishes whatever req.data holds once the middleware calls next().
  if (contract.channelPolicy(req.channel) === 'intercept') req.data = contract.interceptedData(req.data);
  channelMiddleware(req, next);
});

function callbackPromise(start) {
  return new Promise((resolve, reject) => start((error, data) => (error ? reject(error) : resolve(data))));
}

function adapterFor(socket, recorder) {
  return {
    recorder,
    hello: () => ({
      contract: contract.CONTRACT_VERSION,
      implementation: `socketcluster-server@${serverPackage.version} (node fixture v14)`,
      protocolVersion: 1,
      pingInterval: config.pingInterval,
      pingTimeout: config.pingTimeout,
      ackTimeout: config.ackTimeout,
      handshakeTimeout: config.handshakeTimeout,
      pingTimeoutDisabled: config.pingTimeoutDisabled,
      strictHandshake: config.strictHandshake,
      // No setAuthTokenInHandshake: 14.x has no connecting-state check to exercise (see spec/fixture-app.md §9).
      capabilities: contract.CAPABILITIES.filter((c) => c !== 'setAuthTokenInHandshake'),
      socketId: socket.id
    }),
    transmit: (event, data, hasData) => socket.emit(event, hasData ? data : undefined),
    // 14.x has no per-call ackTimeout: the server-wide ackTimeout applies.
    invoke: (procedure, data, hasData) =>
      callbackPromise((cb) => socket.emit(procedure, hasData ? data : undefined, cb)),
    exchangePublish: async (channel, data, ack) => {
      if (ack) {
        await callbackPromise((cb) => scServer.exchange.publish(channel, data, cb));
      } else {
        scServer.exchange.publish(channel, data);
      }
    },
    setAuthToken: (payload) => new Promise((resolve, reject) => {
      // Without a callback 14.x transmits #setAuthToken (with one it would send a request).
      socket.setAuthToken(payload);
      let settle = () => {
        if (socket.state === socket.OPEN && typeof socket.signedAuthToken === 'string') {
          resolve(socket.signedAuthToken);
        } else {
          reject(contract.namedError('AuthError', 'Failed to sign the auth token'));
        }
      };
      if (typeof socket.signedAuthToken === 'string') settle(); else setImmediate(settle);
    }),
    deauthenticate: async () => { socket.deauthenticate(); },
    authState: () => ({authState: socket.authState, authToken: socket.authToken == null ? null : socket.authToken}),
    kickOut: async (channel, message, hasMessage) => {
      if (!socket.isSubscribed(channel)) {
        // 14.x kickOut would corrupt its subscription count for a channel it does not hold: send the frame only.
        socket.emit('#kickOut', hasMessage ? {message, channel} : {channel});
        throw contract.namedError('InvalidActionError',
          `Socket ${socket.id} tried to unsubscribe from a channel which it is not subscribed to`);
      }
      await callbackPromise((cb) => socket.kickOut(channel, hasMessage ? message : undefined, cb));
    },
    subscriptions: () => socket.subscriptions(),
    handshakeSetAuthTokenOutcome: () => null,
    // 14.x sends {"event":"#disconnect","data":{code,data:reason}} and then closes with the code only.
    disconnect: (code, reason) => socket.disconnect(code, reason)
  };
}

function decodeQuietly(socket, message) {
  try {
    return socket.decode(message);
  } catch (e) {
    return null;
  }
}

scServer.on('connection', (socket) => {
  let recorder = new contract.TransmitRecorder();
  let ctx = adapterFor(socket, recorder);

  // Record transmits (no numeric cid) from the raw frames: 14.x hands transmits and invokes to the same
  // listener and its emit middleware cannot tell them apart. v1 reserves every #-prefixed name.
  socket.on('message', (message) => {
    let decoded = decodeQuietly(socket, message);
    let packets = Array.isArray(decoded) ? decoded : [decoded];
    for (let packet of packets) {
      if (packet && typeof packet === 'object' && typeof packet.event === 'string' &&
          !packet.event.startsWith('#') && typeof packet.cid !== 'number' &&
          !(socket._localEvents && socket._localEvents[packet.event])) {
        recorder.record(packet.event, packet.data !== undefined, packet.data);
      }
    }
  });

  socket.on('error', () => {}); // already logged through the server's 'error'

  // The seed's receiver.
  socket.on('customRemoteEvent', (data) => { void data; });

  for (let name of contract.PROCEDURE_NAMES) {
    socket.on(name, (data, respond) => {
      contract.runHandler(name, ctx, data, data !== undefined,
        (hasData, value) => (hasData ? respond(null, value) : respond()),
        (error) => respond(error),
        cli.log);
    });
  }
});

httpServer.on('error', (error) => {
  cli.log(`http server error: ${error.message}`);
  process.exit(1);
});
httpServer.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});
