using Conformance.Mutants.Clients;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>Runs the client self-test once (every client mutant) for the tests of this class.</summary>
public sealed class ClientSelfTestRunFixture : IAsyncLifetime
{
    public ClientSelfTestReport Report { get; private set; } = null!;

    public string ReportPath { get; } = Path.Combine(AppContext.BaseDirectory, "client-mutants-report.md");

    // 6 workers: most of a kill is waiting for a step's deadline, not CPU (the whole self-test project uses about 0.15 of
    // a core; with 3 workers the client half took 200 s on a busy and on an idle machine alike, 80 s past the server half).
    public async ValueTask InitializeAsync() =>
        Report = await SelfTestRun.RunAsync(
            (exhaustive, ct) => new ClientMutantSuiteRunner(RepoPaths.Root, workers: 6, exhaustive: exhaustive).RunAsync(Selected, ct),
            r => r.ToMarkdown(), ReportPath);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// CLIENT_MUTANTS=id,id (or a driver prefix such as "node/") runs only those mutants, for work on one check;
    /// unset, all of them (as in CI).
    /// </summary>
    public static IReadOnlyList<ClientMutant> Selected { get; } = Select(Environment.GetEnvironmentVariable("CLIENT_MUTANTS"));

    private static IReadOnlyList<ClientMutant> Select(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter)) return ClientMutantCatalog.All;
        var parts = filter.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var selected = ClientMutantCatalog.All.Where(m => parts.Any(p => m.Id == p || (p.EndsWith('/') && m.Id.StartsWith(p, StringComparison.Ordinal)))).ToList();
        return selected.Count > 0 ? selected
            : throw new ArgumentException($"CLIENT_MUTANTS='{filter}' selects no client mutant; ids: {string.Join(", ", ClientMutantCatalog.All.Select(m => m.Id))}");
    }
}

/// <summary>
/// The client scenarios are sharp: every misbehaving client (issue 10 §5) makes at least one client scenario fail
/// that passes with the unmodified client. Mutants in <see cref="ClientMutantCatalog.ExpectedSurvivors"/> are known
/// gaps: reported, and the test fails once one IS caught, so the list can only shrink.
/// </summary>
public sealed class ClientMutantSelfTests(ClientSelfTestRunFixture run) : IClassFixture<ClientSelfTestRunFixture>
{
    public static TheoryData<string> MutantIds => [.. ClientMutantCatalog.All.Select(m => m.Id)];

    [Theory]
    [MemberData(nameof(MutantIds))]
    public void Client_mutant_makes_a_client_scenario_fail(string mutantId)
    {
        if (ClientSelfTestRunFixture.Selected.All(m => m.Id != mutantId)) Assert.Skip("not selected by CLIENT_MUTANTS");
        var outcome = run.Report.For(mutantId);
        Assert.Empty(outcome.ProxyFaults);
        Assert.True(outcome.Ran > 0,
            $"No client scenario tagged {string.Join(", ", outcome.Mutant.Breaks)} with the '{outcome.Mutant.Driver}' client under test passed unmodified and ran (see {run.ReportPath}).");
        if (ClientMutantCatalog.ExpectedSurvivors.TryGetValue(mutantId, out var why))
        {
            if (outcome.Killed)
                Assert.Fail($"'{mutantId}' is listed as an expected survivor ({why}) but was caught by {outcome.CaughtBy[0].Id}: remove it from ClientMutantCatalog.ExpectedSurvivors.");
            TestContext.Current.TestOutputHelper?.WriteLine($"expected survivor: {why}");
            return;
        }
        Assert.True(outcome.Killed,
            $"'{mutantId}' ({outcome.Mutant.Description}) was not detected by any of {outcome.Ran} client scenarios: " +
            string.Join(", ", outcome.Results.Select(r => $"{r.Id}={r.Status}")));
        TestContext.Current.TestOutputHelper?.WriteLine($"caught by: {string.Join("; ", outcome.CaughtBy.Select(r => r.DisplayName))}");
    }

    [Fact]
    public void At_least_15_client_mutants_are_killed_on_both_clients()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(run.Report.ToMarkdown());
        if (ClientSelfTestRunFixture.Selected.Count != ClientMutantCatalog.All.Count) Assert.Skip("CLIENT_MUTANTS selects a subset");
        Assert.True(run.Report.Killed >= 15, $"only {run.Report.Killed} client mutants killed; see {run.ReportPath}");
        foreach (var driver in new[] { "csharp", "node" })
            Assert.Contains(run.Report.Outcomes, o => o.Mutant.Driver == driver && o.Killed);
    }
}
