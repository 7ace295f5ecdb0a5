// The Node host of driver-core.mjs against the fixtures: v20 client on the v20 fixture, v14 client on the v14 one.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {startDriver, startFixture} from './helpers.mjs';

const WAIT = 5000;

test('node driver (20.0.2) drives the v20 fixture', async () => {
  let fixture = await startFixture('fixture-server.js');
  let driver = startDriver();
  try {
    let info = await driver.call('info');
    assert.equal(info.version, '20.0.2');
    let {handle, api} = await driver.call('connect', {hostname: '127.0.0.1', port: fixture.port, autoReconnect: false});
    assert.equal(api, 'ag');
    assert.equal((await driver.call('waitForEvent', handle, 'connect', WAIT)).ok, true);
    let state = await driver.call('state', handle);
    assert.equal(state.state, 'open');
    assert.equal(typeof state.id, 'string');

    assert.deepEqual(await driver.call('invoke', handle, 'customProc', {foo: 'bar'}), {ok: true, hasData: true, data: 'Success'});
    let bad = await driver.call('invoke', handle, 'customProc', {bad: true});
    assert.deepEqual(bad, {ok: false, error: {name: 'BadCustomError', message: 'Server failed to execute the procedure'}});
    assert.deepEqual(await driver.call('invoke', handle, 'conformance.echo'), {ok: true, hasData: false});
    let noData = await driver.call('invoke', handle, 'conformance.echo', 'ignored', {noData: true});
    assert.deepEqual(noData, {ok: true, hasData: false});

    assert.deepEqual(await driver.call('transmit', handle, 'customRemoteEvent', 123), {ok: true});
    await driver.call('transmit', handle, 'customRemoteEvent');
    let received = await driver.call('invoke', handle, 'conformance.received', {event: 'customRemoteEvent', withPresence: true});
    assert.deepEqual(received.data, [{data: 123}, {}]);

    // server -> client transmit and invoke
    await driver.call('receiver', handle, 'hello');
    await driver.call('invoke', handle, 'conformance.transmit', {event: 'hello', data: 'world'});
    await driver.call('invoke', handle, 'conformance.transmit', {event: 'hello'});
    await driver.call('procedure', handle, 'double', {mode: 'end', data: 42});
    let viaServer = await driver.call('invoke', handle, 'conformance.invoke', {procedure: 'double', data: 1});
    assert.deepEqual(viaServer.data, {data: 42});
    await driver.call('procedure', handle, 'double', {mode: 'error', name: 'NopeError', message: 'nope'});
    viaServer = await driver.call('invoke', handle, 'conformance.invoke', {procedure: 'double', data: 2});
    assert.deepEqual(viaServer.data, {error: {name: 'NopeError', message: 'nope'}});
    let hello = await driver.call('received', handle, 'hello');
    assert.deepEqual(hello.items, [{kind: 'transmit', data: 'world'}, {kind: 'transmit'}]);
    assert.deepEqual((await driver.call('received', handle, 'double')).items,
      [{kind: 'invoke', data: 1}, {kind: 'invoke', data: 2}]);

    // pub/sub
    let sub = await driver.call('subscribe', handle, 'news');
    assert.equal(sub.ok, true);
    await driver.call('waitForEvent', handle, 'subscribe', WAIT);
    assert.deepEqual(await driver.call('channelState', handle, 'news'), {ok: true, state: 'subscribed'});
    await driver.call('transmitPublish', handle, 'news', 1);
    assert.deepEqual(await driver.call('invokePublish', handle, 'news', 2), {ok: true});
    await driver.call('channelTransmitPublish', handle, 'news', 3);
    await driver.call('channelInvokePublish', handle, 'news', 4);
    await driver.call('invoke', handle, 'conformance.publish', {channel: 'news', ack: true});
    let pubs = await driver.call('waitForPublications', handle, 'news', 5, WAIT);
    assert.equal(pubs.ok, true, JSON.stringify(pubs));
    assert.deepEqual(pubs.items, [{data: 1}, {data: 2}, {data: 3}, {data: 4}, {}]);
    assert.deepEqual(await driver.call('subscriptions', handle), {ok: true, channels: ['news']});
    assert.deepEqual(await driver.call('isSubscribed', handle, 'news'), {ok: true, subscribed: true});
    let timeout = await driver.call('waitForPublications', handle, 'news', 6, 200);
    assert.equal(timeout.ok, false);
    assert.equal(timeout.error.name, 'TimeoutError');
    await driver.call('unsubscribe', handle, 'news');
    assert.deepEqual(await driver.call('isSubscribed', handle, 'news', true), {ok: true, subscribed: false});

    let blocked = await driver.call('invokePublish', handle, 'conformance.blocked.x', 1);
    assert.equal(blocked.error.name, 'BlockedByConformanceError');

    // auth
    let since = (await driver.call('events', handle)).lastSeq;
    let login = await driver.call('invoke', handle, 'conformance.login', {username: 'alice'});
    let authEvent = await driver.call('waitForEvent', handle, 'authenticate', WAIT, since);
    assert.equal(authEvent.event.data.signedAuthToken, login.data);
    assert.equal((await driver.call('state', handle)).authToken.username, 'alice');
    assert.deepEqual(await driver.call('deauthenticate', handle), {ok: true});
    assert.equal((await driver.call('state', handle)).authState, 'unauthenticated');
    let second = (await driver.call('connect', {hostname: '127.0.0.1', port: fixture.port, autoReconnect: false})).handle;
    await driver.call('waitForEvent', second, 'connect', WAIT);
    let auth = await driver.call('authenticate', second, login.data);
    assert.deepEqual(auth, {ok: true, data: {isAuthenticated: true, authError: null}});
    let badAuth = await driver.call('authenticate', second, 'garbage');
    assert.equal(badAuth.ok, false);
    assert.equal(badAuth.error.name, 'AuthTokenInvalidError');
    assert.equal(badAuth.error.isBadToken, true);

    // disconnect / reconnect
    let disconnect = await driver.call('disconnect', handle, 'not-a-number');
    assert.equal(disconnect.error.name, 'InvalidArgumentsError');
    since = (await driver.call('events', handle)).lastSeq;
    await driver.call('invoke', handle, 'conformance.disconnect', {code: 4321, reason: 'custom reason'});
    let closed = await driver.call('waitForEvent', handle, 'disconnect', WAIT, since);
    assert.deepEqual(closed.event.data, {code: 4321, reason: 'custom reason'});
    await driver.call('connectAgain', handle);
    await driver.call('waitForEvent', handle, 'connect', WAIT, since);
    assert.equal((await driver.call('state', handle)).state, 'open');
    since = (await driver.call('events', handle)).lastSeq;
    await driver.call('reconnect', handle, 4100, 'again');
    await driver.call('waitForEvent', handle, 'connect', WAIT, since);
    let events = (await driver.call('events', handle, since)).events.map((e) => e.event);
    assert.deepEqual(events.slice(0, 3), ['disconnect', 'close', 'error']);
    assert.ok(events.includes('connecting') && events.includes('connect'), events.join());

    let rejected = (await driver.call('connect', {hostname: '127.0.0.1', port: fixture.port, autoReconnect: false,
      query: {conformanceRejectHandshake: '1'}})).handle;
    let abort = await driver.call('waitForEvent', rejected, 'connectAbort', WAIT);
    assert.equal(abort.event.data.code, 4008);
    let firstError = (await driver.call('waitForEvent', rejected, 'error', WAIT)).event.data.error;
    assert.equal(firstError.name, 'SilentMiddlewareBlockedError');
    assert.equal(firstError.statusCode, 4008);

    assert.deepEqual(await driver.call('destroy', handle), {ok: true});
    assert.equal((await driver.call('state', handle)).error.name, 'DriverError');

    // host errors
    assert.match((await driver.raw({id: 'x', cmd: 'nope'})).error, /unknown command/);
    assert.match((await driver.raw({id: 'y', cmd: 'invoke', args: 3})).error, /args must be an array/);
  } finally {
    await driver.stop();
    await fixture.stop();
  }
});

