namespace Conformance.Reports;

/// <summary>
/// The level of one subject (the server, or a client driver) at one protocol version. <see cref="Verified"/> is the
/// highest level whose applicable MUSTs (and those below) all passed; <see cref="Reached"/> is the highest level with
/// no failed MUST at or below it where at least one MUST passed, untested or out-of-scope MUSTs allowed. When they
/// differ the label says "unverified" (spec/levels.md).
/// </summary>
public sealed record LevelResult(string Subject, int ProtocolVersion, int Verified, int Claimed, string? Limit)
{
    public int Reached { get; init; }
    /// <summary>Applicable MUSTs up to the claimed level that a selected scenario checks but that were not fully run.</summary>
    public IReadOnlyList<string> Untested { get; init; } = [];
    /// <summary>Why <see cref="Untested"/> went untested: each reason once, with the requirements it left untested.</summary>
    public IReadOnlyList<UntestedReason> UntestedReasons { get; init; } = [];
    /// <summary>Applicable MUSTs up to the claimed level that no selected scenario checks (--tags, --level, --protocol, --endpoint).</summary>
    public IReadOnlyList<string> OutOfScope { get; init; } = [];
    /// <summary>Applicable MUST requirements (up to the claimed level) that passed, failed, or went untested.</summary>
    public int MustPassed { get; init; }
    public int MustFailed { get; init; }
    public int MustUntested => Untested.Count;
    /// <summary>Applicable SHOULD requirements that failed: warnings next to the level, never a change of it.</summary>
    public IReadOnlyList<string> ShouldWarnings { get; init; } = [];

    public bool Unverified => Reached > Verified;

    /// <summary>"L3 @ v2", "L3 @ v2 unverified" (no failure up to L3, some MUST not passed), or "none @ v2".</summary>
    public string Label => Unverified
        ? $"{ConformanceLevel.Format(Reached)} @ v{ProtocolVersion} unverified"
        : $"{ConformanceLevel.Format(Verified)} @ v{ProtocolVersion}";
}

/// <summary>One reason why MUST requirements of a subject went untested (the skip reason of their scenarios).</summary>
public sealed record UntestedReason(string Reason, IReadOnlyList<string> RequirementIds);

/// <summary>Requirement verdicts inside one (subject, version) group, as spec/levels.md defines them.</summary>
public enum GroupVerdict
{
    /// <summary>Every selected scenario (and example row) that checks it ran and passed.</summary>
    Pass,
    /// <summary>At least one of its scenarios failed.</summary>
    Fail,
    /// <summary>A selected scenario that checks it did not run (skipped), and none failed.</summary>
    Untested,
    /// <summary>No selected scenario checks it: deselected by the user (or a level not claimed); not judged.</summary>
    OutOfScope,
}

