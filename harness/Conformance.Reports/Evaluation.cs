namespace Conformance.Reports;

/// <summary>How a run is judged: the claimed level, --strict, and the implementation's expectations.</summary>
public sealed record GateOptions
{
    /// <summary>The highest level the implementation claims (1..4); scenarios above it are UNIMPLEMENTED.</summary>
    public int ClaimedLevel { get; init; } = 4;
    /// <summary>SHOULD failures (NON-STRICT) fail the run too.</summary>
    public bool Strict { get; init; }
    public Expectations Expectations { get; init; } = Expectations.None;
}

public sealed record ScenarioVerdict(
    ScenarioRecord Scenario,
    Verdict Verdict,
    RequirementLevel Strength,
    /// <summary>The expectation reason when this failure was expected, else null.</summary>
    string? ExpectedFailure,
    /// <summary>The expectation keys covering a scenario that passed (the file can shrink).</summary>
    IReadOnlyList<string> UnexpectedPassKeys,
    /// <summary>True when this scenario makes the run fail (exit 1).</summary>
    bool FailsRun)
{
    public string? Reason => Verdict switch
    {
        Verdict.Skipped => Scenario.SkipReason ?? "skipped",
        // The runner's own reason first (an unclaimed level, a capability a client adapter did not declare).
        Verdict.Unimplemented => Scenario.SkipReason ?? (Scenario.Level is { } l ? $"level L{l} is not claimed" : "not run"),
        _ => Scenario.Error,
    };
}

public sealed record RequirementVerdict(
    string Id,
    Requirement? Requirement,
    Verdict Verdict,
    IReadOnlyList<string> ScenarioIds,
    string? ExpectedFailure);

public sealed record AreaSummary(string Area, IReadOnlyDictionary<Verdict, int> Counts, int RequirementsPassed, int RequirementsTotal)
{
    public string Name => Areas.Name(Area);
    public int Total => Counts.Values.Sum();
}

public sealed record ConformanceResult(
    IReadOnlyList<ScenarioVerdict> Scenarios,
    IReadOnlyList<RequirementVerdict> Requirements,
    IReadOnlyList<LevelResult> Levels,
    IReadOnlyList<AreaSummary> AreaSummaries,
    IReadOnlyDictionary<Verdict, int> Counts,
    IReadOnlyList<(string Key, string Reason)> UnexpectedPasses,
    IReadOnlyList<string> UnusedExpectations,
    GateOptions Options)
{
    public bool Passed => Scenarios.All(s => !s.FailsRun);
    public int ExitCode => Passed ? ExitCodes.Success : ExitCodes.Failures;

    /// <summary>One line: why the run passed or failed.</summary>
    public string Reason
    {
        get
        {
            var failing = Scenarios.Where(s => s.FailsRun).ToList();
            if (failing.Count == 0)
            {
                var expected = Scenarios.Count(s => s.ExpectedFailure is not null);
                return expected > 0 ? $"every applicable requirement passed or failed as expected ({expected} expected failure(s))"
                                    : "every applicable requirement passed";
            }
            var ids = failing.SelectMany(s => s.Scenario.RequirementIds).Distinct().Order(StringComparer.Ordinal).ToList();
            return $"{failing.Count} scenario(s) failed" + (ids.Count > 0 ? $": {string.Join(", ", ids)}" : "");
        }
    }
}

public static class ExitCodes
{
    /// <summary>Every applicable MUST passed (and SHOULD under --strict), after expectations.</summary>
    public const int Success = 0;
    /// <summary>At least one unexpected failure.</summary>
    public const int Failures = 1;
    /// <summary>Usage error, bad expectations file, nothing selected, or the endpoint could not be reached.</summary>
    public const int Usage = 2;
}

/// <summary>Turns per-scenario outcomes plus requirement strengths into verdicts, levels and the run's pass/fail.</summary>
public static class Evaluator
{
    public static ConformanceResult Evaluate(IReadOnlyList<ScenarioRecord> scenarios, RequirementCatalog catalog, GateOptions options)
    {
        var expectations = options.Expectations;
        var verdicts = scenarios.Select(s => JudgeScenario(s, catalog, options)).ToList();

        var requirements = JudgeRequirements(verdicts, catalog, expectations);
        var levels = Levels.Compute(verdicts, catalog, options);

        var unexpectedPasses = new List<(string, string)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in expectations.ExpectedFailures.Keys)
        {
            var covered = verdicts.Where(v => expectations.KeysFor(v.Scenario).Contains(key)
                                              && v.Scenario.Outcome is Outcome.Passed or Outcome.Failed).ToList();
            if (covered.Count == 0) continue;
            used.Add(key);
            // A key is "unexpectedly passing" only when every scenario it covers passed: then it can be removed.
            if (covered.All(v => v.Scenario.Outcome == Outcome.Passed)) unexpectedPasses.Add((key, expectations.ExpectedFailures[key]));
        }
        var unused = expectations.ExpectedFailures.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList();

