using System.Collections.Concurrent;
using System.Diagnostics;
using Conformance.Engine.Catalog;
using Conformance.Engine.Running;
using Conformance.Engine.Support;
using Conformance.Mutants;

namespace Conformance.Mutants.Tests.SelfTest;

/// <summary>
/// Runs the conformance suite (the engine's <see cref="ScenarioRunner"/>, pointed at an explicit endpoint URL)
/// through mutation proxies. Each worker owns a known-good upstream server, a proxy in front of it and an engine
/// session for the proxy's URL, and runs its scenarios one at a time: scenarios share channel names, so two
/// running at once against one server would see each other's publications.
///
/// Phase 1, violations: the targeted scenarios run until one fails (all of them with <c>exhaustive</c>). A
/// failure counts only if the same scenario passes through the transparent proxy (the baseline, run on demand
/// and cached). Phase 2, legal variations: every scenario that caught a violation plus one per feature file,
/// none of which may fail.
/// </summary>
public sealed class MutantSuiteRunner(Func<Task<Upstream>> startUpstream, string repoRoot, int workers = 4, bool exhaustive = false)
{
    /// <summary>Each scenario's hard deadline (the engine's, EngineSettings.ScenarioTimeout): generous, as mutants slow some down.</summary>
    private static readonly TimeSpan ScenarioLimit = TimeSpan.FromSeconds(90);
    private readonly BaselineCache _baseline = new();

