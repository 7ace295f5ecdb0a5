using Conformance.Engine.Catalog;
using Conformance.Engine.Traceability;
using Xunit;

namespace Conformance.Specs.EngineTests;

public sealed class RequirementsParserTests
{
    private const string Sample = """
        # Title

        ### HS-004 Handshake response carries pingTimeout
        - Level: MUST | Role: server | Versions: 1, 2 | Conformance: L1
        - Digest: §2.2; S27
        The server MUST ...
        Rationale: why.

        ### PS-010 Something about pub/sub
        - Level: SHOULD | Role: client | Versions: 2 | Conformance: L3
        - Digest: §5.1
        Text.
        """;

    [Fact]
    public void Parses_ids_fields_and_lines()
    {
        var (requirements, problems) = RequirementsParser.Parse(Sample);
        Assert.Empty(problems);
        Assert.Equal(2, requirements.Count);
        var hs = requirements[0];
        Assert.Equal(("HS-004", "Handshake response carries pingTimeout", "MUST", "server", "L1", 3),
            (hs.Id, hs.Title, hs.Level, hs.Role, hs.Conformance, hs.Line));
        Assert.Equal([1, 2], hs.Versions);
        Assert.Equal("§2.2; S27", hs.Digest);
        Assert.Equal([2], requirements[1].Versions);
    }

    [Fact]
    public void Reports_malformed_entries_and_duplicates()
    {
        var text = Sample + """

            ### HS-004 Duplicate
            - Level: MUST | Role: server | Versions: 1, 2 | Conformance: L1
            - Digest: x

            ### XX-1 Bad id
            - Level: MUST | Role: server | Versions: 1 | Conformance: L1

            ### AU-001 Bad fields
            - Level: PERHAPS | Role: nobody | Versions: 3 | Conformance: L9
            """;
        var (_, problems) = RequirementsParser.Parse(text);
        var messages = string.Join("\n", problems.Select(p => p.Message));
        Assert.Contains("HS-004 is defined twice", messages);
        Assert.Contains("'XX-1' is not a requirement ID", messages);
        Assert.Contains("AU-001: unknown Level 'PERHAPS'", messages);
        Assert.Contains("AU-001: unknown Role 'nobody'", messages);
        Assert.Contains("AU-001: unknown protocol version '3'", messages);
        Assert.Contains("AU-001: unknown Conformance 'L9'", messages);
    }

    [Fact]
    public void Traceability_flags_unknown_ids_missing_musts_and_inconsistent_tags()
    {
        var (requirements, problems) = RequirementsParser.Parse(Sample);
        var feature = """
            Feature: F
              @server @v2 @v1 @L1 @HS-004
              Scenario: Good
                Given the self-test value is 1

              @client @v2 @L3 @PS-010 @ZZ-999
              Scenario: Wrong role and unknown id
                Given the self-test value is 1

              @server @v1 @L1 @PS-010
              Scenario: Wrong version and level
                Given the self-test value is 1
            """;
        var scenarios = FeatureCatalog.Compile(feature, "features/f.feature", "");
        var report = TraceabilityMatrix.Build(requirements, problems, scenarios);
        var all = string.Join("\n", report.Problems);
        Assert.Contains("@ZZ-999 is not a requirement", all);
        Assert.Contains("tagged @v1, but @PS-010 applies to versions 2 only", all);
        Assert.Contains("a @server scenario tags @PS-010, whose Role is client", all);
        Assert.Contains("tagged @L1, but the highest level among its requirements is L3", all);
        Assert.DoesNotContain("MUST requirement HS-004", all);
        Assert.Equal(1, report.CoveredMust);
        Assert.Contains("| [HS-004](requirements.md#hs-004-handshake-response-carries-pingtimeout)", report.Markdown);

        var uncovered = TraceabilityMatrix.Build(requirements, problems, scenarios.Skip(1).ToList());
        Assert.Contains(uncovered.Problems, p => p.Contains("MUST requirement HS-004 (Handshake response carries pingTimeout) has no scenario"));
    }
}
