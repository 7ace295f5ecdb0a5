namespace Conformance.Reports;

/// <summary>Protocol areas: the prefix of requirement IDs (spec/README.md).</summary>
public static class Areas
{
    private static readonly (string Code, string Name)[] Known =
    [
        ("TR", "Transport, URL, frames, codec"),
        ("HS", "Handshake"),
        ("PP", "Ping/pong and liveness"),
        ("EV", "Events: transmit, invoke, responses"),
        ("PS", "Pub/sub"),
        ("AU", "Authentication"),
        ("MW", "Middleware outcomes"),
        ("CC", "Close codes and disconnects"),
        ("BA", "Batching"),
        ("RC", "Client reconnect and offline queue"),
        ("V1", "Protocol v1 specifics"),
        ("RB", "Robustness against bad input"),
        ("CL", "Cluster: several nodes"),
    ];

    public const string Unassigned = "--";

    public static string Name(string code) =>
        Known.FirstOrDefault(k => k.Code == code).Name ?? (code == Unassigned ? "No requirement tag" : code);

    /// <summary>Order of rows in summaries: the spec's order, then unknown areas alphabetically.</summary>
    public static int Order(string code)
    {
        var i = Array.FindIndex(Known, k => k.Code == code);
        return i >= 0 ? i : Known.Length + (code == Unassigned ? 1 : 0);
    }

    /// <summary>A scenario's area: the area of its first requirement tag.</summary>
    public static string Of(ScenarioRecord scenario)
    {
        var first = scenario.RequirementIds.FirstOrDefault();
        return first is null ? Unassigned : first[..first.IndexOf('-')];
    }
}
