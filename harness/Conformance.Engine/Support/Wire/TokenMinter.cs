using System.Text.Json;
using System.Text.RegularExpressions;
using Conformance.Engine.Drivers;
using Conformance.Engine.Running;

namespace Conformance.Engine.Support;

/// <summary>
/// Mints declared tokens on first use (STEPS.md phrase 13): a helper raw connection to the scenario's target completes
/// the handshake, invokes conformance.setAuthToken with the payload and takes the signed token from the response.
/// </summary>
public static partial class TokenMinter
{
    [GeneratedRegex("\\$token\\.([A-Za-z0-9_-]+)")]
    private static partial Regex TokenReference();

    [GeneratedRegex("with token (\\S+)$")]
    private static partial Regex WithToken();

    /// <summary>Mints every declared token a step's text or doc string refers to, before the step runs.</summary>
    public static async Task MintReferencedAsync(ScenarioWorld world, string stepText, string? docString)
    {
        var names = TokenReference().Matches(stepText + "\n" + docString).Select(m => m.Groups[1].Value).ToList();
        if (WithToken().Match(stepText) is { Success: true } direct) names.Add(direct.Groups[1].Value);
        foreach (var name in names.Distinct(StringComparer.Ordinal))
            if (!world.Tokens.ContainsKey(name) && world.DeclaredTokens.TryGetValue(name, out var payload))
                world.Tokens[name] = await MintAsync(world, name, payload).ConfigureAwait(false);
    }

    private static async Task<string> MintAsync(ScenarioWorld world, string name, string payloadText)
    {
        await world.TargetFixtureAsync().ConfigureAwait(false);
        var payload = JsonPattern.Parse(world.Substitute(payloadText), $"the payload of token {name}");
        if (payload.ValueKind != JsonValueKind.Object) throw new ArgumentException($"A token payload must be a JSON object: {payloadText}");
        var target = await world.TargetAsync().ConfigureAwait(false);
        await using var connection = await RawConnection.OpenAsync($"token:{name}", target.WebSocketUrl, world.ProtocolVersion,
            world.Transcript, world.DefaultWait, world.Cancellation).ConfigureAwait(false);
        var handshakeCid = connection.NextCid();
        await connection.SendTextAsync($$"""{"event":"#handshake","data":{"authToken":null},"cid":{{handshakeCid}}}""").ConfigureAwait(false);
        await RawExpectations.ResponseAsync(connection, handshakeCid, world, requireSuccess: true).ConfigureAwait(false);
        var cid = connection.NextCid();
        await connection.SendTextAsync($$"""{"event":"conformance.setAuthToken","data":{{payload.GetRawText()}},"cid":{{cid}}}""").ConfigureAwait(false);
        var response = await RawExpectations.ResponseAsync(connection, cid, world, requireSuccess: true).ConfigureAwait(false);
        if (!response.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
            throw new ConformanceAssertionException($"conformance.setAuthToken did not respond with the signed token string: {response.GetRawText()}");
        await connection.CloseAsync(1000, "").ConfigureAwait(false);
        return data.GetString()!;
    }
}
