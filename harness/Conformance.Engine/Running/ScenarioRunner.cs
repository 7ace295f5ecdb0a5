using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Conformance.Engine.Catalog;
using Conformance.Engine.Support;
using Reqnroll;
using Reqnroll.Bindings;

namespace Conformance.Engine.Running;

/// <summary>
/// Runs one <see cref="ScenarioCase"/> through Reqnroll's own runtime (TestRunnerManager / ITestRunner), in the order
/// Reqnroll's generated code uses, and turns the outcome into a <see cref="ScenarioResult"/>. Host-agnostic: the xunit
/// adapter and the CLI both call it. Safe to call concurrently (Reqnroll pools one test runner per worker).
/// </summary>
public sealed class ScenarioRunner(ConformanceSession session)
{
    /// <summary>The assembly that holds the bindings and the runtime plugin.</summary>
    public static Assembly EngineAssembly { get; } = typeof(ScenarioRunner).Assembly;

    public ConformanceSession Session { get; } = session;

    /// <summary>Runs Reqnroll's [BeforeTestRun] hooks once (optional: the first scenario does it too).</summary>
    public static Task StartRunAsync()
    {
        // Parallel scenarios start together with JIT, Node and browser start-up: on 2 cores the thread pool's slow
        // injection (a thread every ~0.5 s) delayed frames by a second, long enough for a 2 s handshake timeout to fire
        // in a scenario about something else. A larger minimum lets the first burst run at once.
        ThreadPool.GetMinThreads(out var workers, out var io);
        var wanted = Math.Max(32, 8 * Environment.ProcessorCount);
        if (workers < wanted) ThreadPool.SetMinThreads(wanted, Math.Max(io, wanted));
        return TestRunnerManager.OnTestRunStartAsync(EngineAssembly);
    }

    /// <summary>Runs Reqnroll's [AfterTestRun] hooks once. Hosts call it when all scenarios are done.</summary>
    public static Task EndRunAsync() => TestRunnerManager.OnTestRunEndAsync(EngineAssembly);

    /// <summary>
    /// How long an abandoned scenario's task may still take, after its deadline, to observe the cancellation and tear
    /// down its connections before the runner stops waiting for it (a step that ignores cancellation cannot hang the run).
    /// </summary>
    public static readonly TimeSpan DeadlineGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Runs the scenario within its hard deadline (<see cref="EngineSettings.ScenarioTimeout"/>): at the deadline its
    /// cancellation fires; a scenario that has not ended <see cref="DeadlineGrace"/> later is abandoned. Either way the
    /// result is a failure "timed out after N s in step ..." with the transcript so far, so the run always ends.
    /// </summary>
    public async Task<ScenarioResult> RunAsync(ScenarioCase scenario, CancellationToken cancellation = default)
    {
        var started = Stopwatch.StartNew();
        if (PreCheck(scenario) is { } early) return early with { Duration = started.Elapsed };

        // Outside the scenario's own deadline: waiting for the others is not the scenario's time. Bounded all the same.
        IDisposable gate;
        using (var gateWait = CancellationTokenSource.CreateLinkedTokenSource(cancellation))
        {
            gateWait.CancelAfter(ExclusivityWait);
            try
            {
                gate = await Session.Exclusivity.EnterAsync(ScenarioExclusivity.IsExclusive(scenario), gateWait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                return new ScenarioResult
                {
                    Id = scenario.Id, DisplayName = scenario.DisplayName, Status = ScenarioStatus.Failed, Tags = scenario.Tags,
                    FailingLocation = scenario.Id, Duration = started.Elapsed,
                    Message = $"waited {ExclusivityWait.TotalMinutes:0} min for the @{ScenarioExclusivity.Tag} scenarios to let it run",
                };
            }
        }
        // The scenario's time starts in the gate: a scenario queued behind an @exclusive one (in this session or another
        // of the same process) has not been slow itself.
        using (gate) return await RunInGateAsync(scenario, Stopwatch.StartNew(), cancellation).ConfigureAwait(false);
    }

    /// <summary>The longest a scenario waits for @exclusive ones (or an exclusive one for the others) before failing.</summary>
    public static readonly TimeSpan ExclusivityWait = TimeSpan.FromMinutes(10);

    private async Task<ScenarioResult> RunInGateAsync(ScenarioCase scenario, Stopwatch started, CancellationToken cancellation)
    {
        var timeout = Session.Settings.ScenarioTimeout;
        // Not disposed: an abandoned scenario may still hold (and register on) these tokens.
        var timer = new CancellationTokenSource(timeout);
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timer.Token);
        var run = new ScenarioRun(scenario, Session, deadline.Token);
        // Where the scenario was when its time ran out (teardown runs after that and moves the activity on).
        timer.Token.Register(run.MarkDeadline);
        var previous = ScenarioRun.Current;
        ScenarioRun.Current = run;
        Task<ScenarioResult> execution;
        try
        {
            // Task.Run: a step that blocks synchronously must not block the caller past the deadline either.
            execution = Task.Run(() => ExecuteAsync(scenario, run, started), CancellationToken.None);
        }
        finally
        {
            ScenarioRun.Current = previous;
        }

        ScenarioResult result;
        try
        {
            result = await execution.WaitAsync(timeout + DeadlineGrace, cancellation).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return TimedOut(scenario, run, started.Elapsed, timeout, abandoned: true);
        }
        if (result.Status != ScenarioStatus.Passed && timer.IsCancellationRequested && !cancellation.IsCancellationRequested)
            return TimedOut(scenario, run, result.Duration, timeout, abandoned: false, result);
        deadline.Dispose();
        timer.Dispose();
        return result;
    }

