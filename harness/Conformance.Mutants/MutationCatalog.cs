using System.Text.Json.Nodes;
using Conformance.Mutants.Mutations;
using SocketCluster.Protocol;

namespace Conformance.Mutants;

/// <summary>
/// Every mutation the self-test runs: deliberate protocol violations (each must make at least one scenario
/// fail) and legal variations (none may make a scenario fail). Requirement IDs are those of spec/requirements.md.
/// </summary>
public static class MutationCatalog
{
    /// <summary>The transparent proxy: the baseline every other mutation is compared with.</summary>
    public static Mutation Identity { get; } =
        new("identity", "No change: a transparent proxy.", MutationKind.Legal, [], () => new MutationSession());

    /// <summary>The procedures of the fixture-app contract (spec/fixture-app.md) and the seed's customProc.</summary>
    internal static IReadOnlySet<string> FixtureProcedures { get; } = new HashSet<string>
    {
        "customProc", "conformance.hello", "conformance.echo", "conformance.received", "conformance.transmit",
        "conformance.invoke", "conformance.publish", "conformance.setAuthToken", "conformance.login",
        "conformance.deauthenticate", "conformance.authState", "conformance.kickOut", "conformance.subscriptions",
        "conformance.disconnect", "conformance.handshakeSetAuthTokenOutcome",
    };

