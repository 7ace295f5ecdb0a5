using System.Text.Json;
using Conformance.Engine.Drivers;

namespace Conformance.Engine.Support;

/// <summary>
/// A pattern from a step (after placeholder substitution): JSON compared with <see cref="JsonPattern"/>, or, when it
/// is not valid JSON, exact text compared with the raw frame text. Non-JSON frames are compared as JSON strings.
/// </summary>
public sealed class FramePattern
{
    private FramePattern(string text, JsonElement? json, bool exact = false)
    {
        Text = text;
        Json = json;
        Exact = exact;
    }

    public string Text { get; }
    public JsonElement? Json { get; }

    /// <summary>
    /// Objects must have exactly the pattern's keys, at every level (STEPS.md §0.3, the "exactly" steps): for frames
    /// whose shape a requirement fixes, an unexpected key is a mismatch like a missing one.
    /// </summary>
    public bool Exact { get; }

    /// <summary>The same pattern with extra keys allowed: "receives exactly" searches with it, then checks exactness.</summary>
    public FramePattern Loose => Exact ? new FramePattern(Text, Json) : this;

    public static FramePattern CreateExact(ScenarioWorld world, string text)
    {
        var pattern = Create(world, text);
        if (pattern.Json is not { ValueKind: JsonValueKind.Object or JsonValueKind.Array })
            throw new ArgumentException($"An exact pattern must be a JSON object or array: {text}");
        return new FramePattern(pattern.Text, pattern.Json, exact: true);
    }

    public static FramePattern Create(ScenarioWorld world, string text)
    {
        // $ping / $pong (the whole pattern) are the run version's exact ping and pong texts.
        switch (text.Trim())
        {
            case "$ping": return new FramePattern(SocketCluster.Protocol.PingPong.Ping(world.ProtocolVersion), null);
            case "$pong": return new FramePattern(SocketCluster.Protocol.PingPong.Pong(world.ProtocolVersion), null);
        }
        var substituted = world.Substitute(text);
        return new FramePattern(substituted, JsonPattern.TryParse(substituted));
    }

    public string? Mismatch(string frameText, JsonElement? frameJson, long? lastCid)
    {
        if (Json is not { } pattern) return frameText == Text ? null : $"text {Quote(frameText)} is not {Quote(Text)}";
        return JsonPattern.Mismatch(pattern, frameJson ?? JsonPattern.String(frameText), lastCid, Exact);
    }

    /// <summary>Only text frames can match: protocol messages must be text (binary frames are recorded, never matched).</summary>
    public bool Matches(RawFrame frame, long? lastCid) => !frame.Binary && Mismatch(frame.Text, frame.Json, lastCid) is null;

    public string? Mismatch(RawFrame frame, long? lastCid) =>
        frame.Binary ? "a binary frame (only text frames match)" : Mismatch(frame.Text, frame.Json, lastCid);

    public bool Matches(JsonElement value, long? lastCid = null) => Json is { } pattern
        ? JsonPattern.Matches(pattern, value, lastCid, Exact)
        : value.ValueKind == JsonValueKind.String && value.GetString() == Text;

    public string? Mismatch(JsonElement value, long? lastCid = null) => Json is { } pattern
        ? JsonPattern.Mismatch(pattern, value, lastCid, Exact)
        : value.ValueKind == JsonValueKind.String && value.GetString() == Text ? null : $"{value.GetRawText()} is not the text {Quote(Text)}";

    public override string ToString() => Exact ? $"exactly {Text}" : Text;

    private static string Quote(string s) => s.Length > 200 ? $"'{s[..200]}…'" : $"'{s}'";
}
