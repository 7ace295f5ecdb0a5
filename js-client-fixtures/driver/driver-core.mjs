// One client driver for the official SocketCluster JS client, hosted by Node (node-client-driver.mjs),
// a browser page (browser/driver.html) and Jint. It manages client sockets by numeric handle; every command
// is async, takes JSON values and resolves to a JSON object with `ok` (never throws across the boundary):
//   {ok: true, ...result}  |  {ok: false, error: {name, message, ...own enumerable props}}
//
// Standard ES2022 + setTimeout/clearTimeout only: no Node, browser or Jint specific APIs.
// Two client API flavours are supported, detected on the created socket:
//   'ag'      socketcluster-client >= 15 (async iterables: listener/receiver/procedure, for await)
//   'emitter' socketcluster-client 14.x (protocol v1: on/emit(cb)/publish(cb)/channel.watch)

const RECORDED_EVENTS = [
  'connecting', 'connect', 'connectAbort', 'disconnect', 'close', 'error', 'authenticate', 'deauthenticate',
  'authStateChange', 'subscribe', 'subscribeFail', 'unsubscribe', 'subscribeStateChange', 'kickOut',
  'removeAuthToken', 'raw'
];
const MAX_EVENTS_PER_HANDLE = 5000;
const MAX_ITEMS_PER_NAME = 5000;
const MAX_DEPTH = 20;

// ---------- JSON-safe conversion ----------

// instanceof for same-realm errors (incl. sc-errors classes); the tag check also catches other realms' errors.
function isErrorLike(value) {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}

