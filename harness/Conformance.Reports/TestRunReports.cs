using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;

namespace Conformance.Reports;

/// <summary>
/// The same reports as the CLI for `dotnet test` runs of the xunit adapter (Conformance.Specs): when the environment
/// variable SC_REPORT_DIR names a directory, every recorded scenario lands in junit.xml, report.json and report.html
/// there (SC_EXPECTATIONS may name an expectations file). The adapter calls <see cref="Record"/> once per scenario;
/// reports are rewritten at most once a second while tests run and a last time when the process exits.
/// </summary>
public static class TestRunReports
{
    public const string DirectoryVariable = "SC_REPORT_DIR";
    public const string ExpectationsVariable = "SC_EXPECTATIONS";

    private static readonly object Lock = new();
    private static readonly List<ScenarioRecord> Records = [];
    private static readonly DateTimeOffset StartedAt = DateTimeOffset.UtcNow;
    private static EngineSettings? _settings;
    private static Timer? _debounce;
    private static bool _exitHooked;

    /// <summary>Records one scenario result; does nothing unless SC_REPORT_DIR is set.</summary>
    public static void Record(ScenarioCase scenario, ScenarioResult result, EngineSettings settings)
    {
        if (Directory() is null) return;
        var record = EngineResultMapper.ToRecord(scenario, result, settings.ProtocolVersion, DateTimeOffset.UtcNow - result.Duration);
        lock (Lock)
        {
            Records.RemoveAll(r => r.Id == record.Id);
            Records.Add(record);
            _settings = settings;
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
                var catalogPath = Path.Combine(_settings.RepoRoot, "spec", "requirements.md");
                var catalog = File.Exists(catalogPath) ? RequirementCatalog.Load(catalogPath) : RequirementCatalog.Empty;
                var expectations = Environment.GetEnvironmentVariable(ExpectationsVariable) is { Length: > 0 } path
                    ? Expectations.Load(path) : Expectations.None;
                var ordered = Records.OrderByDescending(r => r.ProtocolVersion).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
                var result = Evaluator.Evaluate(ordered, catalog, new GateOptions { Expectations = expectations });
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
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ExpectationsException)
            {
                // A report that cannot be written must not fail or hang the test run; say why on stderr.
                Console.Error.WriteLine($"{DirectoryVariable}: reports not written to {directory}: {e.Message}");
                return [];
            }
        }
    }

    private static string? Directory() =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;
}
