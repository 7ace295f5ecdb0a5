#!/usr/bin/env node
'use strict';
// Node fixture server: the fixture-app contract (spec/fixture-app.md) on the official socketcluster-server 20.0.1.
// Usage: see lib/cli.js (USAGE) and spec/fixture-app.md.

const http = require('http');
const socketClusterServer = require('socketcluster-server');
const serverPackage = require('socketcluster-server/package.json');
const cli = require('./lib/cli');
const contract = require('./lib/contract');

const config = cli.parseArgsOrExit(process.argv.slice(2), process.env);
cli.keepAlive(cli.log);
cli.exitWhenStdinCloses();

const httpServer = http.createServer(cli.handleHttpRequest);
const agServer = socketClusterServer.attach(httpServer, {
  path: '/socketcluster/',
  protocolVersion: config.protocolVersion,
  pingInterval: config.pingInterval,
  pingTimeout: config.pingTimeout,
  ackTimeout: config.ackTimeout,
  handshakeTimeout: config.handshakeTimeout,
  pingTimeoutDisabled: config.pingTimeoutDisabled,
  strictHandshake: config.strictHandshake,
  batchOnHandshake: config.batchOnHandshake,
  ...(config.batchOnHandshakeDuration ? {batchOnHandshakeDuration: config.batchOnHandshakeDuration} : {}),
  ...(config.batchInterval ? {batchInterval: config.batchInterval} : {}),
  authKey: config.authKey
});

// A node of an official cluster (SCC, js-cluster-fixtures/): with SCC_STATE_SERVER_HOST set, the broker engine joins the
// cluster through scc-broker-client, loaded from SCC_BROKER_CLIENT_MODULE (it is not one of this folder's pinned packages).
if (process.env.SCC_STATE_SERVER_HOST) {
  const sccBrokerClient = require(process.env.SCC_BROKER_CLIENT_MODULE || 'scc-broker-client');
  sccBrokerClient.attach(agServer.brokerEngine, {
    stateServerHost: process.env.SCC_STATE_SERVER_HOST,
    stateServerPort: Number(process.env.SCC_STATE_SERVER_PORT) || 7777,
    // Without an instanceId the node cannot tell its own publications coming back from the broker and delivers them twice.
    instanceId: require('crypto').randomUUID(),
    instancePort: config.port,
    brokerRetryDelay: 200,
    stateServerReconnectRandomness: 100
  });
}

const recorders = new WeakMap(); // server socket -> TransmitRecorder
const handshakeAuthOutcomes = new WeakMap(); // server socket -> outcome of setAuthToken inside HANDSHAKE_SC

function recorderOf(socket) {
  let recorder = recorders.get(socket);
  if (!recorder) {
    recorder = new contract.TransmitRecorder();
    recorders.set(socket, recorder);
  }
  return recorder;
}

// Errors and warnings go to stderr; stdout carries only the LISTENING line.
(async () => {
  for await (let {error} of agServer.listener('error')) cli.log(`server error: ${error && error.message}`);
})();
(async () => {
  for await (let {warning} of agServer.listener('warning')) {
    if (config.verbose) cli.log(`warning: ${warning && warning.name}: ${warning && warning.message}`);
  }
})();

// Known-good server only (client scenarios for HS-010; not part of the fixture-app contract): a handshake whose query
// has conformanceHandshakeError=<statusCode> is refused with ConformanceHandshakeError carrying that statusCode, and
// conformanceHandshakeError=none with one that carries no statusCode on the wire (the server still needs a code to
// close with: a non-enumerable statusCode is not serialised by dehydrateError). Either way the server closes with 4008.
const HANDSHAKE_ERROR_QUERY = 'conformanceHandshakeError';
const HANDSHAKE_REJECTION_CLOSE_CODE = 4008;
function handshakeErrorOf(url) {
  let value;
  try {
    value = new URL(url || '', 'http://127.0.0.1').searchParams.get(HANDSHAKE_ERROR_QUERY);
  } catch (e) {
    return null;
  }
  if (value === null) return null;
  let error = new Error(`Handshake refused by the fixture (${HANDSHAKE_ERROR_QUERY}=${value})`);
  error.name = 'ConformanceHandshakeError';
  if (value === 'none') {
    Object.defineProperty(error, 'statusCode', {value: HANDSHAKE_REJECTION_CLOSE_CODE, writable: true, enumerable: false});
    return error;
  }
  let statusCode = Number(value);
  if (!Number.isInteger(statusCode) || statusCode < 4000 || statusCode > 4999) {
    cli.log(`${HANDSHAKE_ERROR_QUERY}: not a close code 4000-4999 or "none": ${value}`);
    return null;
  }
  error.statusCode = statusCode;
  return error;
}

