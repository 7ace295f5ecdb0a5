using System.Diagnostics;
using System.Text;
using Conformance.Engine.Catalog;
using Conformance.Engine.Support;

namespace Conformance.Engine.Running;

/// <summary>
/// What one scenario execution carries besides Reqnroll's contexts: the case, the session (endpoints, servers),
/// the wire transcript and the step trace. The runner makes it current for the async flow of the scenario.
/// </summary>
public sealed class ScenarioRun
{
    private static readonly AsyncLocal<ScenarioRun?> CurrentRun = new();
    private readonly StringBuilder _trace = new();

    internal ScenarioRun(ScenarioCase scenario, ConformanceSession session, CancellationToken cancellation)
    {
        Case = scenario;
        Session = session;
        Cancellation = cancellation;
        Transcript = new WireTranscript(Clock);
    }

    public static ScenarioRun? Current
    {
        get => CurrentRun.Value;
        internal set => CurrentRun.Value = value;
    }

    public ScenarioCase Case { get; }

    public ConformanceSession Session { get; }

    public WireTranscript Transcript { get; }

    /// <summary>Started when the scenario starts; transcript timestamps are relative to it.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>
    /// Cancelled when the host gives up on the scenario (test cancelled, CLI interrupted) or when the scenario's hard
    /// deadline (<see cref="EngineSettings.ScenarioTimeout"/>) has passed.
    /// </summary>
    public CancellationToken Cancellation { get; }

    /// <summary>What the scenario is doing now ("step 'When A sends ...' (features/X.feature:12)"), for a timeout's message.</summary>
    public string Activity
    {
        get => Volatile.Read(ref _activity);
        internal set => Volatile.Write(ref _activity, value);
    }

    private string _activity = "the scenario's set-up (BeforeScenario hooks)";

    /// <summary>The step running now, null outside steps (set-up, teardown).</summary>
    internal ScenarioStep? CurrentStep
    {
        get => Volatile.Read(ref _currentStep);
        set => Volatile.Write(ref _currentStep, value);
    }

    private ScenarioStep? _currentStep;

    /// <summary>The activity and step when the scenario's deadline passed (null while it has not).</summary>
    internal Tuple<string, ScenarioStep?>? AtDeadline => Volatile.Read(ref _atDeadline);

    private Tuple<string, ScenarioStep?>? _atDeadline;

    internal void MarkDeadline() => Volatile.Write(ref _atDeadline, Tuple.Create(Activity, CurrentStep));

    internal void AppendTrace(string line)
    {
        lock (_trace) _trace.AppendLine(line);
    }

    internal string Trace
    {
        get { lock (_trace) return _trace.ToString(); }
    }
}
