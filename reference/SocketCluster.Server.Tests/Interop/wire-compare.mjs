#!/usr/bin/env node
// Wire parity: sends the same raw frames to the official server (the Node fixture on socketcluster-server
// 20.0.1) and to the C# sample, and prints one JSON line per scenario with what each sent back (socket ids,
// tokens and dates normalised). The xunit test compares them.
// Usage: node wire-compare.mjs <js-client-fixtures dir> <official ws url> <csharp ws url>
import {createRequire} from 'node:module';
import path from 'node:path';

const [fixturesDir, officialUrl, csharpUrl] = process.argv.slice(2);
if (!fixturesDir || !officialUrl || !csharpUrl) {
  process.stderr.write('usage: node wire-compare.mjs <js-client-fixtures dir> <official ws url> <csharp ws url>\n');
  process.exit(2);
}
const require = createRequire(path.join(path.resolve(fixturesDir), 'package.json'));
const WebSocket = require('ws');
const jwt = require('jsonwebtoken');

const KEY = 'socketcluster-conformance-fixture-auth-key-v1';
const now = Math.floor(Date.now() / 1000);
const good = jwt.sign({username: 'bob'}, KEY);
const expired = jwt.sign({username: 'bob', exp: now - 100}, KEY);
const notYet = jwt.sign({username: 'bob', nbf: now + 1000}, KEY);
const otherKey = jwt.sign({username: 'bob'}, KEY + '-other');
const S = (o) => JSON.stringify(o);
const hs = (token) => S({event: '#handshake', data: {authToken: token === undefined ? null : token}, cid: 1});

// unordered: responses of concurrently handled requests may leave in any order (spec/fixture-app.md §1).
const scenarios = [
  {name: 'handshake', frames: [hs()]},
  {name: 'handshake without cid', frames: [S({event: '#handshake', data: {}})]},
  {name: 'handshake with a string cid', frames: [S({event: '#handshake', data: {}, cid: '1'})]},
  {name: 'event before the handshake', frames: [S({event: 'x', data: 1})]},
  {name: 'pong before the handshake', frames: ['']},
  {name: 'raw text before the handshake', frames: ['hello']},
  {name: 'response before the handshake', frames: [S({rid: 1})]},
  {name: 'empty binary frame before the handshake', frames: [Buffer.alloc(0)]},
  {name: 'valid token', frames: [hs(good)]},
  {name: 'expired token', frames: [hs(expired)]},
  {name: 'token not active yet', frames: [hs(notYet)]},
  {name: 'token signed with another key', frames: [hs(otherKey)]},
  {name: 'malformed token', frames: [hs('abc.def')]},
  {name: 'junk token', frames: [hs('a.b.c')]},
  {name: 'non-string token', frames: [hs(12345)]},
  {name: '#authenticate rows', frames: [hs(), S({event: '#authenticate', data: good, cid: 2}), S({event: '#authenticate', data: expired, cid: 3}),
    S({event: '#authenticate', data: notYet, cid: 4}), S({event: '#authenticate', data: null, cid: 5}), S({event: '#authenticate', data: 12345, cid: 6}),
    S({event: '#authenticate', data: 'x.y', cid: 7}), S({event: '#authenticate', data: otherKey, cid: 8}), S({event: '#authenticate', cid: 9}),
    S({event: '#authenticate', data: '', cid: 10})]},
  {name: '#authenticate without cid', frames: [hs(), S({event: '#authenticate', data: good})]},
  {name: 'subscribe, publish, unsubscribe', frames: [hs(), S({event: '#subscribe', data: {channel: 'a'}, cid: 2}),
    S({event: '#publish', data: {channel: 'a', data: 'x'}, cid: 3}), S({event: '#publish', data: {channel: 'a'}}),
    S({event: '#unsubscribe', data: 'a', cid: 4}), S({event: '#unsubscribe', data: 'a', cid: 5}), S({event: '#unsubscribe', data: 'a'})]},
  {name: 'malformed pub/sub', frames: [hs(), S({event: '#subscribe', data: [null], cid: 2}), S({event: '#subscribe', data: {channel: {}}, cid: 3}),
    S({event: '#subscribe', data: null, cid: 4}), S({event: '#unsubscribe', data: [null], cid: 5}), S({event: '#publish', data: null, cid: 6}),
    S({event: '#publish', data: {channel: {}}, cid: 7}), S({event: '#publish', data: {channel: null}, cid: 8}), S({event: '#subscribe', cid: 9}),
    S({event: '#unsubscribe', cid: 10})]},
  {name: 'subscribe without cid', frames: [hs(), S({event: '#subscribe', data: {channel: 'nocid'}}),
    S({event: 'conformance.publish', data: {channel: 'nocid', data: 1, ack: true}, cid: 2})]},
  {name: 'blocked and silent channels', frames: [hs(), S({event: '#subscribe', data: {channel: 'conformance.blocked.a'}, cid: 2}),
    S({event: '#subscribe', data: {channel: 'conformance.silent.a'}, cid: 3}), S({event: '#publish', data: {channel: 'conformance.silent.a', data: 1}, cid: 4}),
    S({event: '#publish', data: {channel: 'conformance.blocked.a', data: 1}, cid: 5})]},
  {name: 'requests', unordered: true, frames: [hs(), S({event: 'customProc', data: {foo: 1}, cid: 2}), S({event: 'customProc', data: {bad: 1}, cid: 3}),
    S({event: 'conformance.echo', cid: 4}), S({event: 'conformance.echo', data: null, cid: 5}), S({event: 'customProc', cid: '6'}),
    S({event: 'conformance.received', data: {event: 'customProc'}, cid: 7}), S({event: 'conformance.received', cid: 8}), S({event: 'noSuchProc', cid: 9})]},
  {name: 'batch', frames: [hs(), S([{event: 'conformance.echo', data: 1, cid: 2}, {event: 'x'}, 5, {event: 'conformance.echo', data: 2, cid: 3}])]},
  {name: 'raw and odd frames after the handshake', frames: [hs(), 'not json', '{bad json', '[1,2', '123', S({rid: 99}), S({foo: 1}),
    S({event: 5, cid: 2}), '   {"event":"conformance.echo","data":"ws","cid":3}']},
  {name: 'server transmit', frames: [hs(), S({event: 'conformance.transmit', data: {event: 'hello', data: 'world'}, cid: 2}),
    S({event: 'conformance.transmit', data: {event: 'nodata'}, cid: 3}), S({event: 'conformance.transmit', data: {event: '#x'}, cid: 4})]},
  {name: 'server invoke', frames: [hs(), S({event: 'conformance.invoke', data: {procedure: 'p', data: 5}, cid: 2}), S({rid: 1, data: 10})]},
  {name: 'kick out', frames: [hs(), S({event: '#subscribe', data: {channel: 'k'}, cid: 2}),
    S({event: 'conformance.kickOut', data: {channel: 'k', message: 'bye'}, cid: 3}), S({event: 'conformance.kickOut', data: {channel: 'k'}, cid: 4})]},
  {name: 'deauthenticate', unordered: true, frames: [hs(good), S({event: 'conformance.deauthenticate', cid: 2}), S({event: '#removeAuthToken', cid: 3}),
    S({event: 'conformance.authState', cid: 4})]},
  {name: 'disconnect with code and reason', frames: [hs(), S({event: 'conformance.disconnect', data: {code: 4321, reason: 'custom reason'}, cid: 2})]},
  {name: 'rejected handshake', query: '?conformanceRejectHandshake=1', frames: [hs()]},
  {name: 'binary frame after the handshake', frames: [hs(), Buffer.from(S({event: 'conformance.echo', data: 'bin', cid: 2}))]},
  {name: 'legacy #disconnect is a transmit', frames: [hs(), S({event: '#disconnect', data: {code: 4000}}),
    S({event: 'conformance.received', data: {event: '#disconnect'}, cid: 2})]},
];