    /// <summary>The failure of a scenario that overran its deadline: where it was, and the transcript so far.</summary>
    private static ScenarioResult TimedOut(ScenarioCase scenario, ScenarioRun run, TimeSpan duration, TimeSpan timeout, bool abandoned,
        ScenarioResult? ended = null)
    {
        var (activity, step) = run.AtDeadline ?? Tuple.Create(run.Activity, run.CurrentStep);
        var message = new System.Text.StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:0.#} s in {activity}")
            .Append(abandoned
                ? $" (the scenario ignored the cancellation and was abandoned {DeadlineGrace.TotalSeconds:0} s later; set a longer deadline with --scenario-timeout or {EngineSettings.ScenarioTimeoutVariable})"
                : $" (set a longer deadline with --scenario-timeout or {EngineSettings.ScenarioTimeoutVariable})");
        if (ended?.Message is { Length: > 0 } then) message.Append("\nThen: ").Append(then);
        return new ScenarioResult
        {
            Id = scenario.Id,
            DisplayName = scenario.DisplayName,
            Status = ScenarioStatus.Failed,
            FailingStep = step is null ? ended?.FailingStep : $"{step.Keyword} {step.Text}",
            FailingLocation = step is null ? ended?.FailingLocation ?? scenario.Id : $"{scenario.FeaturePath}:{step.Line}",
            Message = message.ToString(),
            Exception = new TimeoutException(message.ToString(), ended?.Exception),
            Transcript = run.Transcript.Render(),
            TranscriptEntries = run.Transcript.Entries,
            StepTrace = run.Trace,
            Duration = duration,
            Tags = scenario.Tags,
        };
    }

