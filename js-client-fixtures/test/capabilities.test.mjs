// The fixture's optional capabilities (spec/fixture-app.md §2.1): delayed handshakes, setAuthToken inside
// HANDSHAKE_SC, PUBLISH_IN rewriting on conformance.intercept.*. Checked with the official clients.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {startFixture} from './helpers.mjs';

const require = createRequire(import.meta.url);
const clients = {
  'fixture-server.js': {lib: require('socketcluster-client'), protocolVersion: 2},
  'fixture-server-v14.js': {lib: require('socketcluster-client'), protocolVersion: 1}
};

const HANDSHAKE_DELAY_MS = 2000;

function create(script, port, query) {
  let {lib, protocolVersion} = clients[script];
  return lib.create({hostname: '127.0.0.1', port, path: '/socketcluster/', protocolVersion, autoReconnect: false,
    ...(query ? {query} : {})});
}

async function connected(client) {
  let started = Date.now();
  let status = await client.listener('connect').once(20000);
  return {status, afterMs: Date.now() - started};
}

async function withFixture(script, body, args = []) {
  let fixture = await startFixture(script, args);
  let made = [];
  try {
    await body(fixture.port, (query) => {
      let client = create(script, fixture.port, query);
      made.push(client);
      return client;
    });
  } finally {
    for (let client of made) client.disconnect();
    await fixture.stop();
  }
}

for (let script of Object.keys(clients)) {
  test(`${script}: conformance.hello advertises its capabilities`, async () => {
    await withFixture(script, async (port, client) => {
      let socket = client();
      await connected(socket);
      let hello = await socket.invoke('conformance.hello');
      let expected = script === 'fixture-server.js'
        ? ['delayHandshake', 'setAuthTokenInHandshake', 'interceptPublish']
        : ['delayHandshake', 'interceptPublish'];
      assert.deepEqual(hello.capabilities, expected);
    });
  });

  for (let phase of ['ws', 'sc']) {
    // 14.x closes a connecting socket with 4009 when the client answers a ping during a delayed HANDSHAKE_SC
    // (20.x queues the pong behind the handshake): the v14 check pings less often than the delay.
    let args = script === 'fixture-server-v14.js' && phase === 'sc' ? ['--ping-interval', '5000', '--ping-timeout', '10000'] : [];
    test(`${script} ${args.join(' ')}: conformanceDelayHandshake=${phase} delays only that client`, async () => {
      await withFixture(script, async (port, client) => {
        let delayed = client({conformanceDelayHandshake: phase});
        let delayedConnect = connected(delayed);
        let prompt = client();
        let {afterMs} = await connected(prompt);
        assert.ok(afterMs < HANDSHAKE_DELAY_MS, `the other client took ${afterMs} ms`);
        assert.equal(delayed.state, delayed.CONNECTING);
        let {status, afterMs: delayedMs} = await delayedConnect;
        assert.equal(status.isAuthenticated, false);
        assert.ok(delayedMs >= HANDSHAKE_DELAY_MS - 100, `connected after ${delayedMs} ms`);
      }, args);
    });
  }

  test(`${script}: a PUBLISH_IN on conformance.intercept.* is rewritten for every subscriber`, async () => {
    await withFixture(script, async (port, client) => {
      let subscriber = client();
      let publisher = client();
      await Promise.all([connected(subscriber), connected(publisher)]);
      let channel = subscriber.subscribe('conformance.intercept.x');
      await channel.listener('subscribe').once(10000);
      let received = [];
      (async () => { for await (let data of channel) received.push(data); })();
      await publisher.invokePublish('conformance.intercept.x', 'world');
      publisher.transmitPublish('conformance.intercept.x', {a: 1});
      publisher.transmitPublish('conformance.intercept.x');
      // Exchange publishes skip PUBLISH_IN: unchanged.
      await publisher.invoke('conformance.publish', {channel: 'conformance.intercept.x', data: 'direct', ack: true});
      let deadline = Date.now() + 10000;
      while (received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(received, [{intercepted: 'world'}, {intercepted: {a: 1}}, {intercepted: null}, 'direct']);
    });
  });
}

test('fixture-server-v14.js: a client answering a ping during a delayed HANDSHAKE_SC is closed with 4009', async () => {
  await withFixture('fixture-server-v14.js', async (port, client) => {
    let delayed = client({conformanceDelayHandshake: 'sc'});
    let {code} = await delayed.listener('close').once(20000);
    assert.equal(code, 4009);
  });
});

test('fixture-server.js: setAuthToken inside HANDSHAKE_SC is refused, the client connects unauthenticated', async () => {
  await withFixture('fixture-server.js', async (port, client) => {
    let socket = client({conformanceSetAuthTokenInHandshake: '1'});
    let {status} = await connected(socket);
    assert.equal(status.isAuthenticated, false);
    assert.equal(socket.authToken, null);
    assert.deepEqual(await socket.invoke('conformance.handshakeSetAuthTokenOutcome'),
      {error: {name: 'InvalidActionError', message: 'Cannot call setAuthToken before completing the handshake'}});
    assert.deepEqual(await socket.invoke('conformance.authState'), {authState: 'unauthenticated', authToken: null});
    let plain = client();
    await connected(plain);
    assert.equal(await plain.invoke('conformance.handshakeSetAuthTokenOutcome'), null);
  });
});
