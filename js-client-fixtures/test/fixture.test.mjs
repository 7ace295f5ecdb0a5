// The fixture servers' process contract and the interop check against the Node fixture.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import {createRequire} from 'node:module';
import {root, startFixture} from './helpers.mjs';

const WebSocket = createRequire(import.meta.url)('ws');

function get(port, urlPath) {
  return new Promise((resolve, reject) => {
    http.get({hostname: '127.0.0.1', port, path: urlPath}, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({status: res.statusCode, body}));
    }).on('error', reject);
  });
}

for (let script of ['fixture-server.js', 'fixture-server-v14.js']) {
  test(`${script}: LISTENING, health check, exit on stdin close`, async () => {
    let fixture = await startFixture(script);
    assert.ok(fixture.port > 0);
    assert.deepEqual(await get(fixture.port, '/health-check'), {status: 200, body: 'OK'});
    assert.equal((await get(fixture.port, '/nope')).status, 404);
    let code = await fixture.stop();
    assert.equal(code, 0);
  });

  test(`${script}: bad flags and short auth keys exit with 2`, () => {
    for (let args of [['--bogus'], ['--auth-key', 'short'], ['--ping-interval', 'x'], ['--protocol', '3']]) {
      let result = spawnSync(process.execPath, [path.join(root, script), ...args], {input: '', encoding: 'utf8'});
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '');
    }
  });
}

for (let protocol of ['2', '1']) {
  test(`interop/seed-check.mjs passes against fixture-server.js --protocol ${protocol}`, async () => {
    let fixture = await startFixture('fixture-server.js', ['--protocol', protocol]);
    try {
      let child = spawn(process.execPath, [path.join(root, 'interop/seed-check.mjs'),
        `ws://127.0.0.1:${fixture.port}/socketcluster/`, '--protocol', protocol], {stdio: ['ignore', 'pipe', 'pipe']});
      let out = '';
      child.stdout.on('data', (c) => { out += c; });
      child.stderr.on('data', (c) => { out += c; });
      let code = await new Promise((resolve) => child.on('exit', resolve));
      assert.equal(code, 0, out);
      assert.match(out, /^\d+ passed, 0 failed$/m);
    } finally {
      await fixture.stop();
    }
  });
}

// Raw WebSocket: the ping text per protocol, pongs keep the socket open, silence closes it with 4001.

function rawSession(port, {answerPings}) {
  return new Promise((resolve, reject) => {
    let ws = new WebSocket(`ws://127.0.0.1:${port}/socketcluster/`);
    let frames = [];
    let opened = Date.now();
    ws.on('open', () => ws.send(JSON.stringify({event: '#handshake', data: {authToken: null}, cid: 1})));
    ws.on('message', (m) => {
      let text = m.toString();
      frames.push(text);
      if (answerPings && (text === '' || text === '#1')) ws.send(text === '' ? '' : '#2');
    });
    ws.on('close', (code) => resolve({frames, closeCode: code, closedAfterMs: Date.now() - opened}));
    ws.on('error', reject);
    if (answerPings) setTimeout(() => ws.close(1000), 4500);
  });
}

for (let [script, args, ping] of [['fixture-server.js', [], ''], ['fixture-server.js', ['--protocol', '1'], '#1'],
  ['fixture-server-v14.js', [], '#1']]) {
  test(`${script} ${args.join(' ')}: ping is ${JSON.stringify(ping)}, pongs keep it open, silence gives 4001`, async () => {
    let fixture = await startFixture(script, args);
    try {
      let answered = await rawSession(fixture.port, {answerPings: true});
      assert.equal(answered.closeCode, 1000, 'still open after pingTimeout (3000 ms) when answering pings');
      assert.ok(answered.frames.filter((f) => f === ping).length >= 3, JSON.stringify(answered.frames));
      let silent = await rawSession(fixture.port, {answerPings: false});
      assert.equal(silent.closeCode, 4001);
    } finally {
      await fixture.stop();
    }
  });
}
