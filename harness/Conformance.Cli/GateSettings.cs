using System.CommandLine;
using System.CommandLine.Help;

namespace Conformance.Cli;

/// <summary>The gate's validated command line.</summary>
public sealed record GateSettings
{
    /// <summary>The server under test; null starts the embedded C# reference sample.</summary>
    public Uri? Endpoint { get; init; }
    /// <summary>--endpoint given two or more times: every node of one cluster, <see cref="Endpoint"/> first (@cluster scenarios run).</summary>
    public IReadOnlyList<Uri> ClusterEndpoints { get; init; } = [];
    /// <summary>--cluster N: the suite starts a Redis and N C# reference sample nodes on it (0: no cluster).</summary>
    public int ClusterNodes { get; init; }
    public int ClaimedLevel { get; init; } = 4;
    public IReadOnlyList<int> ProtocolVersions { get; init; } = [2];
    public bool Strict { get; init; }
    public TagExpression Tags { get; init; } = TagExpression.Any;
    public string? ReportDirectory { get; init; }
    public string? JUnitPath { get; init; }
    public string? ExpectationsPath { get; init; }
    /// <summary>Plain progress lines even on a terminal.</summary>
    public bool Plain { get; init; }
    /// <summary>--legacy v14: the endpoint behaves like socketcluster-server 14.x; @not-v14 scenarios are skipped.</summary>
    public bool LegacyV14 { get; init; }
    /// <summary>How many scenarios run at once (--parallel, default 4; 1 runs them one by one).</summary>
    public int Parallel { get; init; } = 4;
    /// <summary>--scenario: only these scenario keys ("features/Area/X.feature:LINE"); empty selects all.</summary>
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    /// <summary>--verbose: one line per scenario when the output is plain (today's CI output), beside the progress lines.</summary>
    public bool Verbose { get; init; }
    /// <summary>--summary: a file the Markdown job summary is appended to (as to $GITHUB_STEP_SUMMARY on GitHub Actions).</summary>
    public string? SummaryPath { get; init; }
    /// <summary>--allow-untested: an INCOMPLETE run (applicable MUSTs untested) exits 0; the level still says unverified.</summary>
    public bool AllowUntested { get; init; }
    /// <summary>--require-level: exit 1 unless every subject's verified level reaches it, per protocol version.</summary>
    public int? RequiredLevel { get; init; }
    /// <summary>
    /// --clients: the client drivers whose @client scenarios run. Null means the default: every client without
    /// --endpoint, none with it (they test the harness's own clients, not the endpoint: out of scope, issue 10 §6).
    /// </summary>
    public IReadOnlyList<string>? Clients { get; init; }

    /// <summary>Whether the scenarios grading this subject ("server" or a client driver) are in scope.</summary>
    /// <remarks>A client named with --client (an adapter) was asked for explicitly: always in scope.</remarks>
    public bool Selects(string subject) =>
        subject == "server" || ClientAdapters.Any(a => a.Name == subject)
        || (Clients is { } clients ? clients.Contains(subject, StringComparer.OrdinalIgnoreCase) : Endpoint is null);
    /// <summary>--scenario-timeout: each scenario's hard deadline; null keeps the engine's (SC_SCENARIO_TIMEOUT, else 60 s × wait scale).</summary>
    public TimeSpan? ScenarioTimeout { get; init; }
    /// <summary>--client NAME=COMMAND (repeatable): client adapters graded instead of the built-in clients (spec/client-adapter.md).</summary>
    public IReadOnlyList<Engine.Drivers.Adapters.ClientAdapterSpec> ClientAdapters { get; init; } = [];
    /// <summary>--known-good: the server client scenarios run against; null keeps the engine's default (v14 runs: always the 14.7.2 fixture).</summary>
    public Engine.Support.KnownGoodServerKind? KnownGood { get; init; }
}

