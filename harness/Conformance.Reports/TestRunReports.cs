using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;

namespace Conformance.Reports;

/// <summary>
/// The same verdict and reports as the CLI for `dotnet test` runs of the xunit adapter (Conformance.Specs). The adapter
/// calls <see cref="Record"/> once per scenario; <see cref="Evaluate"/> judges what was recorded (the adapter's
/// "Conformance level: SUBJECT" tests). When the environment variable SC_REPORT_DIR names a directory, every recorded
/// scenario lands in junit.xml, report.json and report.html there (SC_EXPECTATIONS may name an expectations file);
/// reports are rewritten at most once a second while tests run and a last time when the process exits.
/// </summary>
public static class TestRunReports
{
    public const string DirectoryVariable = "SC_REPORT_DIR";
    public const string ExpectationsVariable = "SC_EXPECTATIONS";
    /// <summary>"1": untested MUSTs do not fail the level tests (the CLI's --allow-untested).</summary>
    public const string AllowUntestedVariable = "SC_ALLOW_UNTESTED";
    /// <summary>"L1".."L4": the level tests fail below it (the CLI's --require-level).</summary>
    public const string RequireLevelVariable = "SC_REQUIRE_LEVEL";

    private static readonly object Lock = new();
    private static readonly List<ScenarioRecord> Records = [];
    private static readonly DateTimeOffset StartedAt = DateTimeOffset.UtcNow;
    private static EngineSettings? _settings;
    private static Timer? _debounce;
    private static bool _exitHooked;

    /// <summary>Records one scenario result; reports are written only when SC_REPORT_DIR is set.</summary>
    public static void Record(ScenarioCase scenario, ScenarioResult result, EngineSettings settings)
    {
        var record = EngineResultMapper.ToRecord(scenario, result, settings.ProtocolVersion, DateTimeOffset.UtcNow - result.Duration);
        lock (Lock)
        {
            Records.RemoveAll(r => r.Id == record.Id);
            Records.Add(record);
            _settings = settings;
            if (Directory() is null) return;
            if (!_exitHooked)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
                _exitHooked = true;
            }
            _debounce ??= new Timer(_ => Flush());
            _debounce.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Writes the reports of everything recorded so far (also called on process exit). Returns the paths.</summary>
    public static IReadOnlyList<string> Flush()
    {
        var directory = Directory();
        if (directory is null) return [];
        lock (Lock)
        {
            if (Records.Count == 0 || _settings is null) return [];
            try
            {
                var (result, catalog, ordered) = EvaluateLocked(_settings);
                var report = new RunReport(new RunInfo
                {
                    Endpoint = _settings.Describe(),
                    EndpointKind = "dotnet-test",
                    ProtocolVersions = ordered.Select(r => r.ProtocolVersion).Distinct().ToList(),
                    StartedAt = StartedAt,
                    FinishedAt = DateTimeOffset.UtcNow,
                    Tool = "dotnet test (Conformance.Specs)",
                }, result, catalog);
                return ReportSet.Write(report, directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExpectationsException or ArgumentException)
            {
                // A report that cannot be written must not fail or hang the test run; say why on stderr.
                Console.Error.WriteLine($"{DirectoryVariable}: reports not written to {directory}: {e.Message}");
                return [];
            }
        }
    }

    /// <summary>
    /// Judges every scenario recorded so far with the options of the environment (SC_EXPECTATIONS, SC_ALLOW_UNTESTED,
    /// SC_REQUIRE_LEVEL), as the CLI would; null when nothing was recorded. Scenarios that were not run are out of scope.
    /// </summary>
    public static ConformanceResult? Evaluate()
    {
        lock (Lock) return Records.Count == 0 || _settings is null ? null : EvaluateLocked(_settings).Result;
    }

    /// <summary>The gate options that SC_EXPECTATIONS, SC_ALLOW_UNTESTED and SC_REQUIRE_LEVEL describe; bad values throw with the variable named.</summary>
    public static GateOptions OptionsFromEnvironment()
    {
        var expectations = Environment.GetEnvironmentVariable(ExpectationsVariable) is { Length: > 0 } path ? Expectations.Load(path) : Expectations.None;
        int? required = null;
        if (Environment.GetEnvironmentVariable(RequireLevelVariable) is { Length: > 0 } text)
            required = ConformanceLevel.Parse(text) ?? throw new ArgumentException($"{RequireLevelVariable} must be L1, L2, L3 or L4 (got \"{text}\")");
        var allow = Environment.GetEnvironmentVariable(AllowUntestedVariable) is { Length: > 0 } a && a is not ("0" or "false");
        return new GateOptions { Expectations = expectations, AllowUntested = allow, RequiredLevel = required };
    }

    private static (ConformanceResult Result, RequirementCatalog Catalog, List<ScenarioRecord> Ordered) EvaluateLocked(EngineSettings settings)
    {
        var catalogPath = Path.Combine(settings.RepoRoot, "spec", "requirements.md");
        var catalog = File.Exists(catalogPath) ? RequirementCatalog.Load(catalogPath) : RequirementCatalog.Empty;
        var ordered = Records.OrderByDescending(r => r.ProtocolVersion).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        return (Evaluator.Evaluate(ordered, catalog, OptionsFromEnvironment()), catalog, ordered);
    }

    private static string? Directory() =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;
}