    private ScenarioResult? PreCheck(ScenarioCase scenario)
    {
        ScenarioResult Result(ScenarioStatus status, string message, NotApplicableKind? kind = null) => new()
        {
            Id = scenario.Id, DisplayName = scenario.DisplayName, Status = status, Message = message, NotApplicable = kind,
            Tags = scenario.Tags, FailingLocation = scenario.Id,
        };

        if (scenario.LoadError is { } loadError)
            return Result(ScenarioStatus.Failed, $"{scenario.FeaturePath}: Gherkin syntax error: {loadError}");
        if (scenario.HasTag("ignore"))
            return Result(ScenarioStatus.Skipped, "tagged @ignore", NotApplicableKind.Ignored);
        var version = Session.Settings.ProtocolVersion;
        if (!scenario.HasTag($"v{version}"))
            return Result(ScenarioStatus.Skipped,
                $"not tagged @v{version}: this run targets protocol version {version} (tags: {string.Join(" ", scenario.Tags.Select(t => "@" + t))})",
                NotApplicableKind.VersionNotSpoken);
        if (scenario.HasTag("cluster") && !Session.Settings.IsCluster)
            return Result(ScenarioStatus.Skipped,
                "not a cluster run: @cluster scenarios need two or more nodes of one cluster (--endpoint A --endpoint B, SC_ENDPOINTS, or --cluster N / SC_TARGET=cluster)",
                NotApplicableKind.NotACluster);
        if (scenario.HasTag("cluster-control") && !Session.Settings.ControlsCluster)
            return Result(ScenarioStatus.Skipped,
                "no control over the cluster's processes: @cluster-control scenarios restart nodes or the broker, which the suite does only for a cluster it starts (--cluster N, SC_TARGET=cluster)",
                NotApplicableKind.NotACluster);
        if (Session.Settings.LegacyV14 && scenario.HasTag("not-v14"))
            return Result(ScenarioStatus.Skipped,
                "tagged @not-v14: socketcluster-server 14.x behaves differently here (spec/legacy-v14.md), and this run targets a v14-era server",
                NotApplicableKind.VersionNotSpoken);
        return null;
    }

    private static async Task<ScenarioResult> ExecuteAsync(ScenarioCase scenario, ScenarioRun run, Stopwatch started)
    {
        var runner = TestRunnerManager.GetTestRunnerForAssembly(EngineAssembly, featureHint: scenario.FeatureInfo);
        ScenarioStep? failingStep = null;
        Exception? collected = null;
        ScenarioExecutionStatus status;
        Exception? testError;
        try
        {
            await EnsureFeatureStartedAsync(runner, scenario.FeatureInfo).ConfigureAwait(false);

            var info = new ScenarioInfo(scenario.Name, scenario.Description, scenario.DirectTags.ToArray(),
                ToOrderedDictionary(scenario.ExampleArguments), InheritedTags(scenario).ToArray());
            runner.OnScenarioInitialize(info, scenario.RuleInfo);
            await runner.OnScenarioStartAsync().ConfigureAwait(false);

            foreach (var step in scenario.Steps)
            {
                var before = runner.ScenarioContext.ScenarioExecutionStatus;
                run.CurrentStep = step;
                run.Activity = $"step '{step.Keyword} {step.Text}' ({scenario.FeaturePath}:{step.Line})";
                await RunStepAsync(runner, step).ConfigureAwait(false);
                if (before == ScenarioExecutionStatus.OK && runner.ScenarioContext.ScenarioExecutionStatus != ScenarioExecutionStatus.OK)
                    failingStep = step;
            }
            run.CurrentStep = null;

            status = runner.ScenarioContext.ScenarioExecutionStatus;
            testError = runner.ScenarioContext.TestError;
            try
            {
                await runner.CollectScenarioErrorsAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                collected = e;
            }
        }
        catch (Exception e)
        {
            // A failing [BeforeFeature] hook or an engine error: report it as a failure of the scenario.
            status = ScenarioExecutionStatus.TestError;
            testError = e;
        }
        finally
        {
            run.CurrentStep = null;
            run.Activity = "the scenario's teardown (AfterScenario hooks: closing its connections and clients)";
            try
            {
                if (runner.ScenarioContext is not null) await runner.OnScenarioEndAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // An [AfterScenario] failure (e.g. cleanup) fails the scenario unless it already failed.
                collected ??= e;
            }
            finally
            {
                TestRunnerManager.ReleaseTestRunner(runner);
            }
        }

        return BuildResult(scenario, run, started.Elapsed, status, testError, collected, failingStep);
    }

