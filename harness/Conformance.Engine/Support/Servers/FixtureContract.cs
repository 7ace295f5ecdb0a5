using System.Text.Json;
using Conformance.Engine.Drivers;
using SocketCluster.Protocol;

namespace Conformance.Engine.Support;

/// <summary>What conformance.hello reported (spec/fixture-app.md §5.1).</summary>
public sealed record FixtureInfo(int Contract, string Implementation, int ProtocolVersion, int PingInterval, int PingTimeout,
    int AckTimeout, int? HandshakeTimeout, string? SocketId)
{
    /// <summary>The handshake timeout to wait for when the server does not report one (STEPS.md §0.4).</summary>
    public int HandshakeTimeoutOrDefault => HandshakeTimeout ?? 10_000;

    /// <summary>
    /// The optional capabilities the fixture advertises in <c>capabilities</c> (spec/fixture-app.md §2.1); empty when
    /// hello has no such member (fixtures written before the capabilities existed).
    /// </summary>
    public IReadOnlySet<string> Capabilities { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public bool Offers(string capability) => Capabilities.Contains(capability);
}

/// <summary>The result of probing an endpoint for the fixture-app contract.</summary>
/// <param name="Explanation">Why the contract is (not) available; the first line is the reason, later lines the evidence.</param>
public sealed record FixtureProbe(FixtureInfo? Info, string Explanation)
{
    public bool Implemented => Info is not null;

    /// <summary>
    /// Set when conformance.hello answered but does not meet the contract (spec/fixture-app.md §5.1): one line naming
    /// what is wrong, e.g. the missing fields. Null when hello met it or nobody answered (no fixture app at all).
    /// </summary>
    public string? ContractError { get; init; }
}

/// <summary>Detects the fixture-app contract: handshake, then conformance.hello with a short ack timeout.</summary>
public static class FixtureContract
{
    public const int HelloAckTimeoutMs = 2000;

    /// <summary>The integer members every conformance.hello answer carries (spec/fixture-app.md §5.1).</summary>
    public static IReadOnlyList<string> RequiredHelloFields { get; } = ["protocolVersion", "pingInterval", "pingTimeout", "ackTimeout"];

    /// <summary>
    /// Probes until the answer is definite (hello answered, or nobody listening): a server starting on a loaded machine
    /// can accept the upgrade late, close with 4005 before the handshake is even sent, or answer hello after 2 s, and one
    /// such hiccup must not fail or skip every @fixture scenario of the run. Transport hiccups are retried up to three
    /// times; an unanswered hello once, with twice the wait (a server without the fixture app costs about 6 s per run).
    /// </summary>
    public static async Task<FixtureProbe> ProbeAsync(Uri endpoint, int protocolVersion, double waitScale, CancellationToken cancellation)
    {
        var helloTimeouts = 0;
        for (var attempt = 1; ; attempt++)
        {
            var (probe, outcome) = await ProbeOnceAsync(endpoint, protocolVersion, waitScale, 1 + helloTimeouts, cancellation).ConfigureAwait(false);
            if (outcome == ProbeOutcome.HelloUnanswered) helloTimeouts++;
            if (outcome == ProbeOutcome.Definite || attempt == 3 || helloTimeouts == 2) return probe;
        }
    }

    private enum ProbeOutcome { Definite, TransportHiccup, HelloUnanswered }

    private static async Task<(FixtureProbe Probe, ProbeOutcome Outcome)> ProbeOnceAsync(Uri endpoint, int protocolVersion, double waitScale,
        int helloWaitFactor, CancellationToken cancellation)
    {
        var transcript = new WireTranscript(System.Diagnostics.Stopwatch.StartNew());
        RawConnection connection;
        try
        {
            connection = await RawConnection.OpenAsync("probe", endpoint, protocolVersion, transcript,
                TimeSpan.FromSeconds(10 * waitScale), cancellation).ConfigureAwait(false);
        }
        catch (UpgradeRefusedException e)
        {
            return (new FixtureProbe(null, $"cannot connect to {endpoint}: {e.Message}"), ProbeOutcome.Definite);
        }

        await using (connection.ConfigureAwait(false))
        {
            try
            {
                var wait = TimeSpan.FromSeconds(10 * waitScale);
                var handshakeCid = connection.NextCid();
                await connection.SendTextAsync($$"""{"event":"#handshake","data":{"authToken":null},"cid":{{handshakeCid}}}""").ConfigureAwait(false);
                var handshake = await connection.Inbound.WaitForAsync(0, f => IsResponse(f, handshakeCid), wait, cancellation).ConfigureAwait(false);
                if (handshake is null)
                    return (new FixtureProbe(null, $"{endpoint} did not answer the handshake within {wait.TotalSeconds} s\n{transcript.Render()}"), ProbeOutcome.TransportHiccup);

                var helloCid = connection.NextCid();
                await connection.SendTextAsync($$"""{"event":"conformance.hello","cid":{{helloCid}}}""").ConfigureAwait(false);
                var hello = await connection.Inbound.WaitForAsync(handshake.Value.Index + 1, f => IsResponse(f, helloCid),
                    TimeSpan.FromMilliseconds(HelloAckTimeoutMs * waitScale * helloWaitFactor), cancellation).ConfigureAwait(false);
                if (hello is null)
                    return (new FixtureProbe(null, $"conformance.hello was not answered within {HelloAckTimeoutMs * waitScale * helloWaitFactor} ms by {endpoint}: the server does not host the fixture app (spec/fixture-app.md)"), ProbeOutcome.HelloUnanswered);
                return (Parse(hello.Value.Item.Json!.Value, endpoint), ProbeOutcome.Definite);
            }
            catch (Exception e) when (e is InvalidOperationException or System.Net.WebSockets.WebSocketException or IOException)
            {
                // The server closed the connection under the probe (e.g. its handshake timeout fired first).
                return (new FixtureProbe(null, $"the probe's connection to {endpoint} broke: {e.Message}\n{transcript.Render()}"), ProbeOutcome.TransportHiccup);
            }
        }
    }

    private static bool IsResponse(RawFrame frame, long cid) =>
        frame.Json is { ValueKind: JsonValueKind.Object } json
        && json.TryGetProperty("rid", out var rid) && rid.ValueKind == JsonValueKind.Number && rid.TryGetInt64(out var r) && r == cid;

    internal static FixtureProbe Parse(JsonElement response, Uri endpoint)
    {
        // The first line is the reason a scenario that needs the fixture is skipped; the answer follows as evidence.
        static FixtureProbe Broken(string problem, string answer) =>
            new(null, $"{problem} (spec/fixture-app.md §5.1)\nconformance.hello answered: {answer}") { ContractError = problem };
        if (response.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            return Broken($"conformance.hello failed on {endpoint}", error.GetRawText());
        if (!response.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return Broken($"conformance.hello on {endpoint} answered without a data object", response.GetRawText());
        int? Int(string key) => data.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
        string? Str(string key) => data.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (Int("contract") != 1)
            return Broken($"conformance.hello on {endpoint} reports an unsupported contract (expected \"contract\": 1)", data.GetRawText());
        var missing = RequiredHelloFields.Where(k => Int(k) is null).ToList();
        if (missing.Count > 0)
            return Broken($"conformance.hello on {endpoint} lacks {string.Join(", ", missing)}", data.GetRawText());
        var info = new FixtureInfo(1, Str("implementation") ?? "(unnamed)", Int("protocolVersion")!.Value, Int("pingInterval")!.Value,
            Int("pingTimeout")!.Value, Int("ackTimeout")!.Value, Int("handshakeTimeout"), Str("socketId"))
        {
            Capabilities = Capabilities(data),
        };
        return new FixtureProbe(info, $"fixture contract 1 implemented by {info.Implementation}");
    }

    /// <summary>The tag prefix of scenarios that need an optional capability: @capability-delayHandshake.</summary>
    public const string CapabilityTagPrefix = "capability-";

    /// <summary>The string members of hello's optional <c>capabilities</c> array (anything else is ignored).</summary>
    private static HashSet<string> Capabilities(JsonElement data)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        if (data.TryGetProperty("capabilities", out var list) && list.ValueKind == JsonValueKind.Array)
            foreach (var item in list.EnumerateArray())
                if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } name) result.Add(name);
        return result;
    }

    /// <summary>Why a scenario with these tags cannot run on this fixture (a missing capability), or null.</summary>
    public static string? MissingCapability(FixtureInfo info, IEnumerable<string> tags)
    {
        var missing = tags.Where(t => t.StartsWith(CapabilityTagPrefix, StringComparison.Ordinal))
            .Select(t => t[CapabilityTagPrefix.Length..]).Where(c => !info.Offers(c)).Distinct().ToList();
        if (missing.Count == 0) return null;
        var offered = info.Capabilities.Count == 0 ? "none" : string.Join(", ", info.Capabilities.Order(StringComparer.Ordinal));
        return $"needs the optional fixture capabilit{(missing.Count == 1 ? "y" : "ies")} {string.Join(", ", missing)} " +
            $"(spec/fixture-app.md §2.1), but conformance.hello of {info.Implementation} advertises: {offered}";
    }

    /// <summary>Reads a protocol-level close code name for messages ("4008 Server rejected handshake from client").</summary>
    public static string DescribeClose(int code) => CloseCodes.StandardReason(code) is { } r ? $"{code} ({r})" : code.ToString();
}