/// <summary>Outcome of parsing: settings, or help was printed, or a one-line usage error.</summary>
public sealed record ParsedCommandLine(GateSettings? Settings, bool HelpShown, string? Error);

/// <summary>Argument parsing with System.CommandLine; every error becomes one line and exit code 2.</summary>
public static class CommandLine
{
    private static readonly Option<string[]> EndpointOption = new("--endpoint", "-e")
    {
        Description = "WebSocket URL of the server under test (ws://host:port/socketcluster/). Without it the embedded C# reference sample is started. "
            + "Repeat it for the nodes of one cluster (--endpoint A --endpoint B): the @cluster scenarios run too, every other one against the first.",
        HelpName = "URL",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<string?> ClusterOption = new("--cluster")
    {
        Description = "Start a cluster of N C# reference sample nodes (2 to 8) on a redis-server the suite starts, and run every scenario, @cluster ones included, against it (node 1 for the others).",
        HelpName = "N",
    };
    private static readonly Option<string?> LevelOption = new("--level", "-l")
    {
        Description = "Highest conformance level the implementation claims (L1..L4, default L4). Scenarios above it are UNIMPLEMENTED and not run.",
        HelpName = "L1..L4",
    };
    private static readonly Option<string?> RequireLevelOption = new("--require-level")
    {
        Description = "Exit 1 unless the verified level of every subject under test (the server, and each client driver in scope) reaches this level, per protocol version.",
        HelpName = "L1..L4",
    };
    private static readonly Option<bool> AllowUntestedOption = new("--allow-untested")
    {
        Description = "Exit 0 instead of 3 (INCOMPLETE) when applicable MUSTs went untested (skipped: no fixture app, capability not offered, driver unavailable); the level still says unverified.",
    };
    private static readonly Option<string?> ClientsOption = new("--clients")
    {
        Description = "Client drivers whose @client scenarios run (csharp, node, jint, chromium; comma-separated). Default: all without --endpoint, "
            + "none with it (they test the harness's own clients against its own server, so they are out of scope).",
        HelpName = "LIST",
    };
    private static readonly Option<string?> ProtocolOption = new("--protocol", "-p")
    {
        Description = "Protocol version to test: 1, 2 (default) or 1,2.",
        HelpName = "1|2",
    };
    private static readonly Option<bool> StrictOption = new("--strict")
    {
        Description = "SHOULD failures (NON-STRICT) fail the run too.",
    };
    private static readonly Option<string?> TagsOption = new("--tags", "-t")
    {
        Description = "Cucumber tag expression selecting scenarios, e.g. \"@L1 and @v2\", \"not @slow\".",
        HelpName = "EXPR",
    };
    private static readonly Option<string?> ReportOption = new("--report", "-r")
    {
        Description = "Directory for junit.xml, report.json and report.html.",
        HelpName = "DIR",
    };
    private static readonly Option<string?> JUnitOption = new("--junit")
    {
        Description = "Path of the JUnit XML report (default DIR/junit.xml with --report).",
        HelpName = "FILE",
    };
    private static readonly Option<string?> ExpectationsOption = new("--expectations", "-x")
    {
        Description = "Known failures of this implementation (JSON, see spec/report-schema.md): an entry for a requirement excuses that requirement only, "
            + "an entry features/X.feature:LINE excuses that scenario; entries that pass or match nothing are reported.",
        HelpName = "FILE",
    };
    private static readonly Option<bool> PlainOption = new("--plain")
    {
        Description = "Plain progress lines instead of the live progress line.",
    };
    private static readonly Option<string?> ParallelOption = new("--parallel")
    {
        Description = "How many scenarios run at once (1 to 16, default 4; 1 runs them one by one). Scenarios never share a connection or client.",
        HelpName = "N",
    };
    private static readonly Option<string[]> ScenarioOption = new("--scenario")
    {
        Description = "Run only this scenario or Examples row: features/Area/X.feature:LINE (for a client scenario: every client under test; "
            + "pick one with --clients NAME, or give the case's key \"features/Area/X.feature:LINE [client=NAME]\"), as the failure output prints it. Repeatable.",
        HelpName = "FILE:LINE",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
    private static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "With plain output (redirected, or --plain): one line per scenario besides the progress lines and failure blocks.",
    };
    private static readonly Option<string?> SummaryOption = new("--summary")
    {
        Description = "Append a Markdown summary of the run to FILE (done to $GITHUB_STEP_SUMMARY when GITHUB_ACTIONS=true).",
        HelpName = "FILE",
    };
    private static readonly Option<string?> LegacyOption = new("--legacy")
    {
        Description = "v14: the endpoint is a v14-era server (socketcluster-server 14.x or built to match it). Implies --protocol 1; "
            + "scenarios tagged @not-v14 (details where 14.x differs, spec/legacy-v14.md) are SKIPPED.",
        HelpName = "v14",
    };

    private static readonly Option<string?> KnownGoodOption = new("--known-good")
    {
        Description = "The known-good server client scenarios run against: embedded (the C# reference sample; .NET only) or official (the Node fixture). "
            + "v14 runs always use the official 14.7.2 fixture.",
        HelpName = "embedded|official",
    };
    private static readonly Option<string?> ScenarioTimeoutOption = new("--scenario-timeout")
    {
        Description = "Hard deadline of each scenario in seconds (default 60, times CONFORMANCE_WAIT_SCALE; env SC_SCENARIO_TIMEOUT). "
            + "A scenario still running then FAILS as \"timed out in step ...\" with its transcript so far: the run always ends.",
        HelpName = "SECONDS",
    };

    private static readonly Option<string[]> ClientOption = new("--client")
    {
        Description = "A client to grade through its adapter program (spec/client-adapter.md), e.g. --client mine=\"python3 adapter.py\". "
            + "Repeatable. Runs every client scenario with NAME as the client under test (instead of the built-in drivers) and reports the level of NAME; server scenarios are left out.",
        HelpName = "NAME=COMMAND",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("SocketCluster conformance gate: runs the Gherkin scenarios against a server and judges them.\n"
            + "Exit codes: 0 PASSED: every applicable MUST passed;\n"
            + "            1 FAILED: a MUST failed (a SHOULD with --strict), or a subject is below --require-level;\n"
            + "            2 usage error or unreachable endpoint;\n"
            + "            3 INCOMPLETE: nothing failed, but applicable MUSTs went untested (see --allow-untested).\n"
            + "Scenarios deselected by --tags, --level, --protocol (and client scenarios with --endpoint) are out of scope, not untested.");
        foreach (var option in new Option[] { EndpointOption, LevelOption, ProtocolOption, StrictOption, TagsOption, ReportOption, JUnitOption, ExpectationsOption,
                     AllowUntestedOption, RequireLevelOption, ClientsOption, PlainOption, ParallelOption, LegacyOption, ScenarioOption, VerboseOption, SummaryOption, ScenarioTimeoutOption, ClientOption, KnownGoodOption, ClusterOption })
            root.Options.Add(option);
        return root;
    }

    public static ParsedCommandLine Parse(IReadOnlyList<string> args, TextWriter output)
    {
        var root = Build();
        // No response files: tag expressions start with '@' ("@L1 and @v2").
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Action is HelpAction)
        {
            result.Invoke(new InvocationConfiguration { Output = output, Error = output });
            return new ParsedCommandLine(null, true, null);
        }
        if (result.Errors.Count > 0) return Error(result.Errors[0].Message);
        if (result.UnmatchedTokens.Count > 0) return Error($"unexpected argument \"{result.UnmatchedTokens[0]}\"");

        Uri? endpoint = null;
        var clusterEndpoints = new List<Uri>();
        foreach (var endpointText in result.GetValue(EndpointOption) ?? [])
        {
            if (!Engine.Support.EndpointAddress.TryParse(endpointText, "--endpoint", out var parsed, out var why)) return Error(why);
            if (clusterEndpoints.Contains(parsed!)) return Error($"--endpoint {parsed} is given twice");
            clusterEndpoints.Add(parsed!);
        }
        if (clusterEndpoints.Count > 0) endpoint = clusterEndpoints[0];
        if (clusterEndpoints.Count < 2) clusterEndpoints.Clear();
        var clusterNodes = 0;
        if (result.GetValue(ClusterOption) is { } clusterText)
        {
            if (endpoint is not null) return Error("--cluster starts a cluster of C# nodes; to test your own cluster give its nodes with --endpoint instead");
            try { clusterNodes = Engine.Support.EngineSettings.ParseClusterNodes(clusterText, "--cluster"); }
            catch (ArgumentException e) { return Error(e.Message); }
        }

        static int? ParseLevel(string text) => Reports.ConformanceLevel.Parse(text) ?? (int.TryParse(text, out var n) && n is >= 1 and <= 4 ? n : null);
        var level = 4;
        if (result.GetValue(LevelOption) is { } levelText)
        {
            if (ParseLevel(levelText) is not { } parsed) return Error($"--level must be L1, L2, L3 or L4 (got \"{levelText}\")");
            level = parsed;
        }
        int? requiredLevel = null;
        if (result.GetValue(RequireLevelOption) is { } requiredText)
        {
            requiredLevel = ParseLevel(requiredText);
            if (requiredLevel is null) return Error($"--require-level must be L1, L2, L3 or L4 (got \"{requiredText}\")");
            if (requiredLevel > level) return Error($"--require-level L{requiredLevel} is above the claimed --level L{level}: it can never be reached");
        }
        IReadOnlyList<string>? clients = null;
        if (result.GetValue(ClientsOption) is { } clientsText)
        {
            clients = clientsText.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(c => c.ToLowerInvariant()).Distinct().ToList();
            if (clients.Count == 0) return Error("--clients needs at least one client driver (csharp, node, jint, chromium)");
        }

        IReadOnlyList<int> versions = [2];
        if (result.GetValue(ProtocolOption) is { } protocolText)
        {
            var parts = protocolText.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var list = new List<int>();
            foreach (var part in parts)
            {
                var p = part.TrimStart('v', 'V');
                if (p is not ("1" or "2")) return Error($"--protocol must be 1, 2 or 1,2 (got \"{protocolText}\")");
                var v = p[0] - '0';
                if (!list.Contains(v)) list.Add(v);
            }
            if (list.Count == 0) return Error("--protocol must be 1, 2 or 1,2");
            versions = list.OrderDescending().ToList();
        }

        var legacyV14 = false;
        if (result.GetValue(LegacyOption) is { } legacyText)
        {
            if (!legacyText.Equals("v14", StringComparison.OrdinalIgnoreCase)) return Error($"--legacy knows only v14 (got \"{legacyText}\")");
            if (endpoint is null) return Error("--legacy v14 describes the server under test: give its --endpoint too (the embedded sample behaves like current servers)");
            if (result.GetValue(ProtocolOption) is not null && versions.Contains(2)) return Error("--legacy v14 servers speak protocol 1 only: drop --protocol 2");
            versions = [1];
            legacyV14 = true;
        }

        var parallel = 4;
        if (result.GetValue(ParallelOption) is { } parallelText
            && (!int.TryParse(parallelText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out parallel) || parallel is < 1 or > 16))
            return Error($"--parallel must be a whole number from 1 to 16 (got \"{parallelText}\")");

        TimeSpan? scenarioTimeout = null;
        if (result.GetValue(ScenarioTimeoutOption) is { } timeoutText)
        {
            try { scenarioTimeout = Conformance.Engine.Support.EngineSettings.ParseScenarioTimeout(timeoutText, "--scenario-timeout"); }
            catch (ArgumentException e) { return Error(e.Message); }
        }

        Engine.Support.KnownGoodServerKind? knownGood = null;
        if (result.GetValue(KnownGoodOption) is { } knownGoodText)
        {
            try { knownGood = Engine.Support.EngineSettings.ParseKnownGood(knownGoodText, "--known-good"); }
            catch (ArgumentException e) { return Error(e.Message); }
        }

        TagExpression tags;
        try { tags = TagExpression.Parse(result.GetValue(TagsOption)); }
        catch (FormatException e) { return Error($"--tags: {e.Message}"); }

        var expectations = result.GetValue(ExpectationsOption);
        if (expectations is not null && !File.Exists(expectations)) return Error($"--expectations: file not found: {expectations}");

        var scenarios = new List<string>();
        foreach (var text in result.GetValue(ScenarioOption) ?? [])
        {
            if (ScenarioKey.Normalize(text) is not { } key) return Error($"--scenario must be a feature file and line, features/Area/X.feature:LINE, optionally with \" [client=NAME]\" (got \"{text}\")");
            if (!scenarios.Contains(key)) scenarios.Add(key);
        }

        var adapters = new List<Engine.Drivers.Adapters.ClientAdapterSpec>();
        foreach (var text in result.GetValue(ClientOption) ?? [])
        {
            try { adapters.Add(Engine.Drivers.Adapters.ClientAdapterSpec.Parse(text)); }
            catch (ArgumentException e) { return Error($"--client: {e.Message}"); }
            if (adapters.Count(a => a.Name == adapters[^1].Name) > 1) return Error($"--client: the name \"{adapters[^1].Name}\" is given twice");
        }

        return new ParsedCommandLine(new GateSettings
        {
            ClientAdapters = adapters,
            Endpoint = endpoint,
            ClusterEndpoints = clusterEndpoints,
            ClusterNodes = clusterNodes,
            ClaimedLevel = level,
            ProtocolVersions = versions,
            Strict = result.GetValue(StrictOption),
            Tags = tags,
            ReportDirectory = result.GetValue(ReportOption),
            JUnitPath = result.GetValue(JUnitOption),
            ExpectationsPath = expectations,
            Plain = result.GetValue(PlainOption),
            LegacyV14 = legacyV14,
            Parallel = parallel,
            Scenarios = scenarios,
            Verbose = result.GetValue(VerboseOption),
            SummaryPath = result.GetValue(SummaryOption),
            AllowUntested = result.GetValue(AllowUntestedOption),
            RequiredLevel = requiredLevel,
            Clients = clients,
            ScenarioTimeout = scenarioTimeout,
            KnownGood = knownGood,
        }, false, null);
    }

    private static ParsedCommandLine Error(string message) => new(null, false, message);
}

/// <summary>
/// Scenario keys as --scenario takes them: "features/Area/X.feature:LINE" (every client's case of that row), or one
/// client's case "features/Area/X.feature:LINE [client=NAME]" (the key of reports and dotnet test's Scenario trait).
/// </summary>
public static class ScenarioKey
{
    /// <summary>Accepts "./features/…", backslashes and a path without "features/"; null when there is no ".feature:LINE".</summary>
    public static string? Normalize(string text)
    {
        var (location, client) = Engine.Catalog.ClientDimension.SplitKey(text.Trim());
        return NormalizeLocation(location) is { } key ? client is null ? key : Engine.Catalog.ClientDimension.KeyFor(key, client) : null;
    }

    private static string? NormalizeLocation(string text)
    {
        var key = text.Trim().Replace('\\', '/');
        while (key.StartsWith("./", StringComparison.Ordinal)) key = key[2..];
        var colon = key.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(key[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line) || line < 1)
            return null;
        var file = key[..colon];
        if (!file.EndsWith(".feature", StringComparison.Ordinal)) return null;
        if (!file.StartsWith("features/", StringComparison.Ordinal)) file = "features/" + file;
        return $"{file}:{line.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