export function errorToJson(error) {
  if (error !== null && typeof error === 'object') {
    let out = {name: typeof error.name === 'string' ? error.name : 'Error',
      message: typeof error.message === 'string' ? error.message : String(error.message)};
    for (let key of Object.keys(error)) {
      if (key === 'stack' || key === 'name' || key === 'message') continue;
      let value = toJsonSafe(error[key], 1, []);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
  return {name: 'NonErrorValue', message: String(error), value: toJsonSafe(error, 1, [])};
}

// Functions and undefined members are dropped, errors become {name, message, ...}, cycles become "[Circular]".
export function toJsonSafe(value, depth = 0, seen = []) {
  if (value === null) return null;
  let type = typeof value;
  if (type === 'string' || type === 'boolean') return value;
  if (type === 'number') return Number.isFinite(value) ? value : null;
  if (type === 'undefined' || type === 'function' || type === 'symbol') return undefined;
  if (type === 'bigint') return String(value);
  if (depth > MAX_DEPTH) return '[MaxDepth]';
  if (seen.includes(value)) return '[Circular]';
  if (isErrorLike(value)) return errorToJson(value);
  if (value instanceof Date) return isNaN(value.getTime()) ? null : value.toISOString();
  let nextSeen = seen.concat([value]);
  if (Array.isArray(value)) {
    return value.map((item) => {
      let converted = toJsonSafe(item, depth + 1, nextSeen);
      return converted === undefined ? null : converted;
    });
  }
  if (typeof value.toJSON === 'function') {
    try {
      return toJsonSafe(value.toJSON(), depth + 1, nextSeen);
    } catch (e) {
      return String(value);
    }
  }
  let out = {};
  for (let key of Object.keys(value)) {
    let converted = toJsonSafe(value[key], depth + 1, nextSeen);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function driverError(message) {
  return {ok: false, error: {name: 'DriverError', message}};
}

function timeoutResult(message) {
  return {ok: false, error: {name: 'TimeoutError', message}};
}

function item(kind, hasData, data) {
  let entry = {kind};
  if (hasData) entry.data = toJsonSafe(data) ?? null;
  return entry;
}

// Wraps a v14 node-style callback API into a promise.
function callbackPromise(start) {
  return new Promise((resolve, reject) => {
    start((error, data) => (error ? reject(error) : resolve(data)));
  });
}

// ---------- per-socket session ----------

class Session {
  constructor(handle, socket, api) {
    this.handle = handle;
    this.socket = socket;
    this.api = api;
    this.seq = 0;
    this.events = [];
    this.eventWaiters = [];
    this.receivedByName = new Map(); // name -> [{kind:'transmit'|'invoke'|'event', data?}]
    this.receivers = new Set();
    this.procedures = new Map(); // name -> behaviour
    this.publications = new Map(); // channel -> [{data?}]
    this.publicationWaiters = [];
    this.consumedChannels = new Set();
    this.emitterHandlers = new Set(); // v14 only: names with an on() handler
    this.destroyed = false;
  }

  record(event, data) {
    this.seq += 1;
    let entry = {seq: this.seq, event, data: toJsonSafe(data) ?? null, at: Date.now()};
    this.events.push(entry);
    if (this.events.length > MAX_EVENTS_PER_HANDLE) this.events.shift();
    for (let waiter of this.eventWaiters.slice()) {
      if (waiter.name === event && entry.seq > waiter.sinceSeq) waiter.resolve(entry);
    }
  }

  findEvent(name, sinceSeq) {
    return this.events.find((e) => e.event === name && e.seq > sinceSeq);
  }

  addReceived(name, entry) {
    let list = this.receivedByName.get(name);
    if (!list) {
      list = [];
      this.receivedByName.set(name, list);
    }
    list.push(entry);
    if (list.length > MAX_ITEMS_PER_NAME) list.shift();
  }

  addPublication(channel, hasData, data) {
    let list = this.publications.get(channel);
    if (!list) {
      list = [];
      this.publications.set(channel, list);
    }
    let entry = {};
    if (hasData) entry.data = toJsonSafe(data) ?? null;
    list.push(entry);
    if (list.length > MAX_ITEMS_PER_NAME) list.shift();
    for (let waiter of this.publicationWaiters.slice()) {
      if (waiter.channel === channel && list.length >= waiter.count) waiter.resolve();
    }
  }
}

// ---------- API flavour adapters ----------

// socketcluster-client >= 15: async iterables.
const agApi = {
  name: 'ag',

  attach(session) {
    let socket = session.socket;
    for (let name of RECORDED_EVENTS) {
      (async () => {
        for await (let data of socket.listener(name)) session.record(name, data);
      })().catch((e) => session.record('driverConsumerError', {listener: name, error: e}));
    }
  },

  startReceiver(session, name) {
    (async () => {
      // The client hands undefined to receivers when the transmit had no data key.
      for await (let data of session.socket.receiver(name)) {
        session.addReceived(name, item('transmit', data !== undefined, data));
      }
    })().catch((e) => session.record('driverConsumerError', {receiver: name, error: e}));
  },

  startProcedure(session, name) {
    (async () => {
      for await (let request of session.socket.procedure(name)) {
        session.addReceived(name, item('invoke', request.data !== undefined, request.data));
        respondWithBehaviour(session.procedures.get(name), request.data,
          (data, hasData) => (hasData ? request.end(data) : request.end()),
          (error) => request.error(error));
      }
    })().catch((e) => session.record('driverConsumerError', {procedure: name, error: e}));
  },

  startChannel(session, channelName, channel) {
    (async () => {
      for await (let data of channel) session.addPublication(channelName, data !== undefined, data);
    })().catch((e) => session.record('driverConsumerError', {channel: channelName, error: e}));
  },

  subscribe: (s, channel, options) => s.socket.subscribe(channel, options),
  transmit: (s, event, data, hasData) => s.socket.transmit(event, hasData ? data : undefined),
  invoke: (s, procedure, data, hasData, options) => s.socket.invoke(procedure, hasData ? data : undefined, options),
  transmitPublish: (s, channel, data) => s.socket.transmitPublish(channel, data),
  invokePublish: (s, channel, data) => s.socket.invokePublish(channel, data),
  channelTransmitPublish: (s, channel, data) => s.socket.channel(channel).transmitPublish(data),
  channelInvokePublish: (s, channel, data) => s.socket.channel(channel).invokePublish(data),
  channelState: (s, channel) => s.socket.getChannelState(channel),
  authenticate: (s, token) => s.socket.authenticate(token),
  deauthenticate: (s) => s.socket.deauthenticate(),
  // The socket's own auth engine (default: localStorage when usable, else its in-memory map), under the name the
  // client itself reads at the handshake (socket.authTokenName).
  saveToken: (s, token) => s.socket.auth.saveToken(s.socket.authTokenName, token, {}),
  // What the official client test does for C12: this socket's engine rejects every later saveToken.
  failTokenSaves(s) {
    s.socket.auth.saveToken = () => Promise.reject(failedToSaveTokenError());
  },
  connectWithOptions: (s, options) => s.socket.connect(options),

  destroy(s) {
    let socket = s.socket;
    socket.disconnect();
    for (let method of ['killAllListeners', 'killAllReceivers', 'killAllProcedures', 'killAllChannels']) {
      if (typeof socket[method] === 'function') socket[method]();
    }
  }
};

// socketcluster-client 14.x: component-emitter with positional arguments. Event data is normalised to the
// object shapes of the 'ag' API (20.x) so that suites see one format: the same information under the 20.x names.
// Each shape gets the session first (for what 14.x keeps on the socket instead of passing it: the decoded token).
// What 14.x does not emit at all (e.g. the standard close text of CC-003) is left out, not made up.
const V14_EVENT_SHAPES = {
  connecting: () => ({}),
  connect: (s, status) => status,
  connectAbort: (s, code, reason) => ({code, reason}),
  disconnect: (s, code, reason) => ({code, reason}),
  close: (s, code, reason) => ({code, reason}),
  error: (s, error) => ({error}),
  // 14.x emits the signed token only; the decoded one is on the socket (set just before the event).
  authenticate: (s, signedAuthToken) => ({signedAuthToken, authToken: s.socket.authToken}),
  // 14.x clears socket.authToken before the event: decode the old token with the client's own decoder.
  deauthenticate: (s, oldSignedAuthToken) =>
    ({oldSignedAuthToken, oldAuthToken: oldSignedAuthToken == null ? null : s.socket._extractAuthTokenData(oldSignedAuthToken)}),
  // 14.x: {oldState, newState[, signedAuthToken, authToken]}; 20.x: {oldAuthState, newAuthState, ...}.
  authStateChange: (s, {oldState, newState, ...rest}) => ({oldAuthState: oldState, newAuthState: newState, ...rest}),
  subscribe: (s, channel, subscriptionOptions) => ({channel, subscriptionOptions}),
  subscribeFail: (s, error, channel, subscriptionOptions) => ({error, channel, subscriptionOptions}),
  unsubscribe: (s, channel) => ({channel}),
  // 14.x: {channel, oldState, newState, subscriptionOptions}; 20.x: {channel, oldChannelState, newChannelState, ...}.
  subscribeStateChange: (s, {oldState, newState, ...rest}) => ({...rest, oldChannelState: oldState, newChannelState: newState}),
  kickOut: (s, message, channel) => ({channel, message}),
  removeAuthToken: (s, oldAuthToken) => ({oldAuthToken}),
  raw: (s, message) => ({message})
};

const emitterApi = {
  name: 'emitter',

  attach(session) {
    for (let name of RECORDED_EVENTS) {
      let shape = V14_EVENT_SHAPES[name];
      session.socket.on(name, (...args) => session.record(name, shape(session, ...args)));
    }
  },

  // v14 delivers transmits and invokes for a name to the same handler, with a respond function in both
  // cases (a no-op for transmits), so one handler serves receiver() and procedure().
  ensureHandler(session, name) {
    if (session.emitterHandlers.has(name)) return;
    session.emitterHandlers.add(name);
    session.socket.on(name, (data, respond) => {
      session.addReceived(name, item('event', data !== undefined, data));
      let behaviour = session.procedures.get(name);
      if (behaviour && typeof respond === 'function') {
        respondWithBehaviour(behaviour, data,
          (value, hasData) => (hasData ? respond(null, value) : respond(null)),
          (error) => respond(error));
      }
    });
  },

  startReceiver(session, name) { emitterApi.ensureHandler(session, name); },
  startProcedure(session, name) { emitterApi.ensureHandler(session, name); },

  startChannel(session, channelName, channel) {
    channel.watch((data) => session.addPublication(channelName, data !== undefined, data));
  },

  subscribe: (s, channel, options) => s.socket.subscribe(channel, options),
  transmit: async (s, event, data, hasData) => { s.socket.emit(event, hasData ? data : undefined); },
  // v14 has no per-call options (ackTimeout is socket-wide).
  invoke: (s, procedure, data, hasData) =>
    callbackPromise((cb) => s.socket.emit(procedure, hasData ? data : undefined, cb)),
  transmitPublish: async (s, channel, data) => { s.socket.publish(channel, data); },
  invokePublish: (s, channel, data) => callbackPromise((cb) => s.socket.publish(channel, data, cb)),
  channelTransmitPublish: async (s, channel, data) => { s.socket.channel(channel).publish(data); },
  channelInvokePublish: (s, channel, data) => callbackPromise((cb) => s.socket.channel(channel).publish(data, cb)),
  channelState: (s, channel) => {
    let channel14 = s.socket.channels && s.socket.channels[channel];
    return channel14 ? channel14.getState() : 'unsubscribed';
  },
  authenticate: (s, token) => callbackPromise((cb) => s.socket.authenticate(token, cb)),
  deauthenticate: (s) => callbackPromise((cb) => s.socket.deauthenticate(cb)),
  saveToken: (s, token) => callbackPromise((cb) => s.socket.auth.saveToken(s.socket.authTokenName, token, {}, cb)),
  failTokenSaves(s) {
    s.socket.auth.saveToken = (name, token, options, callback) => {
      if (typeof callback === 'function') callback(failedToSaveTokenError());
    };
  },
  connectWithOptions() {
    throw Object.assign(new Error('socketcluster-client 14.x connect() takes no options'), {name: 'DriverError'});
  },

  destroy(s) {
    s.socket.destroy();
    if (typeof s.socket.off === 'function') s.socket.off();
  }
};

// The error the official client test's failing saveToken rejects with (C12).
function failedToSaveTokenError() {
  let error = new Error('Failed to save token');
  error.name = 'FailedToSaveTokenError';
  return error;
}

function respondWithBehaviour(behaviour, requestData, end, fail) {
  try {
    if (!behaviour || behaviour.mode === 'echo') {
      end(requestData, requestData !== undefined);
    } else if (behaviour.mode === 'end') {
      end(behaviour.data, Object.prototype.hasOwnProperty.call(behaviour, 'data'));
    } else if (behaviour.mode === 'error') {
      let error = new Error(String(behaviour.message ?? ''));
      error.name = String(behaviour.name ?? 'Error');
      for (let key of Object.keys(behaviour.properties || {})) error[key] = behaviour.properties[key];
      fail(error);
    } else if (behaviour.mode === 'silent') {
      // No response: the invoker times out.
    }
  } catch (e) {
    // A response on a closed socket is dropped, as the client itself would do.
  }
}

function validBehaviour(behaviour) {
  return behaviour !== null && typeof behaviour === 'object' &&
    ['echo', 'end', 'error', 'silent'].includes(behaviour.mode);
}

// ---------- the driver ----------

export function createDriver(create, info = {}) {
  if (typeof create !== 'function') throw new TypeError('createDriver needs the client create function');
  let sessions = new Map();
  let nextHandle = 1;

  function session(h) {
    let s = sessions.get(h);
    if (!s) throw Object.assign(new Error(`Unknown handle ${JSON.stringify(h)}`), {name: 'DriverError'});
    return s;
  }

  // Every command: validate, run, convert. Errors from the client become {ok:false, error}.
  function command(fn) {
    return async (...args) => {
      try {
        return await fn(...args);
      } catch (error) {
        return {ok: false, error: errorToJson(error)};
      }
    };
  }

  function requireString(value, what) {
    if (typeof value !== 'string') {
      throw Object.assign(new Error(`${what} must be a string`), {name: 'DriverError'});
    }
  }

  function requireTimeout(value) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw Object.assign(new Error('timeoutMs must be a non-negative number'), {name: 'DriverError'});
    }
  }

  function ensureChannelConsumer(s, channelName, channel) {
    if (s.consumedChannels.has(channelName)) return;
    s.consumedChannels.add(channelName);
    s.api.startChannel(s, channelName, channel);
  }

  const driver = {
    info: command(async () => ({ok: true, version: info.version ?? null, host: info.host ?? null,
      handles: Array.from(sessions.keys())})),

    connect: command(async (options = {}) => {
      if (options === null || typeof options !== 'object' || Array.isArray(options)) {
        return driverError('connect options must be an object');
      }
      // Harness pseudo-options (not client options): storedToken puts that token into the client's token storage
      // before its first handshake; failingTokenStore makes every later saveToken of its auth engine reject.
      let {storedToken, failingTokenStore, ...opts} = options;
      if (storedToken !== undefined && typeof storedToken !== 'string') {
        return driverError('storedToken must be a string (the signed token)');
      }
      if (failingTokenStore !== undefined && typeof failingTokenStore !== 'boolean') {
        return driverError('failingTokenStore must be a boolean');
      }
      if (info.api === 'emitter' && opts.multiplex === undefined) {
        opts.multiplex = false; // v14 create() would otherwise return a cached socket for the same URL
      }
      let socket = create(opts);
      let api = typeof socket.listener === 'function' ? agApi : emitterApi;
      let handle = nextHandle++;
      let s = new Session(handle, socket, api);
      sessions.set(handle, s);
      api.attach(s);
      // Both act on the socket's auth engine in the turn of create(): the client reads the token only when its
      // WebSocket has opened (transport handshake), which cannot happen before this turn ends.
      try {
        let saved = storedToken !== undefined ? api.saveToken(s, storedToken) : null;
        if (failingTokenStore) api.failTokenSaves(s);
        if (saved) await saved;
      } catch (error) {
        await driver.destroy(handle);
        throw error;
      }
      return {ok: true, handle, api: api.name};
    }),

    state: command(async (h) => {
      let socket = session(h).socket;
      return {
        ok: true,
        state: socket.state,
        authState: socket.authState,
        id: socket.id ?? null,
        signedAuthToken: socket.signedAuthToken ?? null,
        authToken: toJsonSafe(socket.authToken) ?? null,
        pendingReconnect: !!socket.pendingReconnect
      };
    }),

    events: command(async (h, sinceSeq = 0) => {
      let s = session(h);
      let since = Number.isFinite(sinceSeq) ? sinceSeq : 0;
      return {ok: true, events: s.events.filter((e) => e.seq > since), lastSeq: s.seq};
    }),

    waitForEvent: command(async (h, name, timeoutMs, sinceSeq = 0) => {
      let s = session(h);
      requireString(name, 'event name');
      requireTimeout(timeoutMs);
      let since = Number.isFinite(sinceSeq) ? sinceSeq : 0;
      let found = s.findEvent(name, since);
      if (found) return {ok: true, event: found};
      let event = await new Promise((resolve) => {
        let waiter = {name, sinceSeq: since, resolve: null};
        let timer = setTimeout(() => finish(null), timeoutMs);
        function finish(result) {
          clearTimeout(timer);
          let index = s.eventWaiters.indexOf(waiter);
          if (index >= 0) s.eventWaiters.splice(index, 1);
          resolve(result);
        }
        waiter.resolve = finish;
        s.eventWaiters.push(waiter);
      });
      if (event) return {ok: true, event};
      return timeoutResult(`No ${name} event after seq ${since} within ${timeoutMs} ms`);
    }),

    transmit: command(async (h, event, ...rest) => {
      let s = session(h);
      requireString(event, 'event');
      await s.api.transmit(s, event, rest[0], rest.length > 0);
      return {ok: true};
    }),

    // options: {ackTimeout?, noData?}; noData sends no data key even when data is given (JSON has no undefined).
    invoke: command(async (h, procedure, ...rest) => {
      let s = session(h);
      requireString(procedure, 'procedure');
      let options = rest[1] || {};
      let hasData = rest.length > 0 && options.noData !== true;
      let callOptions = options.ackTimeout != null ? {ackTimeout: options.ackTimeout} : undefined;
      let data = await s.api.invoke(s, procedure, rest[0], hasData, callOptions);
      let result = {ok: true, hasData: data !== undefined};
      if (data !== undefined) result.data = toJsonSafe(data) ?? null;
      return result;
    }),

    receiver: command(async (h, name) => {
      let s = session(h);
      requireString(name, 'receiver name');
      if (!s.receivers.has(name)) {
        s.receivers.add(name);
        s.api.startReceiver(s, name);
      }
      return {ok: true};
    }),

    received: command(async (h, name) => {
      let s = session(h);
      requireString(name, 'name');
      return {ok: true, items: (s.receivedByName.get(name) || []).slice()};
    }),

    procedure: command(async (h, name, behaviour = {mode: 'echo'}) => {
      let s = session(h);
      requireString(name, 'procedure name');
      if (!validBehaviour(behaviour)) {
        return driverError("behaviour must be {mode:'echo'} | {mode:'end', data?} | {mode:'error', name, message, properties?} | {mode:'silent'}");
      }
      let isNew = !s.procedures.has(name);
      s.procedures.set(name, behaviour);
      if (isNew) s.api.startProcedure(s, name);
      return {ok: true};
    }),

    subscribe: command(async (h, channelName, options) => {
      let s = session(h);
      requireString(channelName, 'channel');
      let channel = s.api.subscribe(s, channelName, options || undefined);
      ensureChannelConsumer(s, channelName, channel);
      return {ok: true, state: s.api.channelState(s, channelName)};
    }),

    publications: command(async (h, channelName) => {
      let s = session(h);
      requireString(channelName, 'channel');
      return {ok: true, items: (s.publications.get(channelName) || []).slice()};
    }),

    waitForPublications: command(async (h, channelName, count, timeoutMs) => {
      let s = session(h);
      requireString(channelName, 'channel');
      requireTimeout(timeoutMs);
      let current = () => (s.publications.get(channelName) || []);
      if (current().length < count) {
        await new Promise((resolve) => {
          let waiter = {channel: channelName, count, resolve: null};
          let timer = setTimeout(() => finish(), timeoutMs);
          function finish() {
            clearTimeout(timer);
            let index = s.publicationWaiters.indexOf(waiter);
            if (index >= 0) s.publicationWaiters.splice(index, 1);
            resolve();
          }
          waiter.resolve = finish;
          s.publicationWaiters.push(waiter);
        });
      }
      let items = current().slice();
      if (items.length >= count) return {ok: true, items};
      return {...timeoutResult(`${items.length} of ${count} publications on ${channelName} within ${timeoutMs} ms`), items};
    }),

    channelState: command(async (h, channelName) => {
      let s = session(h);
      requireString(channelName, 'channel');
      return {ok: true, state: s.api.channelState(s, channelName)};
    }),

    unsubscribe: command(async (h, channelName) => {
      let s = session(h);
      requireString(channelName, 'channel');
      s.socket.unsubscribe(channelName);
      return {ok: true};
    }),

    subscriptions: command(async (h, includePending = false) => {
      let s = session(h);
      return {ok: true, channels: s.socket.subscriptions(!!includePending)};
    }),

    isSubscribed: command(async (h, channelName, includePending = false) => {
      let s = session(h);
      requireString(channelName, 'channel');
      return {ok: true, subscribed: !!s.socket.isSubscribed(channelName, !!includePending)};
    }),

    transmitPublish: command(async (h, channelName, data) => {
      let s = session(h);
      requireString(channelName, 'channel');
      await s.api.transmitPublish(s, channelName, data);
      return {ok: true};
    }),

    invokePublish: command(async (h, channelName, data) => {
      let s = session(h);
      requireString(channelName, 'channel');
      await s.api.invokePublish(s, channelName, data);
      return {ok: true};
    }),

    channelTransmitPublish: command(async (h, channelName, data) => {
      let s = session(h);
      requireString(channelName, 'channel');
      await s.api.channelTransmitPublish(s, channelName, data);
      return {ok: true};
    }),

    channelInvokePublish: command(async (h, channelName, data) => {
      let s = session(h);
      requireString(channelName, 'channel');
      await s.api.channelInvokePublish(s, channelName, data);
      return {ok: true};
    }),

    authenticate: command(async (h, token) => {
      let s = session(h);
      let status = await s.api.authenticate(s, token);
      return {ok: true, data: toJsonSafe(status) ?? null};
    }),

    deauthenticate: command(async (h) => {
      let s = session(h);
      await s.api.deauthenticate(s);
      return {ok: true};
    }),

    disconnect: command(async (h, code, reason) => {
      let s = session(h);
      s.socket.disconnect(code ?? undefined, reason ?? undefined);
      return {ok: true};
    }),

    // connect(), or with an options object connect(options): the official client merges them into its options
    // and, when the socket is not closed, first disconnects it (1000) to start a new connection.
    connectAgain: command(async (h, options) => {
      let s = session(h);
      if (options === undefined || options === null) {
        s.socket.connect();
      } else if (typeof options !== 'object' || Array.isArray(options)) {
        return driverError('connectAgain options must be an object');
      } else {
        s.api.connectWithOptions(s, options);
      }
      return {ok: true};
    }),

    // connect() then disconnect(code, reason) in the same turn, so the handshake cannot complete in between.
    connectAndDisconnect: command(async (h, code, reason) => {
      let s = session(h);
      s.socket.connect();
      s.socket.disconnect(code ?? undefined, reason ?? undefined);
      return {ok: true};
    }),

    reconnect: command(async (h, code, reason) => {
      session(h).socket.reconnect(code ?? undefined, reason ?? undefined);
      return {ok: true};
    }),

    destroy: command(async (h) => {
      let s = session(h);
      sessions.delete(h);
      s.destroyed = true;
      for (let waiter of s.eventWaiters.slice()) waiter.resolve(null);
      for (let waiter of s.publicationWaiters.slice()) waiter.resolve();
      s.api.destroy(s);
      return {ok: true};
    }),

    destroyAll: command(async () => {
      let handles = Array.from(sessions.keys());
      for (let h of handles) await driver.destroy(h);
      return {ok: true, destroyed: handles};
    })
  };

  return driver;
}

export const DRIVER_COMMANDS = [
  'info', 'connect', 'state', 'events', 'waitForEvent', 'transmit', 'invoke', 'receiver', 'received', 'procedure',
  'subscribe', 'publications', 'waitForPublications', 'channelState', 'unsubscribe', 'subscriptions',
  'isSubscribed', 'transmitPublish', 'invokePublish', 'channelTransmitPublish', 'channelInvokePublish',
  'authenticate', 'deauthenticate', 'disconnect', 'connectAgain', 'connectAndDisconnect', 'reconnect', 'destroy',
  'destroyAll'
];
