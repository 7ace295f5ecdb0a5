namespace Conformance.Engine.Traceability;

/// <summary>One requirement of spec/requirements.md.</summary>
public sealed record Requirement(
    string Id,
    string Title,
    string Level,
    string Role,
    IReadOnlyList<int> Versions,
    string Conformance,
    string Digest,
    int Line)
{
    public bool IsMust => Level == "MUST";
    public bool IsInformational => Level == "INFORMATIONAL";
}

/// <summary>A problem found while parsing spec/requirements.md (line and message).</summary>
public sealed record RequirementProblem(int Line, string Message)
{
    public override string ToString() => $"spec/requirements.md:{Line}: {Message}";
}
