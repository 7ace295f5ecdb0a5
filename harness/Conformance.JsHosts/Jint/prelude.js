// Browser-like globals for the official socketcluster-client bundle in Jint. Evaluated once per engine before
// the bundle is imported; `host` holds the C# functions (see JintRuntime.cs) and is not reachable afterwards.
// Only what the bundle and driver-core.mjs touch is here (stack-notes §4): window, WebSocket, timers, crypto,
// URLSearchParams, localStorage, console. Returns the functions the host calls back into.
(function (host) {
  'use strict';
  const g = globalThis;

  function define(name, value) {
    Object.defineProperty(g, name, {value, writable: true, configurable: true, enumerable: false});
  }

  // ---------- DOMException (WebSocket errors are DOMExceptions in browsers) ----------
  class DOMException extends Error {
    constructor(message = '', name = 'Error') {
      super(message);
      Object.defineProperty(this, 'name', {value: name, writable: true, configurable: true, enumerable: false});
    }
  }

  // ---------- console ----------
  function formatOne(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Error) return value.stack ? String(value.stack) : `${value.name}: ${value.message}`;
    if (typeof value === 'function') return `[Function ${value.name || 'anonymous'}]`;
    if (typeof value === 'symbol' || typeof value === 'bigint') return String(value);
    try {
      let json = JSON.stringify(value);
      return json === undefined ? String(value) : json;
    } catch (e) {
      return String(value);
    }
  }
  const console = {};
  for (let level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    console[level] = (...args) => host.log(level, args.map(formatOne).join(' '));
  }
  define('console', console);

  // ---------- timers ----------
  function toHandler(handler, args) {
    if (typeof handler !== 'function') {
      throw new TypeError('setTimeout/setInterval with a string handler is not supported by this host');
    }
    return () => handler.apply(undefined, args);
  }
  define('setTimeout', function setTimeout(handler, timeout = 0, ...args) {
    return host.setTimer(toHandler(handler, args), Number(timeout), false);
  });
  define('setInterval', function setInterval(handler, timeout = 0, ...args) {
    return host.setTimer(toHandler(handler, args), Number(timeout), true);
  });
  define('clearTimeout', function clearTimeout(id) {
    if (id != null) host.clearTimer(Number(id));
  });
  define('clearInterval', function clearInterval(id) {
    if (id != null) host.clearTimer(Number(id));
  });
  define('queueMicrotask', function queueMicrotask(callback) {
    if (typeof callback !== 'function') throw new TypeError('queueMicrotask needs a function');
    Promise.resolve().then(callback).catch((e) => console.error('Uncaught (in microtask)', e));
  });

  // ---------- crypto ----------
  const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    BigInt64Array, BigUint64Array];
  define('crypto', {
    randomUUID: () => host.randomUUID(),
    getRandomValues(array) {
      if (!INTEGER_ARRAYS.some((T) => array instanceof T)) {
        throw new DOMException('The provided ArrayBufferView is not an integer array type', 'TypeMismatchError');
      }
      if (array.byteLength > 65536) {
        throw new DOMException(`The ArrayBufferView's byte length (${array.byteLength}) exceeds 65536`, 'QuotaExceededError');
      }
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(host.randomBytes(array.byteLength));
      return array;
    }
  });

  // ---------- URLSearchParams (application/x-www-form-urlencoded, as the URL standard specifies) ----------
  function formEncode(text) {
    // encodeURIComponent leaves !'()~ alone; the form serializer keeps only *-._ and alphanumerics, and space is '+'.
    return encodeURIComponent(text).replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
      .replace(/%20/g, '+');
  }
  function formDecode(text) {
    let spaced = text.replace(/\+/g, ' ');
    try {
      return decodeURIComponent(spaced);
    } catch (e) {
      // Invalid percent sequences stay as they are (the standard decodes byte-wise and never throws).
      return spaced.replace(/%([0-9A-Fa-f]{2})/g, (m, hex) => {
        let code = parseInt(hex, 16);
        return code < 0x80 ? String.fromCharCode(code) : m;
      });
    }
  }
  class URLSearchParams {
    #list = [];
    constructor(init = '') {
      if (init instanceof URLSearchParams) {
        this.#list = init.#list.map(([k, v]) => [k, v]);
      } else if (init !== null && typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
        for (let pair of init) {
          let items = Array.from(pair);
          if (items.length !== 2) throw new TypeError('Each URLSearchParams pair must have exactly two items');
          this.#list.push([String(items[0]), String(items[1])]);
        }
      } else if (init !== null && typeof init === 'object') {
        for (let key of Object.keys(init)) this.#list.push([key, String(init[key])]);
      } else {
        let text = String(init ?? '');
        if (text.startsWith('?')) text = text.slice(1);
        for (let part of text.split('&')) {
          if (part === '') continue;
          let eq = part.indexOf('=');
          let name = eq < 0 ? part : part.slice(0, eq);
          let value = eq < 0 ? '' : part.slice(eq + 1);
          this.#list.push([formDecode(name), formDecode(value)]);
        }
      }
    }
    get size() { return this.#list.length; }
    append(name, value) { this.#list.push([String(name), String(value)]); }
    delete(name, value) {
      name = String(name);
      this.#list = this.#list.filter(([k, v]) => !(k === name && (value === undefined || v === String(value))));
    }
    get(name) {
      name = String(name);
      let found = this.#list.find(([k]) => k === name);
      return found ? found[1] : null;
    }
    getAll(name) {
      name = String(name);
      return this.#list.filter(([k]) => k === name).map(([, v]) => v);
    }
    has(name, value) {
      name = String(name);
      return this.#list.some(([k, v]) => k === name && (value === undefined || v === String(value)));
    }
    set(name, value) {
      name = String(name);
      value = String(value);
      let index = this.#list.findIndex(([k]) => k === name);
      if (index < 0) {
        this.#list.push([name, value]);
        return;
      }
      this.#list[index][1] = value;
      this.#list = this.#list.filter(([k], i) => i <= index || k !== name);
    }
    sort() {
      // Stable sort by UTF-16 code units, as the standard says.
      this.#list = this.#list.map((p, i) => [p, i])
        .sort((a, b) => (a[0][0] < b[0][0] ? -1 : a[0][0] > b[0][0] ? 1 : a[1] - b[1])).map(([p]) => p);
    }
    forEach(callback, thisArg) {
      for (let [k, v] of this.#list.slice()) callback.call(thisArg, v, k, this);
    }
    * entries() { for (let [k, v] of this.#list) yield [k, v]; }
    * keys() { for (let [k] of this.#list) yield k; }
    * values() { for (let [, v] of this.#list) yield v; }
    [Symbol.iterator]() { return this.entries(); }
    toString() { return this.#list.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join('&'); }
  }
  define('URLSearchParams', URLSearchParams);

  // ---------- localStorage (per engine, in memory) ----------
  const storageData = new Map();
  class Storage {
    get length() { return storageData.size; }
    key(index) {
      let keys = Array.from(storageData.keys());
      return index >= 0 && index < keys.length ? keys[index] : null;
    }
    getItem(key) {
      key = String(key);
      return storageData.has(key) ? storageData.get(key) : null;
    }
    setItem(key, value) { storageData.set(String(key), String(value)); }
    removeItem(key) { storageData.delete(String(key)); }
    clear() { storageData.clear(); }
  }
  define('localStorage', new Storage());

  // ---------- WebSocket (backed by System.Net.WebSockets.ClientWebSocket, see WebSocketShim.cs) ----------
  const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
  const socketIds = new WeakMap();

  class SimpleEventTarget {
    #listeners = new Map();
    addEventListener(type, listener, options) {
      if (typeof listener !== 'function' && !(listener && typeof listener.handleEvent === 'function')) return;
      let list = this.#listeners.get(type) || [];
      if (list.some((l) => l.listener === listener)) return;
      list.push({listener, once: !!(options && typeof options === 'object' && options.once)});
      this.#listeners.set(type, list);
    }
    removeEventListener(type, listener) {
      let list = this.#listeners.get(type);
      if (list) this.#listeners.set(type, list.filter((l) => l.listener !== listener));
    }
    dispatchEvent(event) {
      let handler = this['on' + event.type];
      if (typeof handler === 'function') invokeListener(this, handler, event);
      for (let entry of (this.#listeners.get(event.type) || []).slice()) {
        if (entry.once) this.removeEventListener(event.type, entry.listener);
        invokeListener(this, entry.listener, event);
      }
      return true;
    }
  }

  // A throwing listener is reported and does not stop the others, as in browsers.
  function invokeListener(target, listener, event) {
    try {
      if (typeof listener === 'function') listener.call(target, event);
      else listener.handleEvent(event);
    } catch (e) {
      console.error('Uncaught', e);
    }
  }

  function makeEvent(target, type, fields) {
    return {type, target, currentTarget: target, isTrusted: true, timeStamp: Date.now(), ...fields};
  }

  function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  }

  class WebSocket extends SimpleEventTarget {
    constructor(url, protocols = []) {
      super();
      url = String(url);
      if (!/^wss?:\/\/[^/?#]/i.test(url) || url.includes('#')) {
        throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, 'SyntaxError');
      }
      let list = typeof protocols === 'string' ? [protocols] : Array.from(protocols || [], String);
      this.url = url;
      this.readyState = CONNECTING;
      this.protocol = '';
      this.extensions = '';
      this.bufferedAmount = 0;
      this.binaryType = 'blob';
      this.bytesReceived = 0;
      let id = host.wsOpen(url, list, this);
      if (id < 0) throw new DOMException(`Failed to construct 'WebSocket': The URL '${url}' is invalid.`, 'SyntaxError');
      socketIds.set(this, id);
    }

    send(data) {
      if (this.readyState === CONNECTING) {
        throw new DOMException("Failed to execute 'send' on 'WebSocket': Still in CONNECTING state.", 'InvalidStateError');
      }
      let binary = data instanceof ArrayBuffer || ArrayBuffer.isView(data);
      let payload;
      if (binary) {
        let view = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        payload = Array.from(view);
      } else {
        payload = String(data);
      }
      // In CLOSING/CLOSED browsers silently discard the data (only bufferedAmount grows).
      if (this.readyState !== OPEN) return;
      host.wsSend(socketIds.get(this), payload, binary);
    }

    close(code, reason) {
      if (code !== undefined) {
        code = Number(code);
        if (!(code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999))) {
          throw new DOMException(`Failed to execute 'close' on 'WebSocket': The close code must be either 1000, or between 3000 and 4999. ${code} is neither.`, 'InvalidAccessError');
        }
      }
      if (reason !== undefined) {
        reason = String(reason);
        if (utf8Length(reason) > 123) {
          throw new DOMException("Failed to execute 'close' on 'WebSocket': The close reason must not be greater than 123 UTF-8 bytes.", 'SyntaxError');
        }
      }
      if (this.readyState === CLOSING || this.readyState === CLOSED) return;
      this.readyState = CLOSING;
      host.wsClose(socketIds.get(this), code === undefined ? -1 : code, reason ?? '');
    }
  }
  // onopen/onmessage/onerror/onclose are prototype accessors as in browsers, so `delete socket.onclose` (which the
  // client's transport does on destroy) leaves the handler in place exactly as a browser would.
  const eventHandlers = new WeakMap();
  for (let type of ['open', 'message', 'error', 'close']) {
    Object.defineProperty(WebSocket.prototype, 'on' + type, {
      configurable: true,
      enumerable: true,
      get() { return (eventHandlers.get(this) || {})[type] ?? null; },
      set(value) {
        let handlers = eventHandlers.get(this) || {};
        handlers[type] = typeof value === 'function' || (value !== null && typeof value === 'object') ? value : null;
        eventHandlers.set(this, handlers);
      }
    });
  }
  for (let [name, value] of [['CONNECTING', CONNECTING], ['OPEN', OPEN], ['CLOSING', CLOSING], ['CLOSED', CLOSED]]) {
    Object.defineProperty(WebSocket, name, {value, enumerable: true});
    Object.defineProperty(WebSocket.prototype, name, {value, enumerable: true});
  }
  define('WebSocket', WebSocket);

  // Called by the host (on the loop thread) for each WebSocket event, in the order they happened.
  function dispatchSocket(socket, kind, a, b, c) {
    switch (kind) {
      case 'open':
        socket.readyState = OPEN;
        socket.protocol = a || '';
        socket.dispatchEvent(makeEvent(socket, 'open', {}));
        break;
      case 'message':
        if (socket.readyState !== OPEN) return; // browsers drop messages that arrive after close() was called
        socket.bytesReceived += b;
        socket.dispatchEvent(makeEvent(socket, 'message', {data: a, origin: '', lastEventId: ''}));
        break;
      case 'error':
        socket.dispatchEvent(makeEvent(socket, 'error', {}));
        break;
      case 'close':
        socket.readyState = CLOSED;
        socket.dispatchEvent(makeEvent(socket, 'close', {code: a, reason: b, wasClean: c}));
        break;
      default:
        throw new Error(`unknown socket event ${kind}`);
    }
  }

  define('window', g);

  // ---------- the driver bridge ----------
  function settleError(callId, error) {
    let text = error && error.stack ? String(error.stack) : (error && error.message) ? `${error.name}: ${error.message}` : String(error);
    host.settle(callId, false, text);
  }

  // Reports JSON.stringify of a value (awaited when it is a promise), or the failure, through host.settle.
  function settleValue(value, callId) {
    Promise.resolve(value).then((result) => {
      let json;
      try {
        json = JSON.stringify(result === undefined ? null : result);
      } catch (e) {
        settleError(callId, e);
        return;
      }
      host.settle(callId, true, json);
    }, (error) => settleError(callId, error));
  }

  // Runs driver[cmd](...args) and settles with its result (driver-core commands resolve to {ok, ...}).
  function callDriver(driver, cmd, argsJson, callId) {
    let fn = Object.prototype.hasOwnProperty.call(driver, cmd) ? driver[cmd] : undefined;
    if (typeof fn !== 'function') {
      host.settle(callId, false, `unknown driver command ${JSON.stringify(cmd)}`);
      return;
    }
    let args;
    try {
      args = JSON.parse(argsJson);
    } catch (e) {
      settleError(callId, e);
      return;
    }
    settleValue(Promise.resolve().then(() => fn(...args)), callId);
  }

  function clearStorage() {
    storageData.clear();
  }

  return {dispatchSocket, callDriver, settleValue, clearStorage};
})
