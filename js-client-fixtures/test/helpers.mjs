// Test helpers: start a fixture server or the Node driver as child processes (stdin piped, so they exit with us).
import {spawn} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import readline from 'node:readline';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startFixture(script = 'fixture-server.js', args = []) {
  let child = spawn(process.execPath, [path.join(root, script), '--port', '0', ...args], {stdio: ['pipe', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  let port = await new Promise((resolve, reject) => {
    let rl = readline.createInterface({input: child.stdout});
    let timer = setTimeout(() => reject(new Error(`no LISTENING line; stderr: ${stderr}`)), 15000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      let match = /^LISTENING (\d+)$/.exec(line);
      if (match) resolve(Number(match[1])); else reject(new Error(`unexpected first line ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${stderr}`)));
  });
  return {port, child, stderr: () => stderr, stop: () => new Promise((resolve) => {
    child.once('exit', resolve);
    child.stdin.end();
  })};
}

export function startDriver(args = []) {
  let child = spawn(process.execPath, [path.join(root, 'node-client-driver.mjs'), ...args], {stdio: ['pipe', 'pipe', 'inherit']});
  let nextId = 1;
  let pending = new Map();
  let rl = readline.createInterface({input: child.stdout});
  rl.on('line', (line) => {
    let message = JSON.parse(line);
    let entry = pending.get(message.id);
    if (entry) {
      pending.delete(message.id);
      entry(message);
    }
  });
  return {
    child,
    raw(object) {
      let id = object.id;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        child.stdin.write(JSON.stringify(object) + '\n');
      });
    },
    async call(cmd, ...args) {
      let id = nextId++;
      let message = await new Promise((resolve) => {
        pending.set(id, resolve);
        child.stdin.write(JSON.stringify({id, cmd, args}) + '\n');
      });
      if (message.error) throw new Error(message.error);
      return message.result;
    },
    stop: () => new Promise((resolve) => {
      child.once('exit', resolve);
      child.stdin.end();
    })
  };
}
