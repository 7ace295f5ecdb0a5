using System.Text.RegularExpressions;

namespace Conformance.Engine.Catalog;

/// <summary>
/// The client under test is a run dimension, like the protocol version (issue 11 §2): a @client scenario (or each row
/// of a @client outline) names no driver ("a client C is connected") and is run once per client under test. Without
/// adapters those are the built-in drivers; with <c>--client NAME=COMMAND</c> / <c>SC_CLIENT_ADAPTER</c> the adapters
/// instead, and the run grades their clients only (server scenarios are left out).
/// </summary>
public static partial class ClientDimension
{
    /// <summary>The built-in client drivers, in the order their cases are listed: the default set when no client is named.</summary>
    public static IReadOnlyList<string> BuiltInClients { get; } = ["csharp", "chromium", "jint", "node"];

    /// <summary>The cases of a run: every @client case once per client under test, in that order, right where it was.</summary>
    /// <param name="adapters">The adapters' names; empty runs the built-in drivers and keeps the server scenarios.</param>
    public static IReadOnlyList<ScenarioCase> Expand(IReadOnlyList<ScenarioCase> cases, IReadOnlyList<string> adapters)
    {
        var clients = adapters.Count > 0 ? adapters : BuiltInClients;
        var result = new List<ScenarioCase>(cases.Count * 2);
        foreach (var scenario in cases)
        {
            if (scenario.LoadError is not null) result.Add(scenario);
            else if (scenario.HasTag("client")) result.AddRange(clients.Select(scenario.ForClient));
            else if (adapters.Count == 0) result.Add(scenario);
        }
        return result;
    }

    /// <summary>"features/X.feature:12 [client=csharp]": the key of <paramref name="client"/>'s case of the row at <paramref name="location"/>.</summary>
    public static string KeyFor(string location, string client) => $"{location} [client={client}]";

    /// <summary>Splits a key into its location ("features/X.feature:12") and its client (null when it names none).</summary>
    public static (string Location, string? Client) SplitKey(string key)
    {
        var match = ClientSuffix().Match(key);
        return match.Success ? (key[..match.Index], match.Groups[1].Value) : (key, null);
    }

    [GeneratedRegex(@" ?\[client=([A-Za-z0-9_.-]+)\]$")]
    private static partial Regex ClientSuffix();
}
