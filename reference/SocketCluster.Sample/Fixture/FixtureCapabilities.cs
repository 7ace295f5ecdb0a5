using System.Text.Json;
using System.Text.Json.Nodes;
using SocketCluster.Server;

namespace SocketCluster.Sample.Fixture;

/// <summary>
/// The optional capabilities of the fixture-app contract (spec/fixture-app.md §2.1), advertised by conformance.hello:
/// delayed handshakes, setAuthToken inside HANDSHAKE_SC, and PUBLISH_IN rewriting on conformance.intercept.*.
/// </summary>
public static class FixtureCapabilities
{
    public const string DelayHandshake = "delayHandshake";
    public const string SetAuthTokenInHandshake = "setAuthTokenInHandshake";
    public const string InterceptPublish = "interceptPublish";

    public static IReadOnlyList<string> All { get; } = [DelayHandshake, SetAuthTokenInHandshake, InterceptPublish];

    public const string InterceptPrefix = "conformance.intercept.";
    public const string DelayHandshakeQuery = "conformanceDelayHandshake";
    public const string SetAuthTokenInHandshakeQuery = "conformanceSetAuthTokenInHandshake";

    /// <summary>How long the chosen handshake middleware action waits before it allows.</summary>
    public static readonly TimeSpan HandshakeDelay = TimeSpan.FromMilliseconds(2000);

    /// <summary>The payload HANDSHAKE_SC middleware tries to sign (like the official suite's test).</summary>
    public static JsonObject HandshakeAuthPayload() => new() { ["username"] = "alice" };

    /// <summary>The first value of a query parameter (URLSearchParams.get), or null.</summary>
    public static string? QueryValue(UpgradeRequest? request, string name) =>
        request is not null && request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>"ws", "sc" or null: which handshake action waits <see cref="HandshakeDelay"/> before allowing.</summary>
    public static string? DelayPhase(UpgradeRequest? request) => QueryValue(request, DelayHandshakeQuery) switch
    {
        "ws" => "ws",
        "sc" => "sc",
        _ => null,
    };

    public static bool SetAuthTokenRequested(UpgradeRequest? request) => QueryValue(request, SetAuthTokenInHandshakeQuery) == "1";

    public static bool IsIntercepted(string? channel) => channel?.StartsWith(InterceptPrefix, StringComparison.Ordinal) == true;

    /// <summary>What PUBLISH_IN lets through instead: {"intercepted": data} (null when the publication had no data).</summary>
    public static JsonObject InterceptedData(JsonElement? data) =>
        new() { ["intercepted"] = data is { } d ? JsonNode.Parse(d.GetRawText()) : null };
}
