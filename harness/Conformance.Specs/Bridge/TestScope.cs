using Conformance.Engine.Catalog;
using Conformance.Engine.Support;
using Conformance.Reports;

namespace Conformance.Specs.Bridge;

/// <summary>
/// What a dotnet test run tests, as the CLI decides it (issue 10 §6): with SC_ENDPOINT the server at that endpoint;
/// @client scenarios, which run the harness's own clients against its own known-good server, are out of scope unless
/// SC_CLIENTS names their driver (e.g. SC_CLIENTS=csharp,node, the CLI's --clients).
/// </summary>
internal static class TestScope
{
    public const string ClientsVariable = "SC_CLIENTS";

    /// <summary>Why the scenario is out of scope for this run, or null when it is in scope.</summary>
    public static string? OutOfScope(ScenarioCase scenario, EngineSettings settings)
    {
        var subject = EngineResultMapper.SubjectOf(scenario);
        if (subject == "server") return null;
        var clients = Environment.GetEnvironmentVariable(ClientsVariable) is { Length: > 0 } list
            ? list.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : null;
        if (clients is not null)
            return clients.Contains(subject, StringComparer.OrdinalIgnoreCase) ? null : $"out of scope: {ClientsVariable} does not name the {subject} client";
        return settings.Target is RunTarget.External
            ? $"out of scope: SC_ENDPOINT tests the server; the {subject} client scenario runs with {ClientsVariable}={subject}"
            : null;
    }
}
