using System.Collections.Concurrent;
using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.EngineTests;

/// <summary>
/// Issue 11 §2: with the embedded known-good server a client author's run needs .NET only. Client scenarios for the
/// csharp driver run against the C# reference sample with a Node executable that does not exist, so any Node fixture
/// server the engine tried to start would fail its scenario.
/// </summary>
public sealed class EmbeddedKnownGoodTests(ITestOutputHelper output)
{
    private const string MissingNode = "/nonexistent/node-must-not-be-started";

    /// <summary>
    /// A handful of L1 client rows that use the known-good server, plus the reconnect row that stops and restarts it
    /// and both HS-010 rows (conformanceHandshakeError=&lt;code&gt;|none, honoured by the sample's fixture app).
    /// </summary>
    private static IReadOnlyList<ScenarioCase> Scenarios()
    {
        var root = EngineSettings.FindRepoRoot();
        static bool UsesKnownGood(ScenarioCase c) => c.Steps.Any(s => s.Text.StartsWith("the known-good server is running", StringComparison.Ordinal));
        var rows = ClientDimension.Expand(FeatureCatalog.Load(Path.Combine(root, "features"), root), [])
            .Where(c => c.LoadError is null && c.HasTag("client") && c.HasTag("v2") && !c.HasTag("ignore") && !c.HasTag("slow")
                && c.Client == "csharp" && UsesKnownGood(c))
            .ToList();
        var picked = rows.Where(c => c.HasTag("L1") && !c.HasTag("HS-010")).Take(6)
            .Concat(rows.Where(c => c.HasTag("HS-010")))
            .Concat(rows.Where(c => c.Steps.Any(s => s.Text == "the known-good server is started again")).Take(1))
            .DistinctBy(c => c.Id)
            .ToList();
        Assert.True(picked.Count >= 8, $"expected at least 8 csharp client rows that use the known-good server, found {picked.Count}");
        return picked;
    }

    [Fact]
    public async Task Client_scenarios_run_against_the_embedded_known_good_server_without_Node()
    {
        var settings = new EngineSettings { RepoRoot = EngineSettings.FindRepoRoot(), NodeExecutable = MissingNode, KnownGood = KnownGoodServerKind.Embedded }
            .WithTarget(EngineSettings.EmbeddedTarget) with { ProtocolVersion = 2 };
        Assert.True(settings.KnownGoodIsEmbedded);
        var scenarios = Scenarios();
        await using var session = new ConformanceSession(settings);
        session.EmbeddedTargetFactory ??= s => new EmbeddedSampleTarget(s);
        var runner = new ScenarioRunner(session);
        var results = new ConcurrentBag<(ScenarioCase Case, ScenarioResult Result)>();
        await Parallel.ForEachAsync(scenarios, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            async (scenario, ct) => results.Add((scenario, await runner.RunAsync(scenario, ct))));

        foreach (var (c, r) in results.OrderBy(p => p.Case.Id, StringComparer.Ordinal))
            output.WriteLine($"{r.Status,-8} {c.DisplayName} {r.Message}");
        foreach (var (c, r) in results)
        {
            Assert.DoesNotContain(MissingNode, r.Transcript);
            Assert.DoesNotContain("node fixture-server", r.Transcript);
            Assert.True(r.Status == ScenarioStatus.Passed, $"{c.DisplayName}: {r.Status} {r.Message}\n{r.Transcript}");
            Assert.Contains("known-good server (embedded C# reference sample", r.Transcript);
        }
    }

    [Theory]
    [InlineData("embedded", KnownGoodServerKind.Embedded)]
    [InlineData("OFFICIAL", KnownGoodServerKind.Official)]
    public void SC_KNOWN_GOOD_chooses_the_known_good_server(string value, KnownGoodServerKind expected)
    {
        var settings = EngineSettings.FromEnvironment(EngineSettings.FindRepoRoot(), name => name == EngineSettings.KnownGoodVariable ? value : null);
        Assert.Equal(expected, settings.KnownGood);
    }

    [Fact]
    public void A_v14_run_keeps_the_Node_fixture_and_a_bad_value_is_refused()
    {
        var v14 = EngineSettings.FromEnvironment(EngineSettings.FindRepoRoot(),
            name => name switch { EngineSettings.KnownGoodVariable => "embedded", "SC_TARGET" => "official-v14", _ => null });
        Assert.False(v14.KnownGoodIsEmbedded);
        var e = Assert.Throws<ArgumentException>(() => EngineSettings.FromEnvironment(EngineSettings.FindRepoRoot(),
            name => name == EngineSettings.KnownGoodVariable ? "node" : null));
        Assert.Contains("SC_KNOWN_GOOD", e.Message);
    }
}