/// <summary>
/// Verified levels, per spec/levels.md: "Lk @ vN" is verified when every applicable MUST requirement (its Versions
/// contain N, its Role matches the subject: server or both for the server, client or both for a client driver) whose
/// Conformance is L1..Lk passed: every selected scenario that checks it ran and passed (full evidence). A failed MUST
/// stops the level below it; an untested or out-of-scope one leaves the level unverified, and a level none of whose
/// MUSTs passed is not reached. SHOULD failures are warnings. A level with no applicable MUST (L2 for servers) adds
/// nothing: the report names the last level that had some. Expected failures still count as failures here: the level
/// is measured; expectations only decide the exit code.
/// </summary>
public static class Levels
{
    public static IReadOnlyList<LevelResult> Compute(IReadOnlyList<ScenarioVerdict> verdicts, RequirementCatalog catalog, GateOptions options)
    {
        var result = new List<LevelResult>();
        foreach (var group in verdicts
                     .GroupBy(v => (v.Scenario.Subject, v.Scenario.ProtocolVersion))
                     .OrderBy(g => g.Key.Subject == "server" ? 0 : 1).ThenBy(g => g.Key.Subject, StringComparer.Ordinal)
                     .ThenByDescending(g => g.Key.ProtocolVersion))
        {
            var (subject, version) = group.Key;
            if (catalog.All.Count == 0)
            {
                result.Add(new LevelResult(subject, version, 0, options.ClaimedLevel, "no requirement catalog (spec/requirements.md) to measure against"));
                continue;
            }
            // Cluster requirements bind the server only in a cluster run (two or more nodes: its @cluster scenarios ran).
            var clusterRun = subject == "server" && group.Any(v => v.Scenario.Tags.Contains("cluster") && v.Scenario.Outcome != Outcome.NotRun);
            var applicable = catalog.All.Where(r => Applies(r, subject, version, clusterRun) && r.Conformance is not null).ToList();
            var verdictOf = applicable.ToDictionary(r => r.Id, r => Judge(r.Id, group));

            var verified = 0;
            var reached = 0;
            var notPassedBelow = 0;
            string? limit = null;
            for (var level = 1; level <= 4; level++)
            {
                var musts = applicable.Where(r => r.Level == RequirementLevel.Must && r.Conformance == level).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
                if (musts.Count == 0) continue;
                if (level > options.ClaimedLevel)
                {
                    limit = $"L{level} and above not claimed (--level L{options.ClaimedLevel})";
                    break;
                }
                var failed = musts.Where(r => verdictOf[r.Id] == GroupVerdict.Fail).Select(r => r.Id).ToList();
                if (failed.Count > 0)
                {
                    limit = $"L{level}: MUST failed: {List(failed)}";
                    break;
                }
                var notPassed = musts.Where(r => verdictOf[r.Id] != GroupVerdict.Pass).ToList();
                if (notPassed.Count == musts.Count)
                {
                    var untested = notPassed.Where(r => verdictOf[r.Id] == GroupVerdict.Untested).Select(r => r.Id).ToList();
                    limit = untested.Count > 0
                        ? $"L{level} unverified: {untested.Count} of {musts.Count} MUST untested: {List(untested)}"
                        : $"L{level}: out of scope (no selected scenario checks its {musts.Count} MUST)";
                    break;
                }
                reached = level;
                notPassedBelow += notPassed.Count;
                if (notPassedBelow == 0) verified = level;
            }

            var claimedMusts = applicable.Where(r => r.Level == RequirementLevel.Must && r.Conformance <= options.ClaimedLevel)
                .OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
            var untestedIds = claimedMusts.Where(r => verdictOf[r.Id] == GroupVerdict.Untested).Select(r => r.Id).ToList();
            result.Add(new LevelResult(subject, version, verified, options.ClaimedLevel, limit)
            {
                Reached = reached,
                Untested = untestedIds,
                UntestedReasons = ReasonsFor(untestedIds, group),
                OutOfScope = claimedMusts.Where(r => verdictOf[r.Id] == GroupVerdict.OutOfScope).Select(r => r.Id).ToList(),
                MustPassed = claimedMusts.Count(r => verdictOf[r.Id] == GroupVerdict.Pass),
                MustFailed = claimedMusts.Count(r => verdictOf[r.Id] == GroupVerdict.Fail),
                ShouldWarnings = applicable.Where(r => r.Level == RequirementLevel.Should && verdictOf[r.Id] == GroupVerdict.Fail)
                    .Select(r => r.Id).Order(StringComparer.Ordinal).ToList(),
            });
        }
        return result;
    }

    /// <summary>
    /// Whether a requirement binds this subject at this version ("both" binds servers and clients; "cluster" binds the
    /// server of a cluster run only: a single server is not judged on cross-node delivery).
    /// </summary>
    public static bool Applies(Requirement requirement, string subject, int version, bool clusterRun = false)
    {
        if (!requirement.Versions.Contains(version)) return false;
        var role = requirement.Role.Trim().ToLowerInvariant();
        if (role == "cluster") return clusterRun && subject == "server";
        return role is "both" or "" || (subject == "server" ? role == "server" : role == "client");
    }

    /// <summary>
    /// One requirement from the scenarios that check it (§2 of issue 10, spec/levels.md): any failure fails it; it passes
    /// only when every selected scenario and example row ran and passed; one that did not run leaves it untested.
    /// Scenarios above the claimed level (UNIMPLEMENTED) are not selected.
    /// </summary>
    public static GroupVerdict Judge(string id, IEnumerable<ScenarioVerdict> scenarios)
    {
        var selected = scenarios.Where(v => v.Scenario.RequirementIds.Contains(id) && v.Verdict != Verdict.Unimplemented).ToList();
        if (selected.Count == 0) return GroupVerdict.OutOfScope;
        if (selected.Any(v => v.Scenario.Outcome == Outcome.Failed)) return GroupVerdict.Fail;
        return selected.All(v => v.Scenario.Outcome == Outcome.Passed) ? GroupVerdict.Pass : GroupVerdict.Untested;
    }

    /// <summary>Groups untested requirements by the first line of the skip reason of their first scenario that did not run.</summary>
    private static List<UntestedReason> ReasonsFor(IReadOnlyList<string> untested, IEnumerable<ScenarioVerdict> group)
    {
        var list = group.ToList();
        return untested
            .Select(id => (Id: id, Reason: list.Where(v => v.Scenario.RequirementIds.Contains(id) && v.Verdict != Verdict.Unimplemented
                                                            && v.Scenario.Outcome is not (Outcome.Passed or Outcome.Failed))
                .Select(v => TranscriptText.FirstLine(v.Scenario.SkipReason) is { Length: > 0 } r ? r : "skipped")
                .First()))
            .GroupBy(p => p.Reason, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new UntestedReason(g.Key, g.Select(p => p.Id).ToList()))
            .ToList();
    }

    private static string List(IReadOnlyList<string> ids) =>
        ids.Count <= 8 ? string.Join(", ", ids) : string.Join(", ", ids.Take(8)) + $" and {ids.Count - 8} more";
}
