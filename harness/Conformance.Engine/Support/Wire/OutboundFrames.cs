using System.Text.Json;
using Conformance.Engine.Drivers;

namespace Conformance.Engine.Support;

/// <summary>Builds and prepares the frames raw connections send (placeholders, cids, STEPS.md §2–§3).</summary>
public static class OutboundFrames
{
    /// <summary>Substitutes $token/$id/$now, $receivedCid and $cid (allocated under <paramref name="label"/>).</summary>
    public static string Prepare(ScenarioWorld world, RawConnection connection, string text, string label)
    {
        text = world.Substitute(text);
        text = Placeholders.SubstituteReceivedCid(text, () => connection.ReceivedCid);
        return Placeholders.SubstituteCid(text, () => connection.NextCid(label));
    }

    /// <summary>A JSON value from a step (data, options), validated; returned as its text after substitution.</summary>
    public static string Json(ScenarioWorld world, string text, string what)
    {
        var substituted = world.Substitute(text);
        JsonPattern.Parse(substituted, what);
        return substituted.Trim();
    }

    public static string Quote(string s) => JsonSerializer.Serialize(s);
}
