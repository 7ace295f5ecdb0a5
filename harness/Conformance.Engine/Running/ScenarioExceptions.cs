namespace Conformance.Engine.Running;

/// <summary>Thrown by a step or hook when the scenario cannot run here (e.g. the endpoint lacks the fixture app).</summary>
public sealed class ScenarioSkippedException(string reason) : Exception(reason);

/// <summary>Thrown for pending steps and for steps without a definition (the message holds Reqnroll's snippet).</summary>
public sealed class ScenarioPendingException(string message) : Exception(message);

/// <summary>A step's expectation did not hold. The message says what was expected and what was seen.</summary>
public sealed class ConformanceAssertionException(string message, Exception? inner = null) : Exception(message, inner);
