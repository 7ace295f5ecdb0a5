namespace Conformance.Reports;

/// <summary>
/// The level of one subject (the server, or a client driver) at one protocol version. <see cref="Verified"/> is the
/// highest level whose applicable MUSTs (and those below) all passed; <see cref="Reached"/> is the highest level with
/// no failed MUST at or below it where at least one MUST passed, untested MUSTs allowed. When they differ the
/// label says "unverified" and <see cref="Untested"/> lists what kept it from being verified (spec/levels.md).
/// </summary>
public sealed record LevelResult(string Subject, int ProtocolVersion, int Verified, int Claimed, string? Limit)
{
    public int Reached { get; init; }
    /// <summary>Applicable MUSTs at or below <see cref="Reached"/> that no executed scenario checked.</summary>
    public IReadOnlyList<string> Untested { get; init; } = [];
    /// <summary>Applicable MUST requirements (up to the claimed level) that passed, failed, or had no scenario run.</summary>
    public int MustPassed { get; init; }
    public int MustFailed { get; init; }
    public int MustUntested { get; init; }
    /// <summary>Applicable SHOULD requirements that failed: warnings next to the level, never a change of it.</summary>
    public IReadOnlyList<string> ShouldWarnings { get; init; } = [];

    public bool Unverified => Reached > Verified;

    /// <summary>"L3 @ v2", "L3 @ v2 unverified" (no failure up to L3, some MUST untested), or "none @ v2".</summary>
    public string Label => Unverified
        ? $"{ConformanceLevel.Format(Reached)} @ v{ProtocolVersion} unverified"
        : $"{ConformanceLevel.Format(Verified)} @ v{ProtocolVersion}";
}

/// <summary>Requirement verdicts inside one (subject, version) group, as spec/levels.md defines them.</summary>
public enum GroupVerdict { Pass, Fail, Untested }

/// <summary>
/// Verified levels, per spec/levels.md: "Lk @ vN" is verified when every applicable MUST requirement (its Versions
/// contain N, its Role matches the subject: server or both for the server, client or both for a client driver) whose
/// Conformance is L1..Lk passed — at least one scenario tagged with it ran and all that ran passed. A failed MUST
/// stops the level below it; an untested one leaves the level unverified ("L3 @ v2 unverified", with the untested
/// IDs), and a level none of whose MUSTs was tested is not reached. SHOULD failures are warnings. A level with
/// no applicable MUST (L2 for servers) adds nothing: the report names the last level that had some. Expected
/// failures still count as failures here: the level is measured; expectations only decide the exit code.
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
            var applicable = catalog.All.Where(r => Applies(r, subject, version) && r.Conformance is not null).ToList();
            var verdictOf = applicable.ToDictionary(r => r.Id, r => Judge(r.Id, group));

            var verified = 0;
            var reached = 0;
            var untestedBelow = new List<string>();
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
                var untested = musts.Where(r => verdictOf[r.Id] == GroupVerdict.Untested).Select(r => r.Id).ToList();
                if (untested.Count == musts.Count)
                {
                    limit = $"L{level} unverified: {untested.Count} of {musts.Count} MUST untested: {List(untested)}";
                    break;
                }
                reached = level;
                untestedBelow.AddRange(untested);
                if (untestedBelow.Count == 0) verified = level;
            }

            var claimedMusts = applicable.Where(r => r.Level == RequirementLevel.Must && r.Conformance <= options.ClaimedLevel).ToList();
            result.Add(new LevelResult(subject, version, verified, options.ClaimedLevel, limit)
            {
                Reached = reached,
                Untested = untestedBelow,
                MustPassed = claimedMusts.Count(r => verdictOf[r.Id] == GroupVerdict.Pass),
                MustFailed = claimedMusts.Count(r => verdictOf[r.Id] == GroupVerdict.Fail),
                MustUntested = claimedMusts.Count(r => verdictOf[r.Id] == GroupVerdict.Untested),
                ShouldWarnings = applicable.Where(r => r.Level == RequirementLevel.Should && verdictOf[r.Id] == GroupVerdict.Fail)
                    .Select(r => r.Id).Order(StringComparer.Ordinal).ToList(),
            });
        }
        return result;
    }

    /// <summary>Whether a requirement binds this subject at this version ("both" binds servers and clients).</summary>
    public static bool Applies(Requirement requirement, string subject, int version)
    {
        if (!requirement.Versions.Contains(version)) return false;
        var role = requirement.Role.Trim().ToLowerInvariant();
        return role is "both" or "" || (subject == "server" ? role == "server" : role == "client");
    }

    private static GroupVerdict Judge(string id, IEnumerable<ScenarioVerdict> group)
    {
        var ran = group.Where(v => v.Scenario.RequirementIds.Contains(id) && v.Verdict != Verdict.Unimplemented
                                   && v.Scenario.Outcome is Outcome.Passed or Outcome.Failed).ToList();
        if (ran.Count == 0) return GroupVerdict.Untested;
        return ran.All(v => v.Scenario.Outcome == Outcome.Passed) ? GroupVerdict.Pass : GroupVerdict.Fail;
    }

    private static string List(IReadOnlyList<string> ids) =>
        ids.Count <= 8 ? string.Join(", ", ids) : string.Join(", ", ids.Take(8)) + $" and {ids.Count - 8} more";
}
