using System.Reflection;
using Conformance.Reports;
using Spectre.Console;

namespace Conformance.Cli;

/// <summary>The CI gate: parse, prepare the target, run the selected scenarios, judge, report, exit code.</summary>
public sealed class Gate
{
    private readonly IAnsiConsole _console;
    private readonly TextWriter _errors;
    private readonly Func<GateSettings, IScenarioRunner> _runnerFactory;
    private readonly Func<Uri, CancellationToken, Task> _probe;
    private readonly string _repoRoot;

    public Gate(IAnsiConsole console, TextWriter errors, Func<GateSettings, IScenarioRunner> runnerFactory,
        Func<Uri, CancellationToken, Task>? probe = null, string? repoRoot = null)
    {
        _console = console;
        _errors = errors;
        _runnerFactory = runnerFactory;
        _probe = probe ?? EndpointProbe.CheckAsync;
        _repoRoot = repoRoot ?? Engine.Support.EngineSettings.FindRepoRoot();
    }

    /// <summary>Environment lookup for the CI output (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY); tests replace it.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The report of the last run (null when it ended before judging, e.g. with exit code 2).</summary>
    public RunReport? LastReport { get; private set; }

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var help = new StringWriter();
        var parsed = CommandLine.Parse(args, help);
        if (parsed.HelpShown)
        {
            _console.Write(new Text(help.ToString()));
            return ExitCodes.Success;
        }
        if (parsed.Settings is not { } settings) return Usage(parsed.Error!);

        Expectations expectations;
        try { expectations = settings.ExpectationsPath is { } path ? Expectations.Load(path) : Expectations.None; }
        catch (ExpectationsException e) { return Usage(e.Message); }

        var catalog = LoadCatalog();
        var started = DateTimeOffset.UtcNow;
        var records = new List<ScenarioRecord>();
        string endpointLabel;
        await using (var runner = _runnerFactory(settings))
        {
            var work = new List<WorkItem>();
            var known = new HashSet<string>(StringComparer.Ordinal);
            var targets = new List<Uri>();
            var outOfScopeClients = 0;
            var contractErrors = new List<string>();
            var knownClients = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var version in settings.ProtocolVersions)
            {
                Uri target;
                try
                {
                    foreach (var endpoint in settings.ClusterEndpoints.Count > 0 ? settings.ClusterEndpoints : settings.Endpoint is { } one ? [one] : [])
                        await _probe(endpoint, cancellationToken);
                    target = await runner.PrepareAsync(settings.Endpoint, version, cancellationToken);
                }
                catch (EndpointUnavailableException e) { return Usage(e.Message); }
                targets.Add(target);

                var discovered = runner.Discover(version);
                known.UnionWith(discovered.Select(s => s.Key));
                known.UnionWith(discovered.Select(s => s.Location));
                knownClients.UnionWith(discovered.Select(s => s.Subject).Where(s => s != "server"));
                // --scenario FILE:LINE names the row for every client under test; FILE:LINE [client=NAME] one client's case.
                var matching = discovered.Where(s => settings.Tags.Matches(s.Tags)
                    && (settings.Scenarios.Count == 0 || settings.Scenarios.Contains(s.Key) || settings.Scenarios.Contains(s.Location))).ToList();
                // A scenario named by --scenario is in scope even when it grades a client outside --clients; --clients
                // beside a FILE:LINE picks among its clients.
                var selected = matching.Where(s => settings.Selects(s.Subject) || settings.Scenarios.Contains(s.Key)
                    || (settings.Clients is null && settings.Scenarios.Contains(s.Location))).ToList();
                outOfScopeClients += matching.Count - selected.Count;
                foreach (var scenario in selected)
                {
                    var v = version;
                    if (scenario.Level is { } level && level > settings.ClaimedLevel)
                        records.Add(NotRun(scenario, v, $"level L{level} is not claimed (--level L{settings.ClaimedLevel})"));
                    else
                        work.Add(new WorkItem(scenario, v, ct => RunOne(runner, scenario, v, ct)));
                }
                // A hello that answers but breaks the contract is said once, up front, not on every skipped scenario.
                if (work.Any(w => w.ProtocolVersion == version && w.Scenario.Subject == "server" && w.Scenario.Tags.Contains("fixture"))
                    && await runner.FixtureContractErrorAsync(version, cancellationToken) is { } contractError)
                    contractErrors.Add(contractError);
            }
            if (settings.Scenarios.FirstOrDefault(k => !known.Contains(k)) is { } unknownScenario) return Usage(ScenarioNotFound(unknownScenario, known));
            endpointLabel = string.Join(", ", targets.Distinct().Select(t => t.ToString()));
            if (settings.Clients?.FirstOrDefault(c => !knownClients.Contains(c)) is { } unknown)
                return Usage($"--clients: no client driver \"{unknown}\" (known: {string.Join(", ", knownClients)})");
            if (work.Count == 0 && records.Count == 0)
                return Usage(settings.Tags == TagExpression.Any && outOfScopeClients == 0 ? "no scenario found (is features/ present?)"
                    : settings.Tags == TagExpression.Any ? "no scenario selected: client scenarios are out of scope with --endpoint (add --clients)"
                    : $"no scenario matches --tags \"{settings.Tags.Text}\"" + (outOfScopeClients > 0 ? " among the scenarios in scope (client scenarios need --clients with --endpoint)" : ""));
            foreach (var error in contractErrors.Distinct())
                _errors.WriteLine($"conformance: error: {error} (spec/fixture-app.md §5.1): the scenarios that need the fixture app will be skipped (untested)");

