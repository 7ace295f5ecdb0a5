'use strict';
// The fixture-app contract (spec/fixture-app.md), written once against a small socket adapter so that the
// v20 fixture (socketcluster-server 20.0.1) and the v14 fixture (14.7.2) behave identically.

const CONTRACT_VERSION = 1;
const MAX_RECORDED_TRANSMITS = 1000;
const BLOCKED_PREFIX = 'conformance.blocked.';
const SILENT_PREFIX = 'conformance.silent.';
const REJECT_HANDSHAKE_QUERY = 'conformanceRejectHandshake';
// Optional capabilities (spec/fixture-app.md §2.1), advertised by conformance.hello in `capabilities`.
const INTERCEPT_PREFIX = 'conformance.intercept.';
const DELAY_HANDSHAKE_QUERY = 'conformanceDelayHandshake';
const HANDSHAKE_DELAY_MS = 2000;
const SET_AUTH_TOKEN_IN_HANDSHAKE_QUERY = 'conformanceSetAuthTokenInHandshake';
const HANDSHAKE_AUTH_PAYLOAD = {username: 'alice'};
const CAPABILITIES = ['delayHandshake', 'setAuthTokenInHandshake', 'interceptPublish'];

const USAGE = {
  'conformance.received': 'conformance.received expects {event: string}',
  'conformance.transmit': 'conformance.transmit expects {event: string, data?: any}',
  'conformance.invoke': 'conformance.invoke expects {procedure: string, data?: any, ackTimeout?: number}',
  'conformance.publish': 'conformance.publish expects {channel: string, data?: any, ack?: boolean}',
  'conformance.setAuthToken': 'conformance.setAuthToken expects a JSON object payload',
  'conformance.login': 'conformance.login expects {username: string}',
  'conformance.kickOut': 'conformance.kickOut expects {channel: string, message?: any}',
  'conformance.disconnect': 'conformance.disconnect expects {code?: number, reason?: string}'
};

function namedError(name, message, extra) {
  let error = new Error(message);
  error.name = name;
  // Assigning name makes it an own enumerable property, which is what dehydrateError sends.
  if (extra) Object.assign(error, extra);
  return error;
}

function argumentsError(procedure, suffix) {
  return namedError('InvalidArgumentsError', USAGE[procedure] + (suffix ? ` (${suffix})` : ''));
}

function blockedError(channel) {
  return namedError('BlockedByConformanceError', `Channel ${channel} is blocked by the conformance fixture`);
}

// 'blocked' | 'silent' | 'intercept' | null for a channel name.
function channelPolicy(channel) {
  if (typeof channel !== 'string') return null;
  if (channel.startsWith(BLOCKED_PREFIX)) return 'blocked';
  if (channel.startsWith(SILENT_PREFIX)) return 'silent';
  if (channel.startsWith(INTERCEPT_PREFIX)) return 'intercept';
  return null;
}

// What PUBLISH_IN middleware lets through instead of the data published to a conformance.intercept.* channel.
function interceptedData(data) {
  return {intercepted: data === undefined ? null : data};
}

// The first value of a query parameter of the upgrade request's URL (URLSearchParams.get), or null.
function queryValue(url, name) {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url, 'http://127.0.0.1').searchParams.get(name);
  } catch (e) {
    return null;
  }
}

function shouldRejectHandshake(url) {
  return queryValue(url, REJECT_HANDSHAKE_QUERY) === '1';
}

// 'ws' | 'sc' | null: which handshake middleware action waits HANDSHAKE_DELAY_MS before allowing.
function handshakeDelayPhase(url) {
  let value = queryValue(url, DELAY_HANDSHAKE_QUERY);
  return value === 'ws' || value === 'sc' ? value : null;
}

