using System.CommandLine;
using System.CommandLine.Help;

namespace Conformance.Cli;

/// <summary>The gate's validated command line.</summary>
public sealed record GateSettings
{
    /// <summary>The server under test; null starts the embedded C# reference sample.</summary>
    public Uri? Endpoint { get; init; }
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
    /// <summary>--scenario-timeout: each scenario's hard deadline; null keeps the engine's (SC_SCENARIO_TIMEOUT, else 60 s × wait scale).</summary>
    public TimeSpan? ScenarioTimeout { get; init; }
}

/// <summary>Outcome of parsing: settings, or help was printed, or a one-line usage error.</summary>
public sealed record ParsedCommandLine(GateSettings? Settings, bool HelpShown, string? Error);

/// <summary>Argument parsing with System.CommandLine; every error becomes one line and exit code 2.</summary>
public static class CommandLine
{
    private static readonly Option<string?> EndpointOption = new("--endpoint", "-e")
    {
        Description = "WebSocket URL of the server under test (ws://host:port/socketcluster/). Without it the embedded C# reference sample is started.",
        HelpName = "URL",
    };
    private static readonly Option<string?> LevelOption = new("--level", "-l")
    {
        Description = "Highest conformance level the implementation claims (L1..L4, default L4). Scenarios above it are UNIMPLEMENTED and not run.",
        HelpName = "L1..L4",
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
        Description = "Known failures of this implementation (JSON, see spec/report-schema.md): expected failures do not fail the run.",
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
    private static readonly Option<string?> LegacyOption = new("--legacy")
    {
        Description = "v14: the endpoint is a v14-era server (socketcluster-server 14.x or built to match it). Implies --protocol 1; "
            + "scenarios tagged @not-v14 (details where 14.x differs, spec/legacy-v14.md) are SKIPPED.",
        HelpName = "v14",
    };

    private static readonly Option<string?> ScenarioTimeoutOption = new("--scenario-timeout")
    {
        Description = "Hard deadline of each scenario in seconds (default 60, times CONFORMANCE_WAIT_SCALE; env SC_SCENARIO_TIMEOUT). "
            + "A scenario still running then FAILS as \"timed out in step ...\" with its transcript so far: the run always ends.",
        HelpName = "SECONDS",
    };

    public static RootCommand Build()
    {
        var root = new RootCommand("SocketCluster conformance gate: runs the Gherkin scenarios against a server and judges them.\n"
            + "Exit codes: 0 every applicable MUST passed, 1 a requirement failed, 2 usage error or unreachable endpoint.");
        foreach (var option in new Option[] { EndpointOption, LevelOption, ProtocolOption, StrictOption, TagsOption, ReportOption, JUnitOption, ExpectationsOption, PlainOption, ParallelOption, LegacyOption, ScenarioTimeoutOption })
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
        if (result.GetValue(EndpointOption) is { } endpointText)
        {
            if (!TryParseEndpoint(endpointText, out endpoint, out var why)) return Error(why);
        }

        var level = 4;
        if (result.GetValue(LevelOption) is { } levelText)
        {
            var parsed = Reports.ConformanceLevel.Parse(levelText) ?? (int.TryParse(levelText, out var n) && n is >= 1 and <= 4 ? n : null);
            if (parsed is null) return Error($"--level must be L1, L2, L3 or L4 (got \"{levelText}\")");
            level = parsed.Value;
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

        TagExpression tags;
        try { tags = TagExpression.Parse(result.GetValue(TagsOption)); }
        catch (FormatException e) { return Error($"--tags: {e.Message}"); }

        var expectations = result.GetValue(ExpectationsOption);
        if (expectations is not null && !File.Exists(expectations)) return Error($"--expectations: file not found: {expectations}");

        return new ParsedCommandLine(new GateSettings
        {
            Endpoint = endpoint,
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
            ScenarioTimeout = scenarioTimeout,
        }, false, null);
    }

    /// <summary>Accepts ws:// and wss:// (http/https are mapped); a URL without a path gets /socketcluster/.</summary>
    public static bool TryParseEndpoint(string text, out Uri? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            error = $"--endpoint must be an absolute ws:// or wss:// URL (got \"{text}\")";
            return false;
        }
        var scheme = uri.Scheme switch { "ws" or "http" => "ws", "wss" or "https" => "wss", _ => null };
        if (scheme is null)
        {
            error = $"--endpoint must use ws:// or wss:// (got \"{uri.Scheme}://\")";
            return false;
        }
        var builder = new UriBuilder(uri) { Scheme = scheme, Port = uri.IsDefaultPort ? -1 : uri.Port };
        if (builder.Path is "" or "/") builder.Path = "/socketcluster/";
        endpoint = builder.Uri;
        return true;
    }

    private static ParsedCommandLine Error(string message) => new(null, false, message);
}
