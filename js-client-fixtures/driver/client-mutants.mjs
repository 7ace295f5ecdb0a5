// TEST-ONLY: deliberately broken variants of the official socketcluster-client 20.x, for the conformance suite's
// client mutation self-test (harness/Conformance.Mutants.Tests/SelfTest/ClientMutantSelfTests.cs). Each mutant
// monkey-patches AGClientSocket / AGTransport so that the client breaks one client MUST of spec/requirements.md
// (the ID is in the comment). node-client-driver.mjs applies one only when the self-test sends the `mutate`
// command before the first socket is created; a normal run never loads a mutant.
//
// Every patch is applied to the prototypes shared by all sockets of the process: the driver process that gets
// one serves that mutant alone.

// Calls `original` with autoReconnectOptions temporarily replaced by `change(options)` (RC-004 mutants).
function withBackoff(proto, change) {
  let original = proto._tryReconnect;
  proto._tryReconnect = function (initialDelay) {
    let saved = this.options.autoReconnectOptions;
    this.options.autoReconnectOptions = change({...saved});
    try {
      return original.call(this, initialDelay);
    } finally {
      this.options.autoReconnectOptions = saved;
    }
  };
}

export const CLIENT_MUTANTS = {
  // PS-017: channel consumers get the whole #publish data ({channel, data}) instead of its data.
  'publish-envelope'(socketProto) {
    let handlers = {...socketProto._privateDataHandlerMap};
    let original = handlers['#publish'];
    handlers['#publish'] = function (data) {
      return original.call(this, {channel: data && data.channel, data});
    };
    socketProto._privateDataHandlerMap = handlers;
  },
  // PS-021: #kickOut is ignored (no kickOut event, the channel stays subscribed).
  'ignore-kick-out'(socketProto) {
    socketProto._privateDataHandlerMap = {...socketProto._privateDataHandlerMap, '#kickOut': function () {}};
  },
  // RC-009, RC-010: pending channels are not subscribed again after a reconnect.
  'no-resubscribe'(socketProto) {
    let onOpen = socketProto._onOpen;
    socketProto._onOpen = function (status) {
      this.__mutantHandshakes = (this.__mutantHandshakes || 0) + 1;
      return onOpen.call(this, status);
    };
    let process = socketProto.processPendingSubscriptions;
    socketProto.processPendingSubscriptions = function () {
      if (this.__mutantHandshakes > 1) {
        this.preparingPendingSubscriptions = false;
        return;
      }
      return process.call(this);
    };
  },
  // EV-011: invokes never time out.
  'no-ack-timeout'(socketProto) {
    let original = socketProto._handleEventAckTimeout;
    socketProto._handleEventAckTimeout = function (eventObject, eventNode) {
      if (eventObject.callback && eventObject.event !== '#handshake') return;
      return original.call(this, eventObject, eventNode);
    };
  },
  // HS-011: the #handshake request has no ack timeout (the client waits until its ping watchdog fires instead).
  'no-handshake-timeout'(socketProto, transportProto) {
    let original = transportProto._handleEventAckTimeout;
    transportProto._handleEventAckTimeout = function (eventObject) {
      if (eventObject.event === '#handshake') return;
      return original.call(this, eventObject);
    };
  },
  // PS-025: #publish reaches subscribed channels only, not channels whose subscription is still pending.
  'drop-pending-publications'(socketProto) {
    let handlers = {...socketProto._privateDataHandlerMap};
    let original = handlers['#publish'];
    handlers['#publish'] = function (data) {
      if (data && typeof data.channel === 'string'
        && !this.isSubscribed(this._undecorateChannelName(data.channel), false)) return;
      return original.call(this, data);
    };
    socketProto._privateDataHandlerMap = handlers;
  },
  // EV-019: calls are not rejected on disconnect (neither those in flight, held by the transport, nor queued ones):
  // they fail later with TimeoutError instead.
  'keep-pending-calls'(socketProto, transportProto) {
    socketProto._abortAllPendingEventsDueToBadConnection = function () {};
    transportProto._abortAllPendingEventsDueToBadConnection = function () {};
  },
  // PP-008: the watchdog runs on a fixed 6 s instead of the server's pingTimeout (the connect event still reports it).
  'fixed-ping-watchdog'(socketProto, transportProto) {
    let original = transportProto._resetPingTimeout;
    transportProto._resetPingTimeout = function () {
      if (this.state !== this.OPEN) return original.call(this);
      let advertised = this.pingTimeout;
      this.pingTimeout = 6000;
      try {
        return original.call(this);
      } finally {
        this.pingTimeout = advertised;
      }
    };
  },
  // RC-004: constant delay (multiplier 1).
  'backoff-constant'(socketProto) {
    withBackoff(socketProto, (o) => ({...o, multiplier: 1}));
  },
  // RC-004: the delay grows without the maxDelay cap.
  'backoff-uncapped'(socketProto) {
    withBackoff(socketProto, (o) => ({...o, maxDelay: Infinity}));
  },
  // RC-002: reconnects after 1000 and codes of 4500 and above too.
  'reconnect-after-final-codes'(socketProto) {
    let destroy = socketProto._destroy;
    socketProto._destroy = function (code, reason, openAbort) {
      let result = destroy.call(this, code, reason, openAbort);
      if (this.options.autoReconnect && !this.pendingReconnect && (code === 1000 || code >= 4500)) this._tryReconnect();
      return result;
    };
  },
};

// Applies the named mutant to the client's prototypes; throws on an unknown name.
export function applyClientMutant(name, socketProto, transportProto) {
  let mutant = CLIENT_MUTANTS[name];
  if (typeof mutant !== 'function') {
    throw new Error(`unknown client mutant ${JSON.stringify(name)}; known: ${Object.keys(CLIENT_MUTANTS).join(', ')}`);
  }
  mutant(socketProto, transportProto);
}
