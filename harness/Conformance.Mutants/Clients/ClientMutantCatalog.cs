namespace Conformance.Mutants.Clients;

/// <summary>
/// Every client mutant of the self-test (issue 10 §5). Wire mutants rewrite what an unmodified client sends;
/// behaviour mutants are patched clients. See <see cref="ClientMutant"/>.
/// </summary>
public static class ClientMutantCatalog
{
    public static IReadOnlyList<ClientMutant> All { get; } =
    [
        // ---- wire (proxy between the client and its known-good server) ----
        Wire("csharp", "no-pong", ClientWireFault.DropPongs, "never answers pings", "PP-006"),
        Wire("node", "no-pong", ClientWireFault.DropPongs, "never answers pings", "PP-006"),
        Wire("csharp", "v1-pong-on-v2", ClientWireFault.V1PongOnV2, "answers v2 pings with the v1 pong \"#2\"", "PP-006", "V1-002"),
        Wire("node", "v2-pong-on-v1", ClientWireFault.V2PongOnV1, "answers v1 pings (\"#1\") with the v2 pong \"\"", "V1-002") with { ProtocolVersion = 1 },
        Wire("csharp", "cid-on-transmits", ClientWireFault.CidOnTransmits, "sends a cid on every transmit", "EV-001", "PS-008"),
        Wire("csharp", "handshake-cid-as-string", ClientWireFault.HandshakeCidAsString, "sends the handshake cid as a string", "HS-001", "EV-004"),
        Wire("node", "request-cids-as-strings", ClientWireFault.RequestCidsAsStrings, "sends the cid of its requests as strings", "EV-004"),
        Wire("csharp", "close-always-1000", ClientWireFault.CloseAlways1000, "closes with 1000 and no reason whatever disconnect() was given", "CC-005"),
        Wire("csharp", "batched-handshake", ClientWireFault.BatchedHandshake, "sends its handshake inside an array", "BA-003"),
        Wire("csharp", "binary-frames", ClientWireFault.BinaryFrames, "sends its messages as binary frames", "TR-004", "HS-001"),
        Wire("node", "handshake-without-token", ClientWireFault.HandshakeWithoutToken, "does not present its stored token in the handshake", "AU-015"),
        Wire("csharp", "subscribe-with-priority", ClientWireFault.SubscribeWithPriority, "sends the channel priority in #subscribe", "PS-022"),
        Wire("csharp", "no-remove-auth-token", ClientWireFault.DropRemoveAuthToken, "deauthenticates without telling the server", "AU-019"),
        Wire("csharp", "unsubscribe-as-request", ClientWireFault.UnsubscribeAsRequest, "sends #unsubscribe with a cid", "PS-019"),
        Wire("node", "publish-request-without-cid", ClientWireFault.PublishRequestWithoutCid, "sends invokePublish's #publish without a cid", "PS-020", "PS-008"),
        Wire("csharp", "responses-without-rid", ClientWireFault.ResponsesWithoutRid, "answers the server's requests without rid", "EV-016", "EV-005"),
        Wire("csharp", "set-auth-token-answer-without-rid", ClientWireFault.SetAuthTokenAnswerWithoutRid, "answers #setAuthToken requests without rid", "AU-025"),
        Wire("node", "set-auth-token-answer-without-rid", ClientWireFault.SetAuthTokenAnswerWithoutRid, "answers #setAuthToken requests without rid", "AU-025"),
        Wire("csharp", "answers-foreign-ping", ClientWireFault.AnswersForeignPing, "answers the v1 ping \"#1\" with the v2 pong in protocol v2", "PP-012"),
        Wire("csharp", "sends-before-handshake", ClientWireFault.SendsBeforeHandshake, "sends a transmit before its #handshake", "HS-001"),

        // ---- behaviour: the C# reference client with a test-only fault (ClientFaults.cs) ----
        CSharp("fixed-ping-watchdog", "FixedPingWatchdog", "watches for pings with a fixed 6 s instead of the server's pingTimeout", "PP-008"),
        CSharp("no-ping-watchdog", "NoPingWatchdog", "never closes when pings stop", "PP-007"),
        CSharp("no-resubscribe", "NoResubscribe", "does not subscribe its channels again after a reconnect", "RC-010", "RC-009"),
        CSharp("backoff-constant", "BackoffConstant", "reconnects with a constant delay", "RC-004"),
        CSharp("backoff-ignores-multiplier", "BackoffIgnoresMultiplier", "backs off with the default multiplier 1.5 whatever is configured", "RC-004"),
        CSharp("backoff-uncapped", "BackoffUncapped", "backs off without the maxDelay cap", "RC-004"),
        CSharp("handshake-error-always-4003", "HandshakeErrorAlways4003", "closes with 4003 on a handshake error, ignoring its statusCode", "HS-010"),
        CSharp("handshake-error-waits-for-server", "HandshakeErrorWaitsForServer", "does not close on a handshake error but waits for the server's close", "HS-010"),
        CSharp("keep-pending-calls", "KeepPendingCallsOnDisconnect", "does not reject pending invokes on disconnect", "EV-019"),
        CSharp("ignore-kick-out", "IgnoreKickOut", "ignores #kickOut", "PS-021"),
        CSharp("no-subscribe-fail", "NoSubscribeFail", "drops a refused channel without emitting subscribeFail", "PS-018"),
        CSharp("no-ack-timeout", "NoAckTimeout", "never times out an invoke", "EV-011"),
        CSharp("publish-envelope", "PublishEnvelope", "delivers the whole #publish envelope as the publication", "PS-017"),
        CSharp("drop-issued-token", "DropIssuedToken", "never stores an issued token", "AU-015", "AU-014"),
        CSharp("reconnect-after-final-codes", "ReconnectAfterFinalCodes", "reconnects after 1000 and codes of 4500 and above", "RC-002"),
        CSharp("no-auto-reconnect", "NoAutoReconnect", "never reconnects by itself", "RC-001"),
        CSharp("no-handshake-timeout", "NoHandshakeTimeout", "waits for the handshake reply without ack timeout", "HS-011"),
        CSharp("raw-message-closes", "RawMessageCloses", "closes the connection on a raw message", "EV-022"),
        CSharp("unknown-rid-closes", "UnknownRidCloses", "closes the connection on a response with an unknown rid", "EV-023"),
        CSharp("drop-pending-publications", "DropPendingPublications", "drops publications for channels whose subscription is pending", "PS-025"),

        // ---- behaviour: the official JS client, monkey-patched (client-mutants.mjs) ----
        Node("publish-envelope", "delivers the whole #publish envelope as the publication", "PS-017"),
        Node("ignore-kick-out", "ignores #kickOut", "PS-021"),
        Node("no-resubscribe", "does not subscribe its channels again after a reconnect", "RC-010", "RC-009"),
        Node("no-ack-timeout", "never times out an invoke", "EV-011"),
        Node("keep-pending-calls", "does not reject pending invokes on disconnect", "EV-019"),
        Node("fixed-ping-watchdog", "watches for pings with a fixed 6 s instead of the server's pingTimeout", "PP-008"),
        Node("backoff-constant", "reconnects with a constant delay", "RC-004"),
        Node("backoff-uncapped", "backs off without the maxDelay cap", "RC-004"),
        Node("reconnect-after-final-codes", "reconnects after 1000 and codes of 4500 and above", "RC-002"),
        Node("drop-pending-publications", "drops publications for channels whose subscription is pending", "PS-025"),
        Node("no-handshake-timeout", "waits for the handshake reply without ack timeout", "HS-011"),
    ];

    /// <summary>
    /// Mutants today's scenarios are known not to catch, each with why. The self-test reports them as survivors
    /// instead of failing, and fails if one of them IS caught (so this list only shrinks). Empty since the
    /// scripted-server scenarios (features/ClientResilience) send #setAuthToken as a request (AU-025).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ExpectedSurvivors { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public static ClientMutant Get(string id) =>
        All.FirstOrDefault(m => m.Id == id) ?? throw new KeyNotFoundException($"No client mutant '{id}'.");

    private static ClientMutant Wire(string driver, string name, ClientWireFault fault, string description, params string[] breaks) =>
        new($"{driver}/{name}", driver, description, breaks, ClientMutantMechanism.Wire, null, () => new ClientWireSession(fault));

    private static ClientMutant CSharp(string name, string fault, string description, params string[] breaks) =>
        new($"csharp/{name}", "csharp", description, breaks, ClientMutantMechanism.Behaviour, fault, null);

    private static ClientMutant Node(string name, string description, params string[] breaks) =>
        new($"node/{name}", "node", description, breaks, ClientMutantMechanism.Behaviour, name, null);
}
