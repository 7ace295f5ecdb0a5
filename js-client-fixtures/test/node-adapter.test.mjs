// The client adapter (adapter/node-adapter.mjs, spec/client-adapter.md): hello, a session against the fixture, and
// bad input answered with AdapterError instead of a hang.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import {root, startFixture} from './helpers.mjs';

function startAdapter(args = []) {
  let child = spawn(process.execPath, [path.join(root, 'adapter', 'node-adapter.mjs'), ...args], {stdio: ['pipe', 'pipe', 'inherit']});
  let byId = new Map();
  let waiting = new Map();
  readline.createInterface({input: child.stdout}).on('line', (line) => {
    let reply = JSON.parse(line);
    if (waiting.has(reply.id)) waiting.get(reply.id)(reply); else byId.set(reply.id, reply);
  });
  let nextId = 1;
  return {
    send(line, id) {
      child.stdin.write(line + '\n');
      return byId.has(id) ? Promise.resolve(byId.get(id)) : new Promise((resolve) => waiting.set(id, resolve));
    },
    op(op, fields = {}) {
      let id = nextId++;
      return this.send(JSON.stringify({id, op, ...fields}), id);
    },
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.stdin.end(); })
  };
}

test('node adapter declares itself and drives the v20 client', async () => {
  let fixture = await startFixture('fixture-server.js');
  let adapter = startAdapter();
  try {
    let hello = await adapter.op('hello', {adapterProtocol: [1]});
    assert.deepEqual(hello, {id: 1, ok: true, adapterProtocol: 1, client: {name: 'socketcluster-client', version: '20.0.2'},
      protocolVersions: [1, 2], capabilities: ['reconnect', 'pubsub', 'auth', 'batching']});
    let {client} = await adapter.op('create', {options: {hostname: '127.0.0.1', port: fixture.port, autoConnect: false, autoReconnect: false}});
    assert.equal((await adapter.op('connect', {client})).ok, true);
    let invoked = await adapter.op('invoke', {client, procedure: 'customProc', data: {foo: 'bar'}});
    assert.deepEqual(invoked, {id: invoked.id, ok: true, data: 'Success'});
    let noData = await adapter.op('invoke', {client, procedure: 'conformance.echo'});
    assert.deepEqual(noData, {id: noData.id, ok: true});
    let failed = await adapter.op('invoke', {client, procedure: 'customProc', data: {bad: true}});
    assert.deepEqual(failed.error, {name: 'BadCustomError', message: 'Server failed to execute the procedure'});
    let state = await adapter.op('state', {client});
    assert.equal(state.state, 'open');
    assert.equal(typeof state.socketId, 'string');
    let {events} = await adapter.op('events', {client, sinceSeq: 0});
    assert.deepEqual(events.map((e) => e.event).slice(0, 2), ['connecting', 'connect']);
    assert.ok(events.every((e, i) => e.seq === i + 1 && Number.isInteger(e.at)));
    assert.equal((await adapter.op('close', {client})).ok, true);
  } finally {
    await adapter.stop();
    await fixture.stop();
  }
});

test('node adapter answers bad input with AdapterError and keeps going', async () => {
  let adapter = startAdapter(['--capabilities', 'reconnect']);
  try {
    let bad = await adapter.send('not json', null);
    assert.deepEqual([bad.ok, bad.error.name], [false, 'AdapterError']);
    assert.match(bad.error.message, /invalid JSON/);
    assert.equal((await adapter.op('frobnicate')).error.name, 'AdapterError');
    assert.equal((await adapter.op('state', {client: 99})).error.name, 'AdapterError');
    assert.equal((await adapter.op('transmit', {client: 'x', event: 1})).error.name, 'AdapterError');
    assert.deepEqual((await adapter.op('hello')).capabilities, ['reconnect']);
  } finally {
    await adapter.stop();
  }
});

test('node adapter --v14 speaks protocol v1 only', async () => {
  let adapter = startAdapter(['--v14']);
  try {
    let hello = await adapter.op('hello');
    assert.deepEqual([hello.client.version, hello.protocolVersions, hello.capabilities, hello.legacy], ['14.3.2', [1], ['reconnect', 'pubsub', 'auth'], 'v14']);
    let v2 = await adapter.op('create', {options: {hostname: '127.0.0.1', port: 1, protocolVersion: 2, autoConnect: false}});
    assert.equal(v2.error.name, 'Unsupported');
    let v1 = await adapter.op('create', {options: {hostname: '127.0.0.1', port: 1, protocolVersion: 1, autoConnect: false}});
    assert.equal(v1.ok, true);
  } finally {
    await adapter.stop();
  }
});