// One stream per upgrade request (HANDSHAKE_WS, then HANDSHAKE_SC), so waiting here delays only that client.
agServer.setMiddleware(agServer.MIDDLEWARE_HANDSHAKE, async (stream) => {
  for await (let action of stream) {
    let url = action.request && action.request.url;
    let phase = action.type === action.HANDSHAKE_WS ? 'ws' : 'sc';
    if (contract.handshakeDelayPhase(url) === phase) await contract.delay(contract.HANDSHAKE_DELAY_MS);
    if (action.type === action.HANDSHAKE_SC && contract.shouldRejectHandshake(url)) {
      action.block(); // silent: SilentMiddlewareBlockedError, statusCode 4008, close 4008
      continue;
    }
    let chosen = action.type === action.HANDSHAKE_SC ? handshakeErrorOf(url) : null;
    if (chosen) {
      // The server closes with its own rejection code 4008 whatever the error says, so a client passes HS-010 only
      // when it takes its close code from the error (statusCode, or 4003 without one), not from the server's close.
      let socket = action.socket;
      let disconnect = socket.disconnect;
      socket.disconnect = (code, reason) => disconnect.call(socket, HANDSHAKE_REJECTION_CLOSE_CODE, reason);
      action.block(chosen);
      continue;
    }
    if (action.type === action.HANDSHAKE_SC && contract.shouldSetAuthTokenInHandshake(url)) {
      // The official server refuses this (the socket is still connecting): the outcome is kept for the client.
      try {
        await action.socket.setAuthToken({...contract.HANDSHAKE_AUTH_PAYLOAD});
        handshakeAuthOutcomes.set(action.socket, {token: action.socket.signedAuthToken});
      } catch (error) {
        handshakeAuthOutcomes.set(action.socket, {error: contract.errorToJson(error)});
      }
    }
    action.allow();
  }
});

agServer.setMiddleware(agServer.MIDDLEWARE_INBOUND, async (stream) => {
  for await (let action of stream) {
    if (action.type === action.TRANSMIT) {
      // Absent data arrives as undefined (the server sets action.data only when the packet had it).
      recorderOf(action.socket).record(action.receiver, action.data !== undefined, action.data);
      action.allow();
      continue;
    }
    if (action.type === action.SUBSCRIBE || action.type === action.PUBLISH_IN) {
      let policy = contract.channelPolicy(action.channel);
      if (policy === 'blocked') {
        action.block(contract.blockedError(action.channel));
        continue;
      }
      if (policy === 'silent') {
        action.block();
        continue;
      }
      if (policy === 'intercept' && action.type === action.PUBLISH_IN) {
        action.allow({data: contract.interceptedData(action.data)});
        continue;
      }
    }
    action.allow();
  }
});

function adapterFor(socket) {
  return {
    recorder: recorderOf(socket),
    hello: () => ({
      contract: contract.CONTRACT_VERSION,
      implementation: `socketcluster-server@${serverPackage.version} (node fixture)`,
      protocolVersion: config.protocolVersion,
      pingInterval: config.pingInterval,
      pingTimeout: config.pingTimeout,
      ackTimeout: config.ackTimeout,
      handshakeTimeout: config.handshakeTimeout,
      pingTimeoutDisabled: config.pingTimeoutDisabled,
      strictHandshake: config.strictHandshake,
      batchOnHandshake: config.batchOnHandshake,
      capabilities: contract.CAPABILITIES,
      socketId: socket.id
    }),
    transmit: (event, data, hasData) => socket.transmit(event, hasData ? data : undefined),
    invoke: (procedure, data, hasData, ackTimeout) =>
      socket.invoke(procedure, hasData ? data : undefined, ackTimeout == null ? undefined : {ackTimeout}),
    exchangePublish: async (channel, data, ack) => {
      if (ack) {
        await agServer.exchange.invokePublish(channel, data);
      } else {
        agServer.exchange.transmitPublish(channel, data);
      }
    },
    setAuthToken: async (payload) => {
      await socket.setAuthToken(payload);
      return socket.signedAuthToken;
    },
    deauthenticate: () => socket.deauthenticate(),
    authState: () => ({authState: socket.authState, authToken: socket.authToken == null ? null : socket.authToken}),
    kickOut: (channel, message, hasMessage) => socket.kickOut(channel, hasMessage ? message : undefined),
    subscriptions: () => socket.subscriptions(),
    handshakeSetAuthTokenOutcome: () => handshakeAuthOutcomes.get(socket) || null,
    disconnect: (code, reason) => socket.disconnect(code, reason)
  };
}

function serveProcedure(socket, ctx, name) {
  (async () => {
    for await (let request of socket.procedure(name)) {
      // Not awaited: a slow call (conformance.invoke) must not hold back later calls of the same procedure.
      contract.runHandler(name, ctx, request.data, request.data !== undefined,
        (hasData, data) => (hasData ? request.end(data) : request.end()),
        (error) => request.error(error),
        cli.log);
    }
  })();
}

(async () => {
  for await (let {socket} of agServer.listener('connection')) {
    let ctx = adapterFor(socket);
    // The seed's receiver: consumed like in the Basic-usage guide; recording happens in the middleware.
    (async () => {
      for await (let data of socket.receiver('customRemoteEvent')) { void data; }
    })();
    for (let name of contract.PROCEDURE_NAMES) serveProcedure(socket, ctx, name);
  }
})();

httpServer.on('error', (error) => {
  cli.log(`http server error: ${error.message}`);
  process.exit(1);
});
httpServer.listen(config.port, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});
