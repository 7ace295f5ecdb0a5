using System.Collections.Concurrent;
using System.Diagnostics;
using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>
/// Runs the conformance suite (the engine's scenario runner, against an explicit endpoint URL) through mutation
/// proxies in front of one known-good upstream server. Each worker owns one proxy and one engine session: the
/// fixture contract is probed through the transparent proxy first, then the worker switches the proxy from one
/// mutation to the next. The transparent run ("identity") is the baseline: a scenario counts as catching a
/// violation only if it passed through the transparent proxy.
/// </summary>
public sealed class MutantSuiteRunner(Uri upstream, string repoRoot, int workers = 2, int scenariosInParallel = 2)
{
    private static readonly TimeSpan ScenarioLimit = TimeSpan.FromSeconds(90);

    public async Task<SelfTestReport> RunAsync(IReadOnlyList<Mutation> mutations, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var all = FeatureCatalog.Load(Path.Combine(repoRoot, "features"), repoRoot);
        var server = ScenarioSelection.ServerScenarios(all);
        var plan = mutations.Select(m => (Mutation: m, Scenarios: ScenarioSelection.For(m, server))).ToList();
        var baselineScenarios = plan.SelectMany(p => p.Scenarios).DistinctBy(s => s.Id).ToList();

        // The baseline goes first; then the costliest mutations (slow scenarios) so the two workers finish together.
        var queue = new ConcurrentQueue<(Mutation Mutation, IReadOnlyList<ScenarioCase> Scenarios)>(
            [(MutationCatalog.Identity, baselineScenarios), .. plan.OrderByDescending(p => Cost(p.Scenarios))]);
        var outcomes = new ConcurrentBag<MutationOutcome>();

        await ScenarioRunner.StartRunAsync().ConfigureAwait(false);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(queue, outcomes, cancellation))).ConfigureAwait(false);

        var baseline = outcomes.Single(o => o.Mutation == MutationCatalog.Identity);
        var direct = await RunDirectAsync(baseline.Results.Where(r => r.Status != ScenarioStatus.Passed).Select(r => r.Id)
            .Select(id => baselineScenarios.First(s => s.Id == id)).ToList(), cancellation).ConfigureAwait(false);

        return new SelfTestReport(baseline, direct,
            [.. mutations.Select(m => outcomes.Single(o => o.Mutation == m))], server.Count, clock.Elapsed);
    }

    private static int Cost(IReadOnlyList<ScenarioCase> scenarios) => scenarios.Sum(s => s.HasTag("slow") ? 20 : 1);

    private async Task WorkAsync(ConcurrentQueue<(Mutation Mutation, IReadOnlyList<ScenarioCase> Scenarios)> queue,
        ConcurrentBag<MutationOutcome> outcomes, CancellationToken cancellation)
    {
        await using var proxy = await MutationProxy.StartAsync(upstream, MutationCatalog.Identity, cancellation).ConfigureAwait(false);
        var settings = new EngineSettings { RepoRoot = repoRoot }.WithEndpoint(proxy.EndpointUri.ToString());
        await using var session = new ConformanceSession(settings);
        // Probe through the transparent proxy, so fixture detection never depends on the mutation under test.
        await session.ProbeFixtureAsync(await session.ServerUnderTestAsync().ConfigureAwait(false)).ConfigureAwait(false);
        var runner = new ScenarioRunner(session);

        while (queue.TryDequeue(out var item))
        {
            var started = Stopwatch.StartNew();
            var faultsBefore = proxy.Faults.Count;
            proxy.Use(item.Mutation);
            var results = await RunAllAsync(runner, item.Scenarios, cancellation).ConfigureAwait(false);
            outcomes.Add(new MutationOutcome(item.Mutation, results, started.Elapsed, [.. proxy.Faults.Skip(faultsBefore)]));
        }
    }

    /// <summary>Scenarios that failed through the transparent proxy, run straight against the upstream server.</summary>
    private async Task<IReadOnlyList<ScenarioResult>> RunDirectAsync(IReadOnlyList<ScenarioCase> scenarios, CancellationToken cancellation)
    {
        if (scenarios.Count == 0) return [];
        var settings = new EngineSettings { RepoRoot = repoRoot }.WithEndpoint(new Uri(upstream, "/socketcluster/").ToString());
        await using var session = new ConformanceSession(settings);
        return await RunAllAsync(new ScenarioRunner(session), scenarios, cancellation).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ScenarioResult>> RunAllAsync(ScenarioRunner runner, IReadOnlyList<ScenarioCase> scenarios, CancellationToken cancellation)
    {
        var results = new ScenarioResult[scenarios.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, scenarios.Count),
            new ParallelOptions { MaxDegreeOfParallelism = scenariosInParallel, CancellationToken = cancellation },
            async (i, ct) =>
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
                limit.CancelAfter(ScenarioLimit);
                results[i] = await runner.RunAsync(scenarios[i], limit.Token).WaitAsync(ScenarioLimit + TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return results;
    }
}