function shouldSetAuthTokenInHandshake(url) {
  return queryValue(url, SET_AUTH_TOKEN_IN_HANDSHAKE_QUERY) === '1';
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// JSON-safe form of an invoke failure: {name, message, ...own enumerable props} (never the stack).
function errorToJson(error) {
  if (error === null || typeof error !== 'object') {
    return error === undefined ? null : error;
  }
  let result = {name: error.name, message: error.message};
  for (let key of Object.keys(error)) {
    if (key === 'stack') continue;
    let value = error[key];
    if (typeof value === 'function') continue;
    if (value instanceof Date) value = value.toISOString();
    result[key] = value;
  }
  try {
    return JSON.parse(JSON.stringify(result));
  } catch (e) {
    return {name: String(error.name), message: String(error.message)};
  }
}

// Every event a socket transmits, in arrival order, capped to MAX_RECORDED_TRANSMITS entries.
class TransmitRecorder {
  constructor() {
    this.entries = [];
  }

  record(event, hasData, data) {
    this.entries.push(hasData ? {event, data} : {event});
    if (this.entries.length > MAX_RECORDED_TRANSMITS) this.entries.shift();
  }

  list(event, withPresence) {
    return this.entries.filter((e) => e.event === event).map((e) => {
      let present = Object.prototype.hasOwnProperty.call(e, 'data');
      if (withPresence) return present ? {data: e.data} : {};
      return present ? e.data : null;
    });
  }
}

function validCloseCode(code) {
  return Number.isInteger(code) && (code === 1000 || (code >= 3000 && code <= 4999));
}

// A handler gets (ctx, data, hasData) and resolves to {hasData, data, after?}; `after` runs once the response
// has been sent. A thrown error becomes the error response. ctx is the per-socket adapter (see the fixtures).
const handlers = {
  'customProc': async (ctx, data) => {
    if (data && data.bad) {
      throw namedError('BadCustomError', 'Server failed to execute the procedure');
    }
    return {hasData: true, data: 'Success'};
  },

  'conformance.hello': async (ctx) => ({hasData: true, data: ctx.hello()}),

  'conformance.echo': async (ctx, data, hasData) => ({hasData, data}),

  'conformance.received': async (ctx, data) => {
    if (!isPlainObject(data) || typeof data.event !== 'string') throw argumentsError('conformance.received');
    return {hasData: true, data: ctx.recorder.list(data.event, data.withPresence === true)};
  },

  'conformance.transmit': async (ctx, data) => {
    if (!isPlainObject(data) || typeof data.event !== 'string') throw argumentsError('conformance.transmit');
    if (data.event.startsWith('#')) throw argumentsError('conformance.transmit', 'event must not start with #');
    let hasPayload = Object.prototype.hasOwnProperty.call(data, 'data');
    return {hasData: false, after: () => ctx.transmit(data.event, data.data, hasPayload)};
  },

  'conformance.invoke': async (ctx, data) => {
    if (!isPlainObject(data) || typeof data.procedure !== 'string' || data.procedure.startsWith('#')) {
      throw argumentsError('conformance.invoke');
    }
    let ackTimeout = data.ackTimeout;
    if (ackTimeout != null && !(Number.isFinite(ackTimeout) && ackTimeout > 0)) {
      throw argumentsError('conformance.invoke');
    }
    let hasPayload = Object.prototype.hasOwnProperty.call(data, 'data');
    try {
      let outcome = await ctx.invoke(data.procedure, data.data, hasPayload, ackTimeout == null ? undefined : ackTimeout);
      return {hasData: true, data: outcome === undefined ? {} : {data: outcome}};
    } catch (error) {
      return {hasData: true, data: {error: errorToJson(error)}};
    }
  },

  'conformance.publish': async (ctx, data) => {
    if (!isPlainObject(data) || typeof data.channel !== 'string' ||
        (data.ack != null && typeof data.ack !== 'boolean')) {
      throw argumentsError('conformance.publish');
    }
    await ctx.exchangePublish(data.channel, data.data, data.ack === true);
    return {hasData: false};
  },

  'conformance.setAuthToken': async (ctx, data) => {
    if (!isPlainObject(data)) throw argumentsError('conformance.setAuthToken');
    return {hasData: true, data: await ctx.setAuthToken(data)};
  },

  'conformance.login': async (ctx, data) => {
    if (!isPlainObject(data) || typeof data.username !== 'string') throw argumentsError('conformance.login');
    return {hasData: true, data: await ctx.setAuthToken({username: data.username})};
  },

  'conformance.deauthenticate': async (ctx) => {
    await ctx.deauthenticate();
    return {hasData: false};
  },

  'conformance.authState': async (ctx) => ({hasData: true, data: ctx.authState()}),

  'conformance.kickOut': async (ctx, data) => {
    if (!isPlainObject(data) || typeof data.channel !== 'string') throw argumentsError('conformance.kickOut');
    let hasMessage = Object.prototype.hasOwnProperty.call(data, 'message');
    await ctx.kickOut(data.channel, data.message, hasMessage);
    return {hasData: false};
  },

  'conformance.subscriptions': async (ctx) => ({hasData: true, data: ctx.subscriptions()}),

  // null when HANDSHAKE_SC middleware made no setAuthToken call for this socket.
  'conformance.handshakeSetAuthTokenOutcome': async (ctx) => ({hasData: true, data: ctx.handshakeSetAuthTokenOutcome()}),

  'conformance.disconnect': async (ctx, data, hasData) => {
    let code = 1000;
    let reason;
    if (hasData && data !== null) {
      if (!isPlainObject(data)) throw argumentsError('conformance.disconnect');
      if (data.code != null) {
        if (!validCloseCode(data.code)) throw argumentsError('conformance.disconnect');
        code = data.code;
      }
      if (data.reason != null) {
        if (typeof data.reason !== 'string' || Buffer.byteLength(data.reason, 'utf8') > 123) {
          throw argumentsError('conformance.disconnect');
        }
        reason = data.reason;
      }
    }
    return {hasData: false, after: () => ctx.disconnect(code, reason)};
  }
};

const PROCEDURE_NAMES = Object.keys(handlers);

// Runs one request through its handler. respond(hasData, data) / fail(error) are the transport's reply calls.
async function runHandler(name, ctx, data, hasData, respond, fail, log) {
  let outcome;
  try {
    outcome = await handlers[name](ctx, data, hasData);
  } catch (error) {
    try {
      fail(error);
    } catch (e) {
      log(`${name}: could not send the error response: ${e.message}`);
    }
    return;
  }
  try {
    respond(outcome.hasData, outcome.data);
  } catch (e) {
    log(`${name}: could not send the response: ${e.message}`);
  }
  if (outcome.after) {
    try {
      await outcome.after();
    } catch (e) {
      log(`${name}: follow-up action failed: ${e && e.message}`);
    }
  }
}

module.exports = {
  CONTRACT_VERSION, MAX_RECORDED_TRANSMITS, PROCEDURE_NAMES, TransmitRecorder, CAPABILITIES, HANDSHAKE_DELAY_MS,
  HANDSHAKE_AUTH_PAYLOAD, namedError, blockedError, channelPolicy, interceptedData, shouldRejectHandshake,
  handshakeDelayPhase, shouldSetAuthTokenInHandshake, delay, errorToJson, runHandler
};
