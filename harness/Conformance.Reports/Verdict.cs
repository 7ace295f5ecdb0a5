namespace Conformance.Reports;

/// <summary>Autobahn-style verdicts, per scenario and per requirement.</summary>
public enum Verdict
{
    Pass,
    /// <summary>A MUST failed.</summary>
    Fail,
    /// <summary>A SHOULD failed; fails the run only with --strict.</summary>
    NonStrict,
    /// <summary>A MAY/INFORMATIONAL check did not hold; never fails the run.</summary>
    Informational,
    /// <summary>Belongs to a level the implementation does not claim; not run.</summary>
    Unimplemented,
    /// <summary>Could not be run (the reason says why, e.g. "fixture-app contract not offered").</summary>
    Skipped,
}

public static class VerdictText
{
    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        Verdict.NonStrict => "NON-STRICT",
        Verdict.Informational => "INFORMATIONAL",
        Verdict.Unimplemented => "UNIMPLEMENTED",
        Verdict.Skipped => "SKIPPED",
        _ => verdict.ToString().ToUpperInvariant(),
    };

    public static IReadOnlyList<Verdict> All { get; } = Enum.GetValues<Verdict>();
}