    private static ScenarioResult BuildResult(ScenarioCase scenario, ScenarioRun run, TimeSpan duration,
        ScenarioExecutionStatus status, Exception? testError, Exception? collected, ScenarioStep? failingStep)
    {
        var error = testError ?? collected;
        var resultStatus = status switch
        {
            ScenarioExecutionStatus.OK when collected is null => ScenarioStatus.Passed,
            ScenarioExecutionStatus.OK => ScenarioStatus.Failed,
            ScenarioExecutionStatus.Skipped => ScenarioStatus.Skipped,
            ScenarioExecutionStatus.StepDefinitionPending or ScenarioExecutionStatus.UndefinedStep => ScenarioStatus.Pending,
            _ => ScenarioStatus.Failed,
        };
        // Only the typed not-applicable signal skips (issue 10 §3): any other cause is a failure.
        var skip = error as ScenarioSkippedException;
        if (resultStatus == ScenarioStatus.Skipped && skip is null)
            resultStatus = ScenarioStatus.Failed;

        // For pending and undefined steps Reqnroll's collected exception carries the snippet to write.
        var message = resultStatus == ScenarioStatus.Pending
            ? collected?.Message ?? error?.Message
            : error?.Message;
        if (error is not null && error is not (ScenarioSkippedException or ScenarioPendingException or ConformanceAssertionException)
            && resultStatus == ScenarioStatus.Failed)
            message = $"{error.GetType().Name}: {error.Message}";

        return new ScenarioResult
        {
            Id = scenario.Id,
            DisplayName = scenario.DisplayName,
            Status = resultStatus,
            FailingStep = failingStep is null || resultStatus is ScenarioStatus.Passed ? null : $"{failingStep.Keyword} {failingStep.Text}",
            FailingLocation = resultStatus is ScenarioStatus.Passed ? null
                : failingStep is null ? scenario.Id : $"{scenario.FeaturePath}:{failingStep.Line}",
            Message = message,
            NotApplicable = resultStatus == ScenarioStatus.Skipped ? skip?.Kind : null,
            Exception = resultStatus is ScenarioStatus.Passed or ScenarioStatus.Skipped ? null : error,
            Transcript = run.Transcript.Render(),
            TranscriptEntries = run.Transcript.Entries,
            StepTrace = run.Trace,
            Duration = duration,
            Tags = scenario.Tags,
        };
    }

    private static async Task EnsureFeatureStartedAsync(ITestRunner runner, FeatureInfo feature)
    {
        // Same protocol as Reqnroll's generated test classes: finish another feature still open on this runner, then
        // start ours (FeatureInfo instances are shared per feature file, so reference equality identifies it).
        try
        {
            if (runner.FeatureContext is not null && !ReferenceEquals(runner.FeatureContext.FeatureInfo, feature))
                await runner.OnFeatureEndAsync().ConfigureAwait(false);
        }
        finally
        {
            if (runner.FeatureContext?.BeforeFeatureHookFailed == true)
                throw new InvalidOperationException("Scenario skipped because of a previous [BeforeFeature] hook error");
            if (runner.FeatureContext is null) await runner.OnFeatureStartAsync(feature).ConfigureAwait(false);
        }
    }

    private static Task RunStepAsync(ITestRunner runner, ScenarioStep step)
    {
        var keyword = step.Keyword + " ";
        return step.KeywordType switch
        {
            Io.Cucumber.Messages.Types.StepKeywordType.CONTEXT => runner.GivenAsync(step.Text, step.DocString, step.Table, keyword),
            Io.Cucumber.Messages.Types.StepKeywordType.ACTION => runner.WhenAsync(step.Text, step.DocString, step.Table, keyword),
            Io.Cucumber.Messages.Types.StepKeywordType.OUTCOME => runner.ThenAsync(step.Text, step.DocString, step.Table, keyword),
            _ => step.Keyword.Trim() switch
            {
                "But" => runner.ButAsync(step.Text, step.DocString, step.Table, keyword),
                "*" => runner.GivenAsync(step.Text, step.DocString, step.Table, keyword),
                _ => runner.AndAsync(step.Text, step.DocString, step.Table, keyword),
            },
        };
    }

    private static IEnumerable<string> InheritedTags(ScenarioCase scenario) =>
        scenario.Tags.Except(scenario.DirectTags, StringComparer.Ordinal);

    private static System.Collections.Specialized.OrderedDictionary ToOrderedDictionary(IReadOnlyDictionary<string, string> arguments)
    {
        var dictionary = new System.Collections.Specialized.OrderedDictionary();
        foreach (var (key, value) in arguments) dictionary[key] = value;
        return dictionary;
    }
}