    public async Task<SelfTestReport> RunAsync(IReadOnlyList<Mutation> mutations, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var server = ScenarioSelection.ServerScenarios(FeatureCatalog.Load(Path.Combine(repoRoot, "features"), repoRoot));
        await ScenarioRunner.StartRunAsync().ConfigureAwait(false);

        var pool = await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Worker.StartAsync(startUpstream, repoRoot, cancellation))).ConfigureAwait(false);
        try
        {
            // Phase 1: violations, costliest first so the workers finish together.
            var violations = mutations.Where(m => !m.IsLegal)
                .Select(m => new WorkItem(m, ScenarioSelection.Targeted(m, server), StopAtFirstCatch: !exhaustive))
                .OrderByDescending(w => w.Scenarios.Any(s => s.HasTag("slow")))
                .ToList();
            var phase1 = await RunQueueAsync(pool, violations, cancellation).ConfigureAwait(false);

            // Phase 2: legal variations, each split across the workers.
            var catchers = phase1.SelectMany(o => o.Results.Where(r => r.Status == ScenarioStatus.Failed && _baseline.Passed(r.Id)).Select(r => r.Id));
            var legalSet = ScenarioSelection.ForLegal(catchers, server);
            var legalItems = mutations.Where(m => m.IsLegal)
                .SelectMany(m => legalSet.Chunk((legalSet.Count + workers - 1) / workers).Select(chunk => new WorkItem(m, chunk, StopAtFirstCatch: false)))
                .ToList();
            var phase2 = await RunQueueAsync(pool, legalItems, cancellation).ConfigureAwait(false);

            var outcomes = phase1.Concat(phase2)
                .GroupBy(o => o.Mutation)
                .Select(g => new MutationOutcome(g.Key, [.. g.SelectMany(o => o.Results)], TimeSpan.FromTicks(g.Sum(o => o.Duration.Ticks)), [.. g.SelectMany(o => o.ProxyFaults)]))
                .ToDictionary(o => o.Mutation);
            var baseline = new MutationOutcome(MutationCatalog.Identity,
                [.. _baseline.Results], TimeSpan.Zero, []);
            var direct = await RunDirectAsync(pool[0], baseline.Results.Where(r => r.Status != ScenarioStatus.Passed)
                .Select(r => server.First(s => s.Id == r.Id)).ToList(), cancellation).ConfigureAwait(false);
            var upstreamDescription = pool[0].Upstream.Description;
            return new SelfTestReport(baseline, direct, [.. mutations.Select(m => outcomes[m])], server.Count, clock.Elapsed,
                upstreamDescription, workers, exhaustive);
        }
        finally
        {
            await Task.WhenAll(pool.Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        }
    }

    private sealed record WorkItem(Mutation Mutation, IReadOnlyList<ScenarioCase> Scenarios, bool StopAtFirstCatch);

    private async Task<List<MutationOutcome>> RunQueueAsync(Worker[] pool, IReadOnlyList<WorkItem> items, CancellationToken cancellation)
    {
        var queue = new ConcurrentQueue<WorkItem>(items);
        var outcomes = new ConcurrentBag<MutationOutcome>();
        await Task.WhenAll(pool.Select(async worker =>
        {
            while (queue.TryDequeue(out var item))
                outcomes.Add(await RunItemAsync(worker, item, cancellation).ConfigureAwait(false));
        })).ConfigureAwait(false);
        return [.. outcomes];
    }

    private async Task<MutationOutcome> RunItemAsync(Worker worker, WorkItem item, CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var faultsBefore = worker.Proxy.Faults.Count;
        var results = new List<ScenarioResult>();
        foreach (var scenario in item.Scenarios)
        {
            var baseline = await BaselineAsync(worker, scenario, cancellation).ConfigureAwait(false);
            worker.Proxy.Use(item.Mutation);
            var result = await RunOneAsync(worker.Runner, scenario, cancellation).ConfigureAwait(false);
            results.Add(result);
            if (item.StopAtFirstCatch && result.Status == ScenarioStatus.Failed && baseline.Status == ScenarioStatus.Passed) break;
        }
        worker.Proxy.Use(MutationCatalog.Identity);
        return new MutationOutcome(item.Mutation, results, started.Elapsed, [.. worker.Proxy.Faults.Skip(faultsBefore)]);
    }

    /// <summary>The scenario's result through the transparent proxy (run once, by whichever worker needs it first).</summary>
    private Task<ScenarioResult> BaselineAsync(Worker worker, ScenarioCase scenario, CancellationToken cancellation) =>
        _baseline.GetAsync(scenario.Id, () =>
        {
            worker.Proxy.Use(MutationCatalog.Identity);
            return RunOneAsync(worker.Runner, scenario, cancellation);
        });

    /// <summary>Scenarios that did not pass through the transparent proxy, run straight against an upstream server.</summary>
    private static async Task<IReadOnlyList<ScenarioResult>> RunDirectAsync(Worker worker, IReadOnlyList<ScenarioCase> scenarios, CancellationToken cancellation)
    {
        if (scenarios.Count == 0) return [];
        var settings = new EngineSettings { RepoRoot = worker.RepoRoot, ScenarioTimeout = ScenarioLimit }.WithEndpoint(new Uri(worker.Upstream.BaseUri, "/socketcluster/").ToString());
        await using var session = new ConformanceSession(settings);
        var runner = new ScenarioRunner(session);
        var results = new List<ScenarioResult>();
        foreach (var s in scenarios) results.Add(await RunOneAsync(runner, s, cancellation).ConfigureAwait(false));
        return results;
    }

    /// <summary>The runner ends every scenario within its deadline (a scenario past it fails as "timed out in step ..."); shared with <see cref="ClientMutantSuiteRunner"/>.</summary>
    internal static Task<ScenarioResult> RunOneAsync(ScenarioRunner runner, ScenarioCase scenario, CancellationToken cancellation) =>
        runner.RunAsync(scenario, cancellation);

    /// <summary>One upstream server, the proxy in front of it and an engine session for the proxy's URL.</summary>
    private sealed class Worker : IAsyncDisposable
    {
        private Worker(Upstream upstream, MutationProxy proxy, ConformanceSession session, string repoRoot)
        {
            Upstream = upstream;
            Proxy = proxy;
            Session = session;
            Runner = new ScenarioRunner(session);
            RepoRoot = repoRoot;
        }

        public Upstream Upstream { get; }
        public MutationProxy Proxy { get; }
        public ConformanceSession Session { get; }
        public ScenarioRunner Runner { get; }
        public string RepoRoot { get; }

        public static async Task<Worker> StartAsync(Func<Task<Upstream>> startUpstream, string repoRoot, CancellationToken cancellation)
        {
            var upstream = await startUpstream().ConfigureAwait(false);
            var proxy = await MutationProxy.StartAsync(upstream.BaseUri, MutationCatalog.Identity, cancellation).ConfigureAwait(false);
            var session = new ConformanceSession(new EngineSettings { RepoRoot = repoRoot, ScenarioTimeout = ScenarioLimit }.WithEndpoint(proxy.EndpointUri.ToString()));
            // Probe the fixture contract through the transparent proxy, so fixture detection never depends on a mutation.
            await session.ProbeFixtureAsync(await session.ServerUnderTestAsync().ConfigureAwait(false)).ConfigureAwait(false);
            return new Worker(upstream, proxy, session, repoRoot);
        }

        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync().ConfigureAwait(false);
            await Proxy.DisposeAsync().ConfigureAwait(false);
            await Upstream.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Each scenario's result with the unmodified implementation (transparent proxy, or unmodified client): run once, by
/// whichever worker needs it first, and shared by every mutant that targets the scenario.
/// </summary>
internal sealed class BaselineCache
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ScenarioResult>>> _results = new();

    public Task<ScenarioResult> GetAsync(string scenarioId, Func<Task<ScenarioResult>> run) =>
        _results.GetOrAdd(scenarioId, _ => new Lazy<Task<ScenarioResult>>(run)).Value;

    public bool Passed(string scenarioId) =>
        _results.TryGetValue(scenarioId, out var lazy) && lazy.Value.IsCompletedSuccessfully && lazy.Value.Result.Status == ScenarioStatus.Passed;

    /// <summary>The results so far, by scenario id.</summary>
    public IReadOnlyList<ScenarioResult> Results =>
        [.. _results.Values.Where(l => l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result).OrderBy(r => r.Id, StringComparer.Ordinal)];
}