    public static IReadOnlyList<Mutation> Violations { get; } =
    [
        // Handshake response (HS-002, HS-003)
        HandshakeResponseEdit.Make("handshake-missing-rid",
            "The handshake response has no rid.", ["HS-002", "EV-005"],
            o => o.Remove("rid")),
        HandshakeResponseEdit.Make("handshake-rid-string",
            "The handshake response's rid is a string (\"1\").", ["HS-002", "EV-005"],
            o => { o["rid"] = o["rid"]!.ToJsonString(); return true; }),
        HandshakeResponseEdit.Make("handshake-missing-id",
            "The handshake response data has no id.", ["HS-002"],
            o => Json.RemoveKey(o["data"] as JsonObject, "id")),
        HandshakeResponseEdit.Make("handshake-missing-pingTimeout",
            "The handshake response data has no pingTimeout.", ["HS-002"],
            o => Json.RemoveKey(o["data"] as JsonObject, "pingTimeout")),
        HandshakeResponseEdit.Make("handshake-missing-isAuthenticated",
            "The handshake response data has no isAuthenticated.", ["HS-002"],
            o => Json.RemoveKey(o["data"] as JsonObject, "isAuthenticated")),
        HandshakeResponseEdit.Make("handshake-authError-null",
            "The handshake response carries \"authError\":null when there is nothing to report (it must be absent).", ["HS-003"],
            o =>
            {
                if (o["data"] is not JsonObject d || d.ContainsKey("authError")) return false;
                d["authError"] = null;
                return true;
            }),
        HandshakeResponseEdit.Make("handshake-data-extra-key",
            "The handshake response data carries a key the spec does not define (\"serverTime\").", ["HS-002"],
            o =>
            {
                if (o["data"] is not JsonObject d) return false;
                d["serverTime"] = 1_700_000_000_000;
                return true;
            }),
        HandshakeResponseEdit.Make("handshake-authError-extra-key",
            "The handshake response's authError carries a property the error does not have (\"code\").", ["AU-003", "AU-004"],
            o =>
            {
                if (o["data"]?["authError"] is not JsonObject e || e.ContainsKey("code")) return false;
                e["code"] = 401;
                return true;
            }),
        HandshakeResponseEdit.Make("handshake-response-extra-key",
            "The handshake response carries a key besides rid and data (\"event\":\"#handshake\").", ["HS-002"],
            o => { o["event"] = "#handshake"; return true; }),
        new("handshake-valid-token-setAuthToken",
            "After a handshake that authenticated with a valid token, the server also sends #setAuthToken.",
            MutationKind.Violation, ["AU-002"], () => new SetAuthTokenAfterValidHandshakeToken()),
        new("pre-handshake-accepted",
            "The server processes messages sent before the handshake instead of closing with 4009.",
            MutationKind.Violation, ["HS-006"], () => new PreHandshakeAccepted()),
        new("handshake-timeout-not-enforced",
            "The server never closes a socket that sends no #handshake (no 4005).",
            MutationKind.Violation, ["HS-007"], () => new HandshakeTimeoutNotEnforced()),
        new("path-without-slash-accepted",
            "The server upgrades /socketcluster (no trailing slash) instead of answering HTTP 400.",
            MutationKind.Violation, ["TR-002"], () => new LenientPath()),
        HandshakeResponseEdit.Make("handshake-rid-always-1",
            "The handshake response always carries rid 1, whatever the handshake's cid.", ["HS-005"],
            o => { if (Json.Long(o["rid"]) == 1) return false; o["rid"] = 1; return true; }),
        new("handshake-without-cid-accepted",
            "The server accepts a #handshake without a numeric cid (answering nothing) instead of closing with 4008.",
            MutationKind.Violation, ["HS-004"],
            () => new ClientRequestPromotion(p => p.Event is { Event: EventNames.Handshake, Cid: null }, PromotedAnswer.Swallow)),
        new("binary-frames-ignored",
            "The server ignores binary frames (it must decode them as UTF-8 text).",
            MutationKind.Violation, ["TR-005"], () => new IgnoredClientFrames(f => !f.IsText)),
        new("leading-whitespace-rejected",
            "The server treats a JSON frame with leading whitespace as a raw message (and ignores it).",
            MutationKind.Violation, ["TR-006"], () => new IgnoredClientFrames(f => f.IsText && f.Text.Length > 0 && f.Text[0] is ' ' or '\t' or '\r' or '\n')),

        // Ping / pong (PP-001..PP-011)
        new("ping-v1-on-v2",
            "A protocol v2 server pings with the v1 text \"#1\".",
            MutationKind.Violation, ["PP-001"], () => new PingSession(PingFault.V1PingOnV2)),
        new("never-pings",
            "The server never pings its clients.",
            MutationKind.Violation, ["PP-001", "PP-002"], () => new PingSession(PingFault.NeverPings)),
        new("no-pong-timeout",
            "The server never disconnects a client that stopped answering pings (no 4001).",
            MutationKind.Violation, ["PP-004"], () => new PingSession(PingFault.NoPongTimeout)),
        new("pongs-ignored",
            "The server ignores the client's pongs and disconnects it with 4001 although it answers every ping.",
            MutationKind.Violation, ["PP-003"], () => new PingSession(PingFault.IgnoresPongs)),
        AdvertisedPingTimeout.Scaled("ping-timeout-enforced-twice-advertised",
            "The server enforces twice the pingTimeout it advertises (the handshake response says half).", 0.5),
        AdvertisedPingTimeout.Scaled("ping-timeout-enforced-half-advertised",
            "The server enforces half the pingTimeout it advertises (the handshake response says double).", 2.0),

        // Event layer (EV-001..EV-021)
        ServerPacketEdit.InPlace("response-rid-off-by-one",
            "Responses (after the handshake) carry rid = cid + 1.", ["EV-005"],
            (p, o) => { if (p.Response is not { } r) return false; o["rid"] = r.Rid + 1; return true; }),
        ServerPacketEdit.InPlace("error-name-removed",
            "Error responses lose the error's name.", ["EV-006"],
            (p, o) => p.Response is { IsError: true } && Json.RemoveKey(o["error"] as JsonObject, "name")),
        ServerPacketEdit.InPlace("error-message-replaced",
            "Error responses carry a generic message instead of the error's own.", ["EV-006"],
            (p, o) =>
            {
                if (p.Response is not { IsError: true } || o["error"] is not JsonObject e) return false;
                e["message"] = "An error occurred";
                return true;
            }),
        ServerPacketEdit.InPlace("error-extra-properties-dropped",
            "Error responses keep only name and message (statusCode, isBadToken, type... are lost).", ["EV-006", "AU-007", "MW-001"],
            (p, o) =>
            {
                if (p.Response is not { IsError: true } || o["error"] is not JsonObject e) return false;
                var extra = e.Select(kv => kv.Key).Where(k => k is not ("name" or "message")).ToList();
                foreach (var k in extra) e.Remove(k);
                return extra.Count > 0;
            }),
        ServerPacketEdit.InPlace("error-extra-key",
            "Error responses carry a property the error does not have (\"code\":500).", ["EV-006"],
            (p, o) =>
            {
                if (p.Response is not { IsError: true } || o["error"] is not JsonObject e || e.ContainsKey("code")) return false;
                e["code"] = 500;
                return true;
            }),
        ServerPacketEdit.InPlace("error-response-with-data",
            "Error responses also carry \"data\":null.", ["EV-006"],
            (p, o) => { if (p.Response is not { IsError: true } || o.ContainsKey("data")) return false; o["data"] = null; return true; }),
        ServerPacketEdit.InPlace("data-null-dropped",
            "A \"data\":null in responses and events is sent as no data key.", ["EV-003", "TR-007"],
            (p, o) => p.Packet is ResponsePacket or EventPacket && o.TryGetPropertyValue("data", out var d) && d is null && o.Remove("data")),
        ServerPacketEdit.InPlace("data-absent-sent-as-null",
            "Responses and events without data are sent with \"data\":null.", ["EV-003", "EV-005"],
            (p, o) =>
            {
                if (p.Packet is not (ResponsePacket { IsError: false } or EventPacket) || o.ContainsKey("data")) return false;
                if (p.Packet is ResponsePacket && o.ContainsKey("error")) return false;
                o["data"] = null;
                return true;
            }),
        ServerPacketEdit.InPlace("transmit-sent-as-request",
            "Server transmits of application events carry a cid, as if they were requests.", ["EV-014"],
            (p, o) =>
            {
                if (p.Event is not { Cid: null } e || EventNames.Reserved.Contains(e.Event)) return false;
                o["cid"] = 1_700_000_000;
                return true;
            }),
        new("string-cid-answered",
            "The server treats a request whose cid is a string as a request and answers it (it must be a transmit).",
            MutationKind.Violation, ["EV-008"],
            () => new ClientRequestPromotion(p => p.Event is { HadNonNumericCid: true } && Json.String(p.Object!["cid"]) is not null, PromotedAnswer.EchoClientCid)),
        new("transmit-answered",
            "The server treats application transmits as requests and answers them.",
            MutationKind.Violation, ["EV-002"],
            () => new ClientRequestPromotion(p => p.Event is { Cid: null, HadNonNumericCid: false } e && !EventNames.Reserved.Contains(e.Event), PromotedAnswer.AsSent)),
        new("unknown-procedure-answered",
            "The server answers a request for a procedure nobody handles with an error (it must not answer).",
            MutationKind.Violation, ["EV-010"],
            () => new ProxyAnswers(p => p.Event is { Cid: { } cid } e && !e.Event.StartsWith('#') && !FixtureProcedures.Contains(e.Event)
                ? Json.Parse($$$"""{"rid":{{{cid}}},"error":{"message":"Unknown procedure {{{e.Event}}}","name":"UnknownProcedureError"}}""") : null)),
        new("unsolicited-response-fatal",
            "The server closes the connection (1011) on a response it was not waiting for.",
            MutationKind.Violation, ["EV-009"],
            () => new FatalClientPacket(p => p.Packet is ResponsePacket || p.Object?["rid"] is not null && p.Packet is RawPacket, 1011)),
        ServerPacketEdit.InPlace("server-invoke-sent-as-transmit",
            "The server's invokes of client procedures are sent without their cid.", ["EV-012"],
            (p, o) => p.Event is { Cid: not null } e && !EventNames.Reserved.Contains(e.Event) && o.Remove("cid")),
        new("legacy-disconnect-closes",
            "A v2 server treats the legacy #disconnect event as a close request (it is an ordinary transmit in v2).",
            MutationKind.Violation, ["EV-017"],
            () => new FatalClientPacket(p => p.IsEvent(EventNames.Disconnect), 1000)),
        new("raw-message-fatal",
            "The server closes the connection (1011) on a non-JSON message instead of ignoring it.",
            MutationKind.Violation, ["RB-001"], () => new RawMessageFatal()),
        new("batch-reversed",
            "The server processes the packets of an inbound batch in reverse order.",
            MutationKind.Violation, ["BA-001"], () => new ClientBatchFault(reverse: true)),
        new("batch-ignored",
            "The server ignores inbound batches (JSON arrays).",
            MutationKind.Violation, ["BA-001"], () => new ClientBatchFault(reverse: false)),

        // Pub/sub (PS-001..PS-024)
        ServerPacketEdit.InPlace("publish-without-envelope",
            "#publish deliveries carry the bare data instead of {channel, data}.", ["PS-011"],
            (p, o) =>
            {
                if (!p.IsEvent(EventNames.Publish) || p.DataObject is not { } d) return false;
                if (d["data"] is { } inner) o["data"] = inner.DeepClone(); else o.Remove("data");
                return true;
            }),
        ServerPacketEdit.InPlace("publish-sent-as-request",
            "#publish deliveries carry a cid.", ["PS-011"],
            (p, o) => { if (!p.IsEvent(EventNames.Publish)) return false; o["cid"] = 1_700_000_001; return true; }),
        ServerPacketEdit.ExtraDataKey("publish-envelope-extra-key", ["PS-011"], EventNames.Publish, "sender", "server"),
        ServerPacketEdit.InPlace("publish-extra-top-level-key",
            "#publish deliveries carry a key besides event and data (\"ts\").", ["PS-011"],
            (p, o) => { if (!p.IsEvent(EventNames.Publish)) return false; o["ts"] = 1; return true; }),
        new("own-publication-not-echoed",
            "The broker does not deliver a client's own publication back to it.",
            MutationKind.Violation, ["PS-012"], () => new OwnPublicationNotEchoed()),
        new("publications-reordered",
            "Consecutive publications to a socket are delivered in swapped order.",
            MutationKind.Violation, ["PS-013"], () => new PublicationsReordered()),
        ServerPacketEdit.Make("kickOut-dropped",
            "#kickOut is never sent.", ["PS-016"],
            p => p.IsEvent(EventNames.KickOut) ? [] : null),
        ServerPacketEdit.InPlace("kickOut-message-dropped",
            "#kickOut loses its message.", ["PS-016"],
            (p, o) => p.IsEvent(EventNames.KickOut) && Json.RemoveKey(p.DataObject, "message")),
        ServerPacketEdit.ExtraDataKey("kickOut-extra-key", ["PS-016"], EventNames.KickOut, "reason", "kicked"),
        new("subscribe-without-cid-honoured",
            "The server subscribes on a #subscribe that has no cid.",
            MutationKind.Violation, ["PS-004"],
            () => new ClientRequestPromotion(p => p.Event is { Event: EventNames.Subscribe, Cid: null, HadNonNumericCid: false }, PromotedAnswer.Swallow)),
        new("unsubscribe-ignored",
            "The server ignores #unsubscribe (and still acknowledges it).",
            MutationKind.Violation, ["PS-006"], () => new UnsubscribeIgnored()),
        RequestResponseEdit.Make("subscribe-ack-with-data",
            "A successful #subscribe is answered with data (the channel) instead of no data.", ["PS-002"], EventNames.Subscribe,
            (o, request) =>
            {
                if (o.ContainsKey("error") || o.ContainsKey("data")) return false;
                o["data"] = new JsonObject { ["channel"] = (request as JsonObject)?["channel"]?.DeepClone() };
                return true;
            }),
        RequestResponseEdit.Make("publish-ack-with-data",
            "A successful #publish request is answered with data instead of no data.", ["PS-009"], EventNames.Publish,
            (o, _) =>
            {
                if (o.ContainsKey("error") || o.ContainsKey("data")) return false;
                o["data"] = "published";
                return true;
            }),
        RequestResponseEdit.Make("unsubscribe-errors-hidden",
            "A failed #unsubscribe request (channel not held, malformed name) is answered as a success.", ["PS-007"], EventNames.Unsubscribe,
            (o, _) => o.Remove("error")),
        new("malformed-subscribe-accepted",
            "A #subscribe whose channel is not a string is acknowledged as a success.",
            MutationKind.Violation, ["PS-003"],
            () => new ProxyAnswers(p => p.Event is { Event: EventNames.Subscribe, Cid: { } cid } && Json.String(p.DataObject?["channel"]) is null
                ? Json.Parse($$"""{"rid":{{cid}}}""") : null)),

        // Authentication (AU-001..AU-024)
        new("removeAuthToken-missing-after-bad-token",
            "After a bad token (isBadToken) the server does not send #removeAuthToken.",
            MutationKind.Violation, ["AU-003", "AU-007"], () => new NoRemoveAuthTokenAfterBadToken()),
        ServerPacketEdit.Make("setAuthToken-dropped",
            "The server never delivers #setAuthToken.", ["AU-008"],
            p => p.IsEvent(EventNames.SetAuthToken) ? [] : null),
        ServerPacketEdit.ExtraDataKey("setAuthToken-extra-key", ["AU-008", "AU-009"], EventNames.SetAuthToken, "expiresIn", 86400),
        RequestResponseEdit.Make("authenticate-authError-missing",
            "A successful #authenticate response lacks \"authError\":null.", ["AU-006"], EventNames.Authenticate,
            (o, _) => Json.RemoveKey(o["data"] as JsonObject, "authError")),
        RequestResponseEdit.Make("authenticate-bad-token-as-data",
            "A bad token in #authenticate is answered with a data response carrying authError instead of an error.", ["AU-007"], EventNames.Authenticate,
            (o, _) =>
            {
                if (o["error"] is not JsonObject e || !Json.True(e["isBadToken"])) return false;
                o.Remove("error");
                o["data"] = new JsonObject { ["isAuthenticated"] = false, ["authError"] = e };
                return true;
            }),
        new("authenticate-without-cid-accepted",
            "The server authenticates on an #authenticate without a numeric cid instead of closing with 4008.",
            MutationKind.Violation, ["AU-005"],
            () => new ClientRequestPromotion(p => p.Event is { Event: EventNames.Authenticate, Cid: null }, PromotedAnswer.Swallow)),
        new("removeAuthToken-after-not-before-token",
            "A not-yet-valid token (isBadToken false) is followed by #removeAuthToken, as if it were a bad token.",
            MutationKind.Violation, ["AU-004"], () => new RemoveAuthTokenAfterNotBefore()),
        ServerPacketEdit.Make("removeAuthToken-never-sent",
            "The server never sends #removeAuthToken (server-side deauthenticate is not told to the client).", ["AU-011", "AU-003"],
            p => p.IsEvent(EventNames.RemoveAuthToken) ? [] : null),
        new("client-removeAuthToken-answered",
            "The server replies {\"rid\":N} to the client's #removeAuthToken request (it must never reply).",
            MutationKind.Violation, ["AU-012"],
            () => new ProxyAnswers(p => p.Event is { Event: EventNames.RemoveAuthToken, Cid: { } cid }
                ? Json.Parse($$"""{"rid":{{cid}}}""") : null)),

        // Close codes (CC-001..CC-008)
        CloseEdit.Code("close-4009-as-1000", 4009, 1000, ["HS-006"]),
        CloseEdit.Code("close-4008-as-4003", 4008, 4003, ["HS-004", "AU-005"]),
        CloseEdit.Code("close-4001-as-4000", 4001, 4000, ["PP-004"]),
        CloseEdit.Make("close-reason-filled",
            "Protocol close codes (4000-4009) carry the standard reason text on the wire (it must be empty).", ["CC-001"],
            (code, reason) => code is >= 4000 and <= 4009 && reason.Length == 0 ? (code, CloseCodes.StandardReason(code)!) : null),
        CloseEdit.Make("close-app-reason-dropped",
            "An application-supplied close reason is not sent.", ["CC-002"],
            (code, reason) => reason.Length > 0 ? (code, "") : null),
        CloseEdit.Make("close-app-code-as-1000",
            "An application close code (3000-4999, other than protocol codes) is sent as 1000.", ["CC-002"],
            (code, reason) => code is >= 3000 and <= 4999 && code is not (>= 4000 and <= 4009) ? (1000, reason) : null),
        new("close-frame-missing",
            "The server drops the TCP connection instead of sending a close frame.",
            MutationKind.Violation, ["CC-002", "HS-006"], () => new CloseFrameMissing()),

        // Robustness and security (RB-010..RB-053): the hostile-input catalogue
        CloseEdit.Code("max-payload-close-1011", 1009, 1011, ["RB-011"]),
        CrashOnHostileInput.Make("huge-event-name-crashes-server",
            "The server dies on an event name of more than 10 000 characters: every socket drops and new upgrades are refused for 5 s.",
            ["RB-023", "RB-010"], f => CrashOnHostileInput.HasEventNameLongerThan(f, 10_000)),
        CrashOnHostileInput.Make("deep-nesting-crashes-server",
            "The server dies on JSON nested more than 10 000 levels deep (a recursive parser's stack overflow): every socket drops and new upgrades are refused for 5 s.",
            ["RB-015", "RB-010"], f => CrashOnHostileInput.IsNestedDeeperThan(f, 10_000)),
        CloseEdit.Code("slowloris-closed-with-1000", 4005, 1000, ["RB-032"]),
        new("pre-handshake-binary-ignored",
            "The server ignores a binary frame sent before #handshake instead of closing with 4009.",
            MutationKind.Violation, ["RB-018"], () => new PreHandshakeBinaryIgnored()),
        new("pre-handshake-authenticate-accepted",
            "The server processes an #authenticate sent before #handshake instead of closing with 4009.",
            MutationKind.Violation, ["RB-043"], () => new PreHandshakeAccepted()),
        new("unsolicited-nonpositive-rid-fatal",
            "The server closes the connection (1011) on a response with rid 0 or a negative rid instead of ignoring it.",
            MutationKind.Violation, ["RB-022"],
            () => new FatalClientPacket(p => p.Response is { Rid: <= 0 }, 1011)),
        new("malformed-subscribe-acknowledged",
            "A #subscribe whose data is not {channel: string} is answered with success instead of an error.",
            MutationKind.Violation, ["RB-024"], () => new ProxyAnswers(MalformedReserved.SubscribeAcknowledged)),
        new("origin-not-checked",
            "The server ignores the Origin header and upgrades any origin (no 403 with origins set).",
            MutationKind.Violation, ["RB-050"], () => new OriginNotChecked()),
    ];

    public static IReadOnlyList<Mutation> LegalVariations { get; } =
    [
        new("legal-reserialized",
            "Every server JSON frame re-serialised with other whitespace (leading blanks, tabs, newlines) and reversed key order.",
            MutationKind.Legal, [], () => new ReserializeFrames()),
        new("legal-batched",
            "Server packets wrapped into JSON-array batches (15 ms window; handshake response and pings alone).",
            MutationKind.Legal, [], () => new BatchServerPackets()),
        new("legal-split-batches",
            "Batches split into single frames in both directions.",
            MutationKind.Legal, [], () => new SplitBatches()),
        new("legal-jitter-extra-ping",
            "Server frames delayed by 0-40 ms (order kept) and an extra ping right after the handshake response.",
            MutationKind.Legal, [], () => new JitterAndExtraPings()),
    ];

    public static IReadOnlyList<Mutation> All { get; } = [.. Violations, .. LegalVariations];

    public static Mutation Get(string id) =>
        All.FirstOrDefault(m => m.Id == id) ?? (id == Identity.Id ? Identity : throw new KeyNotFoundException($"No mutation '{id}'."));
}
