using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>Runs the whole self-test once (upstreams, proxies, engine sessions, every mutation) for the tests of this class.</summary>
public sealed class SelfTestRunFixture : IAsyncLifetime
{
    public SelfTestReport Report { get; private set; } = null!;

    public string ReportPath { get; } = Path.Combine(AppContext.BaseDirectory, "mutants-report.md");

    public async ValueTask InitializeAsync() =>
        Report = await SelfTestRun.RunAsync(
            (exhaustive, ct) => new MutantSuiteRunner(Upstream.StartAsync, RepoPaths.Root, workers: 4, exhaustive: exhaustive).RunAsync(Selected, ct),
            r => r.ToMarkdown(), ReportPath);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// MUTANTS_ONLY=id,id,... runs only those mutations plus every legal variation (for working on a few mutants; the
    /// legal variations then run the scenarios that caught them). Unset: every mutation. An unknown id is an error.
    /// </summary>
    public static IReadOnlyList<Mutation> Selected { get; } = Select(Environment.GetEnvironmentVariable("MUTANTS_ONLY"));

    private static IReadOnlyList<Mutation> Select(string? only)
    {
        if (string.IsNullOrWhiteSpace(only)) return MutationCatalog.All;
        var ids = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ids) MutationCatalog.Get(id); // throws KeyNotFoundException naming an unknown id
        return [.. MutationCatalog.Violations.Where(m => ids.Contains(m.Id)), .. MutationCatalog.LegalVariations];
    }

    public static void SkipUnlessSelected(string mutationId)
    {
        if (Selected.All(m => m.Id != mutationId)) Assert.Skip($"not in MUTANTS_ONLY ({mutationId})");
    }
}

/// <summary>What the server and client self-tests share: the time limit, MUTANTS_EXHAUSTIVE and the Markdown report file.</summary>
internal static class SelfTestRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    /// <summary>Runs a self-test (exhaustive when MUTANTS_EXHAUSTIVE=1) within the limit and writes its report.</summary>
    public static async Task<T> RunAsync<T>(Func<bool, CancellationToken, Task<T>> run, Func<T, string> markdown, string reportPath)
    {
        using var limit = new CancellationTokenSource(Limit);
        var exhaustive = Environment.GetEnvironmentVariable("MUTANTS_EXHAUSTIVE") is "1" or "true";
        var report = await run(exhaustive, limit.Token);
        await File.WriteAllTextAsync(reportPath, markdown(report), limit.Token);
        return report;
    }
}

/// <summary>
/// The suite is sharp: every deliberate violation makes at least one scenario fail, and no legal variation
/// makes any fail. A failure message names the scenarios involved; the full report is mutants-report.md.
/// </summary>
public sealed class MutantSelfTests(SelfTestRunFixture run) : IClassFixture<SelfTestRunFixture>
{
    public static TheoryData<string> ViolationIds => [.. MutationCatalog.Violations.Select(m => m.Id)];

    public static TheoryData<string> LegalIds => [.. MutationCatalog.LegalVariations.Select(m => m.Id)];

    [Theory]
    [MemberData(nameof(ViolationIds))]
    public void Violation_makes_a_scenario_fail(string mutationId)
    {
        SelfTestRunFixture.SkipUnlessSelected(mutationId);
        var outcome = run.Report.For(mutationId);
        Assert.Empty(outcome.ProxyFaults);
        Assert.True(outcome.Ran > 0,
            $"No scenario tagged {string.Join(", ", outcome.Mutation.Breaks)} ran (see {run.ReportPath}).");
        var caught = run.Report.CaughtBy(outcome);
        Assert.True(caught.Count > 0,
            $"'{mutationId}' ({outcome.Mutation.Description}) was not detected by any of {outcome.Ran} scenarios: " +
            string.Join(", ", outcome.Results.Select(r => $"{r.Id}={r.Status}")));
        TestContext.Current.TestOutputHelper?.WriteLine($"caught by: {string.Join("; ", caught.Select(r => r.DisplayName))}");
    }

    [Theory]
    [MemberData(nameof(LegalIds))]
    public void Legal_variation_makes_no_scenario_fail(string mutationId)
    {
        var outcome = run.Report.For(mutationId);
        Assert.Empty(outcome.ProxyFaults);
        var failed = run.Report.CaughtBy(outcome);
        Assert.True(failed.Count == 0,
            $"'{mutationId}' is legal but failed: {string.Join("\n", failed.Select(r => r.Summary + "\n" + r.Transcript))}");
        Assert.True(outcome.Ran > 0, "no scenario ran under the legal variation");
    }

    [Fact]
    public void The_proxy_is_transparent_and_at_least_20_violations_are_detected()
    {
        if (SelfTestRunFixture.Selected.Count != MutationCatalog.All.Count) Assert.Skip("MUTANTS_ONLY selects a subset");
        TestContext.Current.TestOutputHelper?.WriteLine(run.Report.ToMarkdown());
        Assert.Empty(run.Report.ProxyTransparencyFailures);
        Assert.True(run.Report.DetectedViolations.Count() >= 20,
            $"only {run.Report.DetectedViolations.Count()} violations detected; see {run.ReportPath}");
    }
}