function normalise(text) {
  return text
    .replace(/"(id|socketId)":"[A-Za-z0-9_-]{20}"/g, '"$1":"<id>"')
    .replace(/Socket [A-Za-z0-9_-]{20}/g, 'Socket <id>')
    .replace(/eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g, '<jwt>')
    .replace(/"(expiry|date)":"[^"]+"/g, '"$1":"<date>"')
    .replace(/"(iat|exp)":\d+/g, '"$1":<n>');
}

// After a scenario's frames a sentinel request goes out; each socket processes its messages in order, so its
// response marks the end of the scenario's own responses (whatever the load). Frames sent shortly after it
// (a queued transmit) are still collected during a quiet period. A close ends the scenario at once.
const SENTINEL_CID = 999999;
const SENTINEL = S({event: 'conformance.echo', data: 'sentinel', cid: SENTINEL_CID});
const QUIET_MS = 500;
const LIMIT_MS = 20000;

function run(url, scenario) {
  return new Promise((resolve) => {
    const out = [];
    const started = Date.now();
    let finished = false;
    let quietTimer = null;
    const ws = new WebSocket(url + (scenario.query || ''));
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(limit);
      clearTimeout(quietTimer);
      ws.terminate();
      resolve({frames: scenario.unordered ? out.slice().sort() : out, ms: Date.now() - started});
    };
    let sentinelSeen = false;
    const quiet = () => {
      clearTimeout(quietTimer);
      if (sentinelSeen) quietTimer = setTimeout(finish, QUIET_MS);
    };
    ws.on('open', () => {
      for (const frame of scenario.frames) ws.send(frame, {binary: Buffer.isBuffer(frame)});
      ws.send(SENTINEL);
    });
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      if (!isBinary && (text === '' || text === '#1')) return; // pings
      if (text === `{"rid":${SENTINEL_CID},"data":"sentinel"}`) sentinelSeen = true;
      else out.push(normalise(text));
      quiet();
    });
    ws.on('close', (code, reason) => {
      if (finished) return;
      out.push(`CLOSE ${code} "${reason}"`);
      finish();
    });
    ws.on('error', (e) => out.push('ERROR ' + e.message));
    const limit = setTimeout(() => { out.push('TIMEOUT (no sentinel response, no close)'); finish(); }, LIMIT_MS);
  });
}

const results = await Promise.all(scenarios.map(async (scenario) => {
  const [official, csharp] = await Promise.all([run(officialUrl, scenario), run(csharpUrl, scenario)]);
  return {name: scenario.name, official: official.frames, csharp: csharp.frames, csharpMs: csharp.ms};
}));
for (const result of results) process.stdout.write(JSON.stringify(result) + '\n');