        return new ConformanceResult(verdicts, requirements, levels, Summarize(verdicts, requirements), Count(verdicts.Select(v => v.Verdict)),
            unexpectedPasses, unused, options);
    }

    public static ScenarioVerdict JudgeScenario(ScenarioRecord scenario, RequirementCatalog catalog, GateOptions options)
    {
        var strength = Strength(scenario, catalog);
        var verdict = scenario switch
        {
            { Level: { } level } when level > options.ClaimedLevel => Verdict.Unimplemented,
            { Outcome: Outcome.NotRun } => Verdict.Unimplemented,
            { Outcome: Outcome.Skipped } => Verdict.Skipped,
            { Outcome: Outcome.Passed } => Verdict.Pass,
            _ => strength switch
            {
                RequirementLevel.Must => Verdict.Fail,
                RequirementLevel.Should => Verdict.NonStrict,
                _ => Verdict.Informational,
            },
        };
        var keys = options.Expectations.KeysFor(scenario);
        var expected = (verdict is Verdict.Fail or Verdict.NonStrict or Verdict.Informational) && keys.Count > 0
            ? options.Expectations.ExpectedFailures[keys[0]] : null;
        IReadOnlyList<string> unexpectedPass = verdict == Verdict.Pass ? keys : [];
        var failsRun = expected is null && (verdict == Verdict.Fail || (verdict == Verdict.NonStrict && options.Strict));
        return new ScenarioVerdict(scenario, verdict, strength, expected, unexpectedPass, failsRun);
    }

    /// <summary>
    /// The strongest level among the scenario's requirements. A requirement ID missing from the catalog counts as
    /// MUST (never let a typo weaken the gate); without requirement tags, @must/@should/@informational decide, else MUST.
    /// </summary>
    public static RequirementLevel Strength(ScenarioRecord scenario, RequirementCatalog catalog)
    {
        var ids = scenario.RequirementIds;
        if (ids.Count > 0)
            return ids.Select(id => catalog.Find(id)?.Level ?? RequirementLevel.Must).Min();
        var tags = scenario.Tags.Select(t => t.ToLowerInvariant()).ToHashSet();
        if (tags.Contains("must")) return RequirementLevel.Must;
        if (tags.Contains("should")) return RequirementLevel.Should;
        if (tags.Contains("may")) return RequirementLevel.May;
        if (tags.Contains("informational")) return RequirementLevel.Informational;
        return RequirementLevel.Must;
    }

    private static List<RequirementVerdict> JudgeRequirements(List<ScenarioVerdict> verdicts, RequirementCatalog catalog, Expectations expectations)
    {
        var byId = new Dictionary<string, List<ScenarioVerdict>>(StringComparer.Ordinal);
        foreach (var v in verdicts)
            foreach (var id in v.Scenario.RequirementIds.Distinct())
                (byId.TryGetValue(id, out var list) ? list : byId[id] = []).Add(v);

        var result = new List<RequirementVerdict>();
        foreach (var (id, list) in byId.OrderBy(p => Areas.Order(p.Key[..p.Key.IndexOf('-')])).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var requirement = catalog.Find(id);
            var level = requirement?.Level ?? RequirementLevel.Must;
            var failed = list.Where(v => v.Scenario.Outcome == Outcome.Failed && v.Verdict != Verdict.Unimplemented).ToList();
            Verdict verdict;
            if (failed.Count > 0)
                verdict = level switch { RequirementLevel.Must => Verdict.Fail, RequirementLevel.Should => Verdict.NonStrict, _ => Verdict.Informational };
            else if (list.Any(v => v.Verdict == Verdict.Pass)) verdict = Verdict.Pass;
            else if (list.All(v => v.Verdict == Verdict.Unimplemented)) verdict = Verdict.Unimplemented;
            else verdict = Verdict.Skipped;
            string? expected = null;
            if (failed.Count > 0 && failed.All(v => v.ExpectedFailure is not null))
                expected = expectations.ExpectedFailures.GetValueOrDefault(id) ?? failed[0].ExpectedFailure;
            result.Add(new RequirementVerdict(id, requirement, verdict, list.Select(v => v.Scenario.Id).ToList(), expected));
        }
        return result;
    }

    private static List<AreaSummary> Summarize(List<ScenarioVerdict> verdicts, List<RequirementVerdict> requirements)
    {
        var areas = verdicts.Select(v => Areas.Of(v.Scenario)).Concat(requirements.Select(r => r.Id[..r.Id.IndexOf('-')])).Distinct();
        return areas.OrderBy(Areas.Order).ThenBy(a => a, StringComparer.Ordinal).Select(area =>
        {
            var inArea = requirements.Where(r => r.Id.StartsWith(area + "-", StringComparison.Ordinal)).ToList();
            return new AreaSummary(area, Count(verdicts.Where(v => Areas.Of(v.Scenario) == area).Select(v => v.Verdict)),
                inArea.Count(r => r.Verdict == Verdict.Pass), inArea.Count);
        }).ToList();
    }

    private static Dictionary<Verdict, int> Count(IEnumerable<Verdict> verdicts)
    {
        var counts = VerdictText.All.ToDictionary(v => v, _ => 0);
        foreach (var v in verdicts) counts[v]++;
        return counts;
    }
}
