namespace Conformance.Reports;

/// <summary>How a run is judged: the claimed level, --strict, the implementation's expectations, and what untested means.</summary>
public sealed record GateOptions
{
    /// <summary>The highest level the implementation claims (1..4); scenarios above it are UNIMPLEMENTED.</summary>
    public int ClaimedLevel { get; init; } = 4;
    /// <summary>SHOULD failures (NON-STRICT) fail the run too.</summary>
    public bool Strict { get; init; }
    public Expectations Expectations { get; init; } = Expectations.None;
    /// <summary>--allow-untested: untested MUSTs do not make the run INCOMPLETE (the level still says unverified).</summary>
    public bool AllowUntested { get; init; }
    /// <summary>--require-level: the run fails unless every subject's verified level reaches it (per protocol version).</summary>
    public int? RequiredLevel { get; init; }
}

public sealed record ScenarioVerdict(
    ScenarioRecord Scenario,
    Verdict Verdict,
    RequirementLevel Strength,
    /// <summary>The expectation reason when this failure was expected (excused), else null.</summary>
    string? ExpectedFailure,
    /// <summary>The expectation keys covering a scenario that passed (the file can shrink).</summary>
    IReadOnlyList<string> UnexpectedPassKeys,
    /// <summary>True when this scenario makes the run fail (exit 1).</summary>
    bool FailsRun)
{
    /// <summary>
    /// The requirement IDs this failure counts against after expectations (all of them when no entry matched; those
    /// without an entry when requirement entries excused the others). Empty for passes and excused failures.
    /// </summary>
    public IReadOnlyList<string> UnexcusedRequirements { get; init; } = [];

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

/// <summary>Scenario verdicts and requirements passed in one protocol area, for one subject (the server or a client driver).</summary>
public sealed record AreaSummary(string Area, IReadOnlyDictionary<Verdict, int> Counts, int RequirementsPassed, int RequirementsTotal)
{
    /// <summary>"server" or the client driver the row grades.</summary>
    public string Subject { get; init; } = "server";
    public string Name => Areas.Name(Area);
    public int Total => Counts.Values.Sum();
}

/// <summary>The verdict of a whole run (spec/levels.md, docs/ci-gate.md).</summary>
public enum RunVerdict
{
    /// <summary>Exit 0: every applicable MUST passed (or failed as expected); untested ones only with --allow-untested.</summary>
    Passed,
    /// <summary>Exit 1: an unexpected failure, or a subject below --require-level.</summary>
    Failed,
    /// <summary>Exit 3: nothing failed, but a MUST that applies went untested.</summary>
    Incomplete,
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
    /// <summary>Subjects (at a protocol version) whose verified level is below --require-level.</summary>
    public IReadOnlyList<LevelResult> BelowRequiredLevel =>
        Options.RequiredLevel is { } required ? Levels.Where(l => l.Verified < required).ToList() : [];

    /// <summary>Some applicable MUST (at the claimed level) went untested.</summary>
    public bool HasUntested => Levels.Any(l => l.MustUntested > 0);

    public RunVerdict RunVerdict =>
        Scenarios.Any(s => s.FailsRun) || BelowRequiredLevel.Count > 0 ? RunVerdict.Failed
        : HasUntested && !Options.AllowUntested ? RunVerdict.Incomplete
        : RunVerdict.Passed;

    public bool Passed => RunVerdict == RunVerdict.Passed;

    public int ExitCode => RunVerdict switch
    {
        RunVerdict.Passed => ExitCodes.Success,
        RunVerdict.Incomplete => ExitCodes.Incomplete,
        _ => ExitCodes.Failures,
    };

    /// <summary>"PASSED", "FAILED" or "INCOMPLETE".</summary>
    public string VerdictLabel => RunVerdict.ToString().ToUpperInvariant();

    /// <summary>Applicable MUSTs (per subject and version, up to the claimed level) that no selected scenario checks.</summary>
    public int OutOfScopeCount => Levels.Sum(l => l.OutOfScope.Count);

    /// <summary>
    /// Per subject and once per reason, what went untested and why, e.g. "server: 44 MUST untested because needs the
    /// fixture app ...". The version is named when the run covers more than one.
    /// </summary>
    public IReadOnlyList<string> UntestedLines(string? subject = null)
    {
        var versions = Levels.Select(l => l.ProtocolVersion).Distinct().Count();
        return Levels.Where(l => subject is null || l.Subject == subject)
            .SelectMany(l => l.UntestedReasons.Select(r =>
                $"{l.Subject}{(versions > 1 ? $" @ v{l.ProtocolVersion}" : "")}: {r.RequirementIds.Count} MUST untested because {r.Reason} ({Ids(r.RequirementIds)})"))
            .ToList();
    }

    /// <summary>Why a subject is below --require-level, one line each.</summary>
    public IReadOnlyList<string> RequiredLevelLines(string? subject = null) =>
        BelowRequiredLevel.Where(l => subject is null || l.Subject == subject)
            .Select(l => $"{l.Subject}: verified {l.Label}, below the required {ConformanceLevel.Format(Options.RequiredLevel!.Value)}"
                         + (l.Limit is { } limit ? $" ({limit})" : ""))
            .ToList();

    /// <summary>One line: why the run passed, failed or is incomplete.</summary>
    public string Reason
    {
        get
        {
            var failing = Scenarios.Where(s => s.FailsRun).ToList();
            var parts = new List<string>();
            if (failing.Count > 0)
            {
                var ids = failing.SelectMany(s => s.UnexcusedRequirements).Distinct().Order(StringComparer.Ordinal).ToList();
                parts.Add($"{failing.Count} scenario(s) failed" + (ids.Count > 0 ? $": {string.Join(", ", ids)}" : ""));
            }
            if (BelowRequiredLevel.Count > 0)
                parts.Add($"below the required {ConformanceLevel.Format(Options.RequiredLevel!.Value)}: "
                          + string.Join(", ", BelowRequiredLevel.Select(l => $"{l.Subject} {l.Label}")));
            var untested = Levels.Where(l => l.MustUntested > 0).Select(l => $"{l.Subject} @ v{l.ProtocolVersion}: {l.MustUntested}").ToList();
            if (untested.Count > 0)
            {
                var what = $"{Levels.Sum(l => l.MustUntested)} applicable MUST(s) untested ({string.Join(", ", untested)})";
                parts.Add(Options.AllowUntested ? $"{what}, allowed by --allow-untested" : $"{what}; --allow-untested accepts that");
            }
            if (failing.Count == 0 && BelowRequiredLevel.Count == 0)
            {
                var expected = Scenarios.Count(s => s.ExpectedFailure is not null);
                parts.Insert(0, untested.Count > 0 ? "no requirement failed"
                    : expected > 0 ? $"every applicable requirement{(OutOfScopeCount > 0 ? " in scope" : "")} passed or failed as expected ({expected} expected failure(s))"
                    : $"every applicable requirement{(OutOfScopeCount > 0 ? " in scope" : "")} passed");
            }
            if (OutOfScopeCount > 0) parts.Add($"{OutOfScopeCount} MUST out of scope (not selected)");
            return string.Join("; ", parts);
        }
    }

    private static string Ids(IReadOnlyList<string> ids) =>
        ids.Count <= 6 ? string.Join(", ", ids) : string.Join(", ", ids.Take(6)) + $" and {ids.Count - 6} more";
}

public static class ExitCodes
{
    /// <summary>Every applicable MUST passed (and SHOULD under --strict), after expectations; none untested unless --allow-untested.</summary>
    public const int Success = 0;
    /// <summary>At least one unexpected failure, or a subject below --require-level.</summary>
    public const int Failures = 1;
    /// <summary>Usage error, bad expectations file, nothing selected, or the endpoint could not be reached.</summary>
    public const int Usage = 2;
    /// <summary>INCOMPLETE: nothing failed, but an applicable MUST went untested (skipped); see --allow-untested.</summary>
    public const int Incomplete = 3;
}

/// <summary>Turns per-scenario outcomes plus requirement strengths into verdicts, levels and the run's verdict.</summary>
public static class Evaluator
{
    public static ConformanceResult Evaluate(IReadOnlyList<ScenarioRecord> scenarios, RequirementCatalog catalog, GateOptions options)
    {
        var expectations = options.Expectations;
        var verdicts = scenarios.Select(s => JudgeScenario(s, catalog, options)).ToList();

        var requirements = JudgeRequirements(verdicts, catalog, expectations);
        var levels = Levels.Compute(verdicts, catalog, options);

        // An entry is used when it covers a scenario that ran; it "passes unexpectedly" when every such scenario passed.
        var unexpectedPasses = new List<(string, string)>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in expectations.ExpectedFailures.Keys)
        {
            var covered = verdicts.Where(v => expectations.KeysFor(v.Scenario).Contains(key)
                                              && v.Scenario.Outcome is Outcome.Passed or Outcome.Failed).ToList();
            if (covered.Count == 0) continue;
            used.Add(key);
            if (covered.All(v => v.Scenario.Outcome == Outcome.Passed)) unexpectedPasses.Add((key, expectations.ExpectedFailures[key]));
        }
        var unused = expectations.ExpectedFailures.Keys.Where(k => !used.Contains(k)).Order(StringComparer.Ordinal).ToList();

        return new ConformanceResult(verdicts, requirements, levels, Summarize(verdicts, catalog), Count(verdicts.Select(v => v.Verdict)),
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
        var expectations = options.Expectations;
        var keys = expectations.KeysFor(scenario);
        if (verdict == Verdict.Pass) return new ScenarioVerdict(scenario, verdict, strength, null, keys, false);
        if (verdict is not (Verdict.Fail or Verdict.NonStrict or Verdict.Informational))
            return new ScenarioVerdict(scenario, verdict, strength, null, [], false);

        // A failure counts against each requirement the scenario checks that can fail the run (MUST; SHOULD under
        // --strict; an ID missing from the catalog is MUST). A scenario entry (file:line[@vN]) excuses the scenario; a
        // requirement entry excuses that requirement only, so the scenario still fails the run for the others.
        var counted = scenario.RequirementIds.Distinct()
            .Where(id => (catalog.Find(id)?.Level ?? RequirementLevel.Must) is var level
                         && (level == RequirementLevel.Must || (options.Strict && level == RequirementLevel.Should)))
            .ToList();
        var scenarioKey = keys.FirstOrDefault(k => k == scenario.Id || k == scenario.Key);
        IReadOnlyList<string> unexcused;
        string? expected;
        if (scenarioKey is not null)
        {
            unexcused = [];
            expected = expectations.ExpectedFailures[scenarioKey];
        }
        else
        {
            unexcused = counted.Where(id => !expectations.ExpectedFailures.ContainsKey(id)).ToList();
            var excusing = keys.FirstOrDefault(k => scenario.RequirementIds.Contains(k));
            // Without requirement tags only a scenario entry can excuse a failure.
            expected = excusing is not null && unexcused.Count == 0 ? expectations.ExpectedFailures[excusing] : null;
            if (scenario.RequirementIds.Count == 0) unexcused = [];
        }
        var failsRun = expected is null && (verdict == Verdict.Fail || (verdict == Verdict.NonStrict && options.Strict));
        return new ScenarioVerdict(scenario, verdict, strength, expected, [], failsRun)
        {
            UnexcusedRequirements = failsRun ? unexcused : [],
        };
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

    private static Dictionary<string, List<ScenarioVerdict>> ByRequirement(IEnumerable<ScenarioVerdict> verdicts)
    {
        var byId = new Dictionary<string, List<ScenarioVerdict>>(StringComparer.Ordinal);
        foreach (var v in verdicts)
            foreach (var id in v.Scenario.RequirementIds.Distinct())
                (byId.TryGetValue(id, out var list) ? list : byId[id] = []).Add(v);
        return byId;
    }

    /// <summary>A requirement across the scenarios that check it, with full evidence (spec/levels.md): see <see cref="Levels.Judge"/>.</summary>
    private static Verdict JudgeRequirement(string id, RequirementLevel level, List<ScenarioVerdict> list) => Levels.Judge(id, list) switch
    {
        GroupVerdict.Fail => level switch { RequirementLevel.Must => Verdict.Fail, RequirementLevel.Should => Verdict.NonStrict, _ => Verdict.Informational },
        GroupVerdict.Pass => Verdict.Pass,
        GroupVerdict.Untested => Verdict.Skipped,
        _ => Verdict.Unimplemented,
    };

    private static List<RequirementVerdict> JudgeRequirements(List<ScenarioVerdict> verdicts, RequirementCatalog catalog, Expectations expectations)
    {
        var result = new List<RequirementVerdict>();
        foreach (var (id, list) in ByRequirement(verdicts).OrderBy(p => Areas.Order(p.Key[..p.Key.IndexOf('-')])).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            var requirement = catalog.Find(id);
            var verdict = JudgeRequirement(id, requirement?.Level ?? RequirementLevel.Must, list);
            var failed = list.Where(v => v.Scenario.Outcome == Outcome.Failed && v.Verdict != Verdict.Unimplemented).ToList();
            string? expected = null;
            if (failed.Count > 0 && failed.All(v => v.ExpectedFailure is not null || expectations.ExpectedFailures.ContainsKey(id)))
                expected = expectations.ExpectedFailures.GetValueOrDefault(id) ?? failed[0].ExpectedFailure;
            result.Add(new RequirementVerdict(id, requirement, verdict, list.Select(v => v.Scenario.Id).ToList(), expected));
        }
        return result;
    }

    /// <summary>Per subject (server first, then each client driver) and protocol area: scenario verdicts and requirements passed.</summary>
    private static List<AreaSummary> Summarize(List<ScenarioVerdict> verdicts, RequirementCatalog catalog)
    {
        var rows = new List<AreaSummary>();
        foreach (var subject in verdicts.Select(v => v.Scenario.Subject).Distinct()
                     .OrderBy(s => s == "server" ? 0 : 1).ThenBy(s => s, StringComparer.Ordinal))
        {
            var mine = verdicts.Where(v => v.Scenario.Subject == subject).ToList();
            // A requirement is counted once per subject; it passes only if it passed at every version that checked it.
            var requirements = ByRequirement(mine).Select(p => (Id: p.Key, Verdict: JudgeRequirement(p.Key, catalog.Find(p.Key)?.Level ?? RequirementLevel.Must, p.Value))).ToList();
            var areas = mine.Select(v => Areas.Of(v.Scenario)).Concat(requirements.Select(r => r.Id[..r.Id.IndexOf('-')])).Distinct();
            rows.AddRange(areas.OrderBy(Areas.Order).ThenBy(a => a, StringComparer.Ordinal).Select(area =>
            {
                var inArea = requirements.Where(r => r.Id.StartsWith(area + "-", StringComparison.Ordinal)).ToList();
                return new AreaSummary(area, Count(mine.Where(v => Areas.Of(v.Scenario) == area).Select(v => v.Verdict)),
                    inArea.Count(r => r.Verdict == Verdict.Pass), inArea.Count) { Subject = subject };
            }));
        }
        return rows;
    }

    private static Dictionary<Verdict, int> Count(IEnumerable<Verdict> verdicts)
    {
        var counts = VerdictText.All.ToDictionary(v => v, _ => 0);
        foreach (var v in verdicts) counts[v]++;
        return counts;
    }
}
