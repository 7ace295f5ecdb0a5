using Conformance.Engine.Support;
using Conformance.Reports;
using Xunit;

namespace Conformance.Specs.Bridge;

/// <summary>
/// Non-parallel, so xunit runs it after every scenario collection has finished (the scenario partitions are parallel
/// collections): the level tests judge a complete run.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ConformanceLevelCollection;

/// <summary>
/// `dotnet test` gives the CLI's verdict (issue 10 §1): one test per subject, "Conformance level: server", that fails
/// when an applicable MUST of that subject went untested (INCOMPLETE; SC_ALLOW_UNTESTED=1 accepts it) or its verified
/// level is below SC_REQUIRE_LEVEL. Scenarios the run did not select (--filter, SC_ENDPOINT without SC_CLIENTS) are
/// out of scope, not untested. Failed scenarios fail their own tests. Traits: Category=L1..L4, the protocol version
/// and server/client, so level filters (Category=L1) include it.
/// </summary>
[Collection(typeof(ConformanceLevelCollection))]
public sealed class ConformanceLevelTests
{
    public static IEnumerable<ITheoryDataRow> Subjects
    {
        get
        {
            var settings = ConformanceSession.Current.Settings;
            var version = $"v{settings.ProtocolVersion}";
            foreach (var subject in ScenarioCatalog.All.Where(c => c.HasTag(version)).Select(EngineResultMapper.SubjectOf).Distinct()
                         .OrderBy(s => s == "server" ? 0 : 1).ThenBy(s => s, StringComparer.Ordinal))
            {
                var row = new TheoryDataRow<string>(subject) { TestDisplayName = $"Conformance level: {subject}" };
                foreach (var tag in new[] { "L1", "L2", "L3", "L4", version, subject == "server" ? "server" : "client", "conformance-level" })
                    row.WithTrait("Category", tag);
                yield return row;
            }
        }
    }

    [Theory(SkipTestWithoutData = true), MemberData(nameof(Subjects))]
    public void Level(string subject)
    {
        var result = TestRunReports.Evaluate();
        var levels = result?.Levels.Where(l => l.Subject == subject).ToList() ?? [];
        if (result is null || levels.Count == 0)
            Assert.Skip($"no scenario grading {subject} ran in this selection: out of scope");

        var output = TestContext.Current.TestOutputHelper;
        foreach (var level in levels)
            output?.WriteLine($"{subject}: {level.Label} — MUST {level.MustPassed} passed, {level.MustFailed} failed, {level.MustUntested} untested, {level.OutOfScope.Count} out of scope");
        var problems = result.RequiredLevelLines(subject).Select(l => "Below SC_REQUIRE_LEVEL: " + l).ToList();
        if (!result.Options.AllowUntested)
            problems.AddRange(result.UntestedLines(subject).Select(l => "Untested: " + l));
        else
            foreach (var line in result.UntestedLines(subject)) output?.WriteLine($"Untested (allowed by {TestRunReports.AllowUntestedVariable}): {line}");
        if (problems.Count == 0) return;
        var verdict = result.BelowRequiredLevel.Any(l => l.Subject == subject) ? "FAILED (exit code 1)" : "INCOMPLETE (exit code 3)";
        Assert.Fail($"{subject}: {verdict} — {string.Join(", ", levels.Select(l => l.Label))}\n{string.Join("\n", problems)}"
            + (result.Options.AllowUntested ? "" : $"\n({TestRunReports.AllowUntestedVariable}=1 accepts untested requirements, as --allow-untested does)"));
    }
}
