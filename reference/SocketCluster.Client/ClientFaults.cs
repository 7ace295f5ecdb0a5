namespace SocketCluster.Client;

/// <summary>
/// TEST-ONLY. Deliberate protocol violations for the conformance suite's client mutation self-test
/// (harness/Conformance.Mutants.Tests/SelfTest/ClientMutantSelfTests.cs): each flag breaks one client MUST of
/// spec/requirements.md, so the self-test can show that a client scenario catches it. Internal: the only way in is
/// <see cref="ClientFaultInjection.Ambient"/>, visible to the self-test assembly alone (InternalsVisibleTo); a
/// client created by any other code has <see cref="None"/>.
/// </summary>
[Flags]
internal enum ClientFaults
{
    None = 0,

    /// <summary>PP-008: the watchdog runs on a fixed 6 s instead of the server's pingTimeout (the connect event still reports it).</summary>
    FixedPingWatchdog = 1 << 0,

    /// <summary>PP-007: no ping watchdog at all.</summary>
    NoPingWatchdog = 1 << 1,

    /// <summary>RC-009, RC-010: pending channels are not subscribed again after a reconnect.</summary>
    NoResubscribe = 1 << 2,

    /// <summary>RC-004: every reconnect waits initialDelay (multiplier 1).</summary>
    BackoffConstant = 1 << 3,

    /// <summary>RC-004: the configured multiplier is ignored (the default 1.5 is used).</summary>
    BackoffIgnoresMultiplier = 1 << 4,

    /// <summary>RC-004: the delay grows without the maxDelay cap.</summary>
    BackoffUncapped = 1 << 5,

    /// <summary>HS-010: a handshake error closes with 4003 whatever its statusCode.</summary>
    HandshakeErrorAlways4003 = 1 << 6,

    /// <summary>HS-010: a handshake error is reported, but the client does not close: it waits for the server's close.</summary>
    HandshakeErrorWaitsForServer = 1 << 7,

    /// <summary>EV-019: calls in flight are not rejected on disconnect (they time out later instead).</summary>
    KeepPendingCallsOnDisconnect = 1 << 8,

    /// <summary>PS-021: #kickOut is ignored (no kickOut event, the channel stays subscribed).</summary>
    IgnoreKickOut = 1 << 9,

    /// <summary>PS-018: a refused subscription drops the channel silently, without subscribeFail.</summary>
    NoSubscribeFail = 1 << 10,

    /// <summary>EV-011: invokes never time out.</summary>
    NoAckTimeout = 1 << 11,

    /// <summary>PS-017: channel consumers get the whole #publish data ({channel, data}) instead of its data.</summary>
    PublishEnvelope = 1 << 12,

    /// <summary>AU-014, AU-015: an issued token is applied but never saved in the token store.</summary>
    DropIssuedToken = 1 << 13,

    /// <summary>RC-002: the client reconnects after 1000 and codes of 4500 and above too.</summary>
    ReconnectAfterFinalCodes = 1 << 14,

    /// <summary>RC-001: the client never reconnects by itself.</summary>
    NoAutoReconnect = 1 << 15,
    /// <summary>HS-011: the #handshake request has no ack timeout (the client waits for the reply until its ping watchdog fires).</summary>
    NoHandshakeTimeout = 1 << 16,
    /// <summary>EV-022: a raw message (no event, no numeric rid) makes the client close the connection with 1003.</summary>
    RawMessageCloses = 1 << 17,
    /// <summary>EV-023: a response whose rid matches no pending call makes the client close the connection with 1002.</summary>
    UnknownRidCloses = 1 << 18,
    /// <summary>PS-025: #publish is delivered only to subscribed channels, not to pending ones.</summary>
    DropPendingPublications = 1 << 19,
}

/// <summary>TEST-ONLY: how the self-test gives a fault to the clients it creates (see <see cref="ClientFaults"/>).</summary>
internal static class ClientFaultInjection
{
    /// <summary>
    /// Read once by each <see cref="ClientSocket"/> constructor. Async-local, so the self-test's mutant driver sets it
    /// around its own create call and no other client in the process (other tests run in parallel) is affected.
    /// </summary>
    internal static readonly AsyncLocal<ClientFaults> Ambient = new();
}