test('node driver: storedToken, failingTokenStore, connectAgain(options), connectAndDisconnect', async () => {
  let fixture = await startFixture('fixture-server.js');
  let driver = startDriver();
  try {
    let base = {hostname: '127.0.0.1', port: fixture.port, autoReconnect: false};
    let helper = (await driver.call('connect', base)).handle;
    await driver.call('waitForEvent', helper, 'connect', WAIT);
    let bob = (await driver.call('invoke', helper, 'conformance.setAuthToken', {username: 'bob'})).data;
    let kate = (await driver.call('invoke', helper, 'conformance.setAuthToken', {username: 'kate'})).data;

    // storedToken: in the client's token storage before its handshake (a fresh handle, same host:port).
    let stored = (await driver.call('connect', {...base, autoConnect: false, storedToken: bob})).handle;
    await driver.call('connectAgain', stored);
    let connect = await driver.call('waitForEvent', stored, 'connect', WAIT);
    assert.equal(connect.event.data.isAuthenticated, true);
    assert.equal(connect.event.data.authToken, bob);
    assert.equal((await driver.call('state', stored)).authToken.username, 'bob');
    assert.equal((await driver.call('connect', {...base, storedToken: 12})).error.name, 'DriverError');
    assert.equal((await driver.call('connect', {...base, failingTokenStore: 'yes'})).error.name, 'DriverError');

    // failingTokenStore (C12): authenticate resolves as usual, the save failure reaches the error listener.
    let failing = (await driver.call('connect', {...base, storedToken: bob, failingTokenStore: true})).handle;
    assert.equal((await driver.call('waitForEvent', failing, 'connect', WAIT)).event.data.isAuthenticated, true);
    let auth = await driver.call('authenticate', failing, kate);
    assert.deepEqual(auth, {ok: true, data: {isAuthenticated: true, authError: null}});
    assert.equal((await driver.call('state', failing)).authToken.username, 'kate');
    let error = await driver.call('waitForEvent', failing, 'error', WAIT);
    assert.deepEqual(error.event.data.error, {name: 'FailedToSaveTokenError', message: 'Failed to save token'});

    // connect(options) on an open socket: disconnect 1000, then a new connection with the merged options.
    let since = (await driver.call('events', stored)).lastSeq;
    assert.deepEqual(await driver.call('connectAgain', stored, {ackTimeout: 3000}), {ok: true});
    let disconnect = await driver.call('waitForEvent', stored, 'disconnect', WAIT, since);
    assert.deepEqual(disconnect.event.data,
      {code: 1000, reason: 'Socket was disconnected by the client to initiate a new connection'});
    await driver.call('waitForEvent', stored, 'connect', WAIT, since);
    assert.equal((await driver.call('connectAgain', stored, [1])).error.name, 'DriverError');

    // connect() and disconnect() in one turn: connectAbort with that code, never connect.
    let aborted = (await driver.call('connect', {...base, autoConnect: false})).handle;
    assert.deepEqual(await driver.call('connectAndDisconnect', aborted, 4444, 'Disconnect before handshake'), {ok: true});
    let abort = await driver.call('waitForEvent', aborted, 'connectAbort', WAIT);
    assert.deepEqual(abort.event.data, {code: 4444, reason: 'Disconnect before handshake'});
    assert.equal((await driver.call('waitForEvent', aborted, 'connect', 300)).ok, false);
  } finally {
    await driver.stop();
    await fixture.stop();
  }
});

