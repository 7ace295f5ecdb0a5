'use strict';
// Command line, process lifetime and HTTP helpers shared by both Node fixture servers.

const DEFAULT_AUTH_KEY = 'socketcluster-conformance-fixture-auth-key-v1';
const MIN_AUTH_KEY_BYTES = 32; // the .NET JWT stack rejects shorter HS256 keys

// handshakeTimeout is below pingTimeout so that a silent socket is closed with 4005, not 4001.
const FIXTURE_DEFAULTS = {pingInterval: 1000, pingTimeout: 3000, ackTimeout: 2000, handshakeTimeout: 2000};
const OFFICIAL_DEFAULTS = {pingInterval: 8000, pingTimeout: 30000, ackTimeout: 10000, handshakeTimeout: 10000};

const USAGE = 'usage: node <fixture> [--port 0] [--protocol 1|2] [--ping-interval ms] [--ping-timeout ms] ' +
  '[--ack-timeout ms] [--handshake-timeout ms] [--ping-timeout-disabled] [--no-strict-handshake] ' +
  '[--batch-on-handshake] [--batch-on-handshake-duration ms] [--batch-interval ms] ' +
  '[--auth-key K] [--official-defaults] [--verbose]';

class UsageError extends Error {}

function parsePositiveInt(flag, text, {allowZero = false} = {}) {
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw new UsageError(`${flag} needs a non-negative integer, got ${JSON.stringify(text)}`);
  }
  let value = Number(text);
  if (!Number.isSafeInteger(value) || (!allowZero && value === 0)) {
    throw new UsageError(`${flag} is out of range: ${text}`);
  }
  return value;
}

// Returns {port, protocolVersion, pingInterval, pingTimeout, ackTimeout, handshakeTimeout, pingTimeoutDisabled,
// strictHandshake, batchOnHandshake, batchOnHandshakeDuration?, batchInterval?, authKey, verbose}; throws UsageError.
function parseArgs(argv, env, {allowedProtocols = [1, 2], defaultProtocol = 2} = {}) {
  let explicit = {};
  let officialDefaults = false;
  let port = 0;
  let protocolVersion = defaultProtocol;
  let authKey = env.CONFORMANCE_AUTH_KEY || DEFAULT_AUTH_KEY;
  let verbose = false;
  let switches = {pingTimeoutDisabled: false, strictHandshake: true, batchOnHandshake: false};
  let batching = {};
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let needValue = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
      return argv[++i];
    };
    switch (flag) {
      case '--port':
        port = parsePositiveInt(flag, needValue(), {allowZero: true});
        if (port > 65535) throw new UsageError(`--port is out of range: ${port}`);
        break;
      case '--protocol': {
        let v = needValue();
        if (!allowedProtocols.map(String).includes(v)) {
          throw new UsageError(`--protocol must be one of ${allowedProtocols.join(', ')}, got ${JSON.stringify(v)}`);
        }
        protocolVersion = Number(v);
        break;
      }
      case '--ping-interval': explicit.pingInterval = parsePositiveInt(flag, needValue()); break;
      case '--ping-timeout': explicit.pingTimeout = parsePositiveInt(flag, needValue()); break;
      case '--ack-timeout': explicit.ackTimeout = parsePositiveInt(flag, needValue()); break;
      case '--handshake-timeout': explicit.handshakeTimeout = parsePositiveInt(flag, needValue()); break;
      case '--ping-timeout-disabled': switches.pingTimeoutDisabled = true; break;
      case '--no-strict-handshake': switches.strictHandshake = false; break;
      case '--batch-on-handshake': switches.batchOnHandshake = true; break;
      case '--batch-on-handshake-duration': batching.batchOnHandshakeDuration = parsePositiveInt(flag, needValue()); break;
      case '--batch-interval': batching.batchInterval = parsePositiveInt(flag, needValue()); break;
      case '--auth-key': authKey = needValue(); break;
      case '--official-defaults': officialDefaults = true; break;
      case '--verbose': verbose = true; break;
      case '--help': case '-h': throw new UsageError(USAGE);
      default: throw new UsageError(`unknown argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
  }
  if (Buffer.byteLength(authKey, 'utf8') < MIN_AUTH_KEY_BYTES) {
    throw new UsageError(`the auth key must be at least ${MIN_AUTH_KEY_BYTES} bytes (UTF-8); ` +
      `got ${Buffer.byteLength(authKey, 'utf8')} (HS256 keys shorter than 32 bytes are rejected by the .NET JWT stack)`);
  }
  let timing = {...(officialDefaults ? OFFICIAL_DEFAULTS : FIXTURE_DEFAULTS), ...explicit};
  return {port, protocolVersion, authKey, verbose, ...timing, ...switches, ...batching};
}

function parseArgsOrExit(argv, env, opts) {
  try {
    return parseArgs(argv, env, opts);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`fixture: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

// The fixture must never outlive the process that started it: exit when stdin closes.
function exitWhenStdinCloses() {
  process.stdin.on('data', () => {});
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

// Never crash on bad input: log anything that escapes and keep serving.
function keepAlive(log) {
  process.on('uncaughtException', (error) => log(`uncaughtException: ${error && error.stack || error}`));
  process.on('unhandledRejection', (error) => log(`unhandledRejection: ${error && error.stack || error}`));
}

function log(message) {
  process.stderr.write(`fixture: ${message}\n`);
}

// Plain HTTP requests (WebSocket upgrades are handled by the ws server attached to the same http server).
function handleHttpRequest(req, res) {
  let path = (req.url || '').split('?')[0];
  if (req.method === 'GET' && path === '/health-check') {
    res.writeHead(200, {'Content-Type': 'text/plain'});
    res.end('OK');
    return;
  }
  res.writeHead(404, {'Content-Type': 'text/plain'});
  res.end('Not found');
}

module.exports = {
  DEFAULT_AUTH_KEY, FIXTURE_DEFAULTS, OFFICIAL_DEFAULTS, UsageError,
  parseArgs, parseArgsOrExit, exitWhenStdinCloses, keepAlive, log, handleHttpRequest
};