            var ui = new ConsoleUi(_console, live: !settings.Plain && _console.Profile.Capabilities.Interactive) { Verbose = settings.Verbose };
            _console.MarkupLine(Markup.Escape($"SocketCluster conformance: {work.Count} scenario(s) against {endpointLabel}"
                + (settings.ClusterNodes >= 2 ? $" (node 1 of a cluster of {settings.ClusterNodes} C# reference sample nodes on Redis)"
                    : settings.ClusterEndpoints.Count >= 2 ? $" (node 1 of {settings.ClusterEndpoints.Count}: {string.Join(", ", settings.ClusterEndpoints.Skip(1))})"
                    : settings.Endpoint is null ? " (embedded C# reference sample)" : "")
                + $", protocol {string.Join(",", settings.ProtocolVersions.Select(v => $"v{v}"))}, claimed L{settings.ClaimedLevel}"
                + (settings.Strict ? ", strict" : "") + (settings.Parallel > 1 ? $", {settings.Parallel} at a time" : "") + (records.Count > 0 ? $"; {records.Count} unclaimed (UNIMPLEMENTED)" : "")
                + (outOfScopeClients > 0 ? $"; {outOfScopeClients} client scenario(s) out of scope" + (settings.Endpoint is not null && settings.Clients is null ? " (--endpoint tests the server; add --clients to run them)" : "") : "")));
            records.AddRange(await ui.RunAsync(work, cancellationToken, settings.Parallel));

            var result = Evaluator.Evaluate(Order(records), catalog,
                new GateOptions
                {
                    ClaimedLevel = settings.ClaimedLevel, Strict = settings.Strict, Expectations = expectations,
                    AllowUntested = settings.AllowUntested, RequiredLevel = settings.RequiredLevel,
                });
            var report = new RunReport(new RunInfo
            {
                Endpoint = endpointLabel,
                EndpointKind = settings.Endpoint is null ? "embedded" : "url",
                ProtocolVersions = settings.ProtocolVersions,
                TagExpression = settings.Tags.Text.Length > 0 ? settings.Tags.Text : null,
                StartedAt = started,
                FinishedAt = DateTimeOffset.UtcNow,
                Tool = "Conformance.Cli",
                ToolVersion = ToolVersion(),
                CommandLine = "conformance " + string.Join(' ', args.Select(Quote)),
            }, result, catalog);
            LastReport = report;

            var paths = new List<string>();
            if (settings.ReportDirectory is { } dir) paths.AddRange(ReportSet.Write(report, dir, settings.JUnitPath));
            else if (settings.JUnitPath is { } junit) { JUnitWriter.Write(report, junit); paths.Add(junit); }
            paths.AddRange(CiOutput.Write(report, settings, _console.Profile.Out.Writer, Environment));
            ui.Summary(report, paths);
            return result.ExitCode;
        }
    }

    private static async Task<ScenarioRecord> RunOne(IScenarioRunner runner, PlannedScenario scenario, int version, CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        try
        {
            return await runner.RunAsync(scenario, version, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // An engine crash is a failed scenario with the reason, never a crashed gate.
            return new ScenarioRecord
            {
                Key = scenario.Key, Feature = scenario.Feature, Name = scenario.Name, Tags = scenario.Tags,
                Subject = scenario.Subject, ProtocolVersion = version, Outcome = Outcome.Failed,
                Error = $"the engine failed to run the scenario: {e.GetType().Name}: {e.Message}",
                StartedAt = started, Duration = DateTimeOffset.UtcNow - started,
            };
        }
    }

    private static ScenarioRecord NotRun(PlannedScenario scenario, int version, string reason) => new()
    {
        Key = scenario.Key, Feature = scenario.Feature, Name = scenario.Name, Tags = scenario.Tags,
        Subject = scenario.Subject, ProtocolVersion = version, Outcome = Outcome.NotRun, SkipReason = reason,
    };

    /// <summary>Reports list scenarios in feature order, versions newest first.</summary>
    private static List<ScenarioRecord> Order(List<ScenarioRecord> records) =>
        records.OrderByDescending(r => r.ProtocolVersion).ThenBy(r => r.FeatureFile, StringComparer.Ordinal).ThenBy(r => r.KeyLine).ToList();

    /// <summary>--scenario named no scenario: say which keys that feature file has, so a mistyped line is easy to fix.</summary>
    private static string ScenarioNotFound(string key, IEnumerable<string> known)
    {
        var location = Engine.Catalog.ClientDimension.SplitKey(key).Location;
        var file = location[..location.LastIndexOf(':')];
        var lines = known.Where(k => k.StartsWith(file + ":", StringComparison.Ordinal) && Engine.Catalog.ClientDimension.SplitKey(k).Client is null)
            .Select(k => int.Parse(k[(file.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        return lines.Count == 0
            ? $"--scenario {key}: no scenario in {file} (is the path right, relative to the repository root?)"
            : $"--scenario {key}: no scenario or Examples row of the selected protocol version(s) starts at that line; {file} has them at lines {string.Join(", ", lines)}";
    }

    private RequirementCatalog LoadCatalog()
    {
        var path = Path.Combine(_repoRoot, "spec", "requirements.md");
        if (File.Exists(path)) return RequirementCatalog.Load(path);
        _errors.WriteLine($"warning: {path} not found; every requirement is treated as MUST");
        return RequirementCatalog.Empty;
    }

    private int Usage(string reason)
    {
        _errors.WriteLine($"conformance: {reason}");
        return ExitCodes.Usage;
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c is not '"' and not '\'') ? arg : $"\"{arg.Replace("\"", "\\\"")}\"";

    private static string ToolVersion() =>
        typeof(Gate).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