test('node driver --v14 (14.3.2) drives the v14 fixture (protocol v1)', async () => {
  let fixture = await startFixture('fixture-server-v14.js');
  let driver = startDriver(['--v14']);
  try {
    assert.equal((await driver.call('info')).version, '14.3.2');
    let {handle, api} = await driver.call('connect', {hostname: '127.0.0.1', port: fixture.port, autoReconnect: false});
    assert.equal(api, 'emitter');
    await driver.call('waitForEvent', handle, 'connect', WAIT);
    let hello = await driver.call('invoke', handle, 'conformance.hello');
    assert.equal(hello.data.protocolVersion, 1);
    assert.equal(hello.data.implementation, 'socketcluster-server@14.7.2 (node fixture v14)');
    assert.deepEqual((await driver.call('invoke', handle, 'customProc', {bad: true})).error,
      {name: 'BadCustomError', message: 'Server failed to execute the procedure'});
    await driver.call('transmit', handle, 'customRemoteEvent', 123);
    assert.deepEqual((await driver.call('invoke', handle, 'conformance.received', {event: 'customRemoteEvent'})).data, [123]);

    await driver.call('receiver', handle, 'hello');
    await driver.call('invoke', handle, 'conformance.transmit', {event: 'hello', data: 'world'});
    await driver.call('procedure', handle, 'clientProc', {mode: 'echo'});
    let viaServer = await driver.call('invoke', handle, 'conformance.invoke', {procedure: 'clientProc', data: 7});
    assert.deepEqual(viaServer.data, {data: 7});
    assert.deepEqual((await driver.call('received', handle, 'hello')).items, [{kind: 'event', data: 'world'}]);

    await driver.call('subscribe', handle, 'news');
    await driver.call('waitForEvent', handle, 'subscribe', WAIT);
    await driver.call('transmitPublish', handle, 'news', 1);
    await driver.call('invokePublish', handle, 'news', 2);
    await driver.call('channelInvokePublish', handle, 'news', 3);
    await driver.call('invoke', handle, 'conformance.publish', {channel: 'news', data: 4, ack: true});
    let pubs = await driver.call('waitForPublications', handle, 'news', 4, WAIT);
    assert.deepEqual(pubs.items, [{data: 1}, {data: 2}, {data: 3}, {data: 4}]);

    await driver.call('invoke', handle, 'conformance.kickOut', {channel: 'news', message: 'bye'});
    let kick = await driver.call('waitForEvent', handle, 'kickOut', WAIT);
    assert.deepEqual(kick.event.data, {channel: 'news', message: 'bye'});

    let token = (await driver.call('invoke', handle, 'conformance.login', {username: 'v14'})).data;
    let auth = await driver.call('waitForEvent', handle, 'authenticate', WAIT);
    assert.equal(auth.event.data.signedAuthToken, token);
    assert.equal((await driver.call('invoke', handle, 'conformance.authState')).data.authToken.username, 'v14');

    // pings are #1 and the client's #2 pongs keep the connection past pingTimeout (3000 ms)
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.equal((await driver.call('state', handle)).state, 'open');
  } finally {
    await driver.stop();
    await fixture.stop();
  }
});
