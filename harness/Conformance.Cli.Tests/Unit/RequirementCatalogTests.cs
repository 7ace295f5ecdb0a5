using Conformance.Reports;
using Xunit;

namespace Conformance.Cli.Tests.Unit;

public sealed class RequirementCatalogTests
{
    [Fact]
    public void Parses_id_title_level_role_versions_conformance_and_text()
    {
        var catalog = Synthetic.Catalog;
        Assert.Equal(7, catalog.All.Count);

        var hs1 = catalog.Find("HS-001")!;
        Assert.Equal("The server answers the handshake", hs1.Title);
        Assert.Equal(RequirementLevel.Must, hs1.Level);
        Assert.Equal("server", hs1.Role);
        Assert.Equal([1, 2], hs1.Versions);
        Assert.Equal(1, hs1.Conformance);
        Assert.Equal("HS", hs1.Area);
        // The Digest line is metadata and the text stops before Rationale.
        Assert.Equal("The server MUST answer a #handshake event with a response carrying the socket id.", hs1.Text);

        Assert.Equal(RequirementLevel.Should, catalog.Find("HS-002")!.Level);
        Assert.Equal([2], catalog.Find("HS-002")!.Versions);
        Assert.Equal(RequirementLevel.Informational, catalog.Find("AU-001")!.Level);
        Assert.Equal(4, catalog.Find("AU-001")!.Conformance);
        Assert.Null(catalog.Find("XX-999"));
    }

    [Theory]
    [InlineData("HS-004", true)]
    [InlineData("V1-001", true)]
    [InlineData("L1", false)]
    [InlineData("v2", false)]
    [InlineData("S25", false)]
    [InlineData("hs-004", false)]
    [InlineData("HS-04", false)]
    public void Recognises_requirement_tags(string tag, bool expected) =>
        Assert.Equal(expected, RequirementCatalog.IsRequirementId(tag));

    [Theory]
    [InlineData("L1", 1)]
    [InlineData("@L4", 4)]
    [InlineData("l2", 2)]
    [InlineData("L5", null)]
    [InlineData("L", null)]
    [InlineData("", null)]
    public void Parses_conformance_levels(string text, int? expected) => Assert.Equal(expected, ConformanceLevel.Parse(text));

    [Fact]
    public void The_repository_catalog_parses_when_present()
    {
        var path = Path.Combine(Conformance.Engine.Support.EngineSettings.FindRepoRoot(), "spec", "requirements.md");
        if (!File.Exists(path)) Assert.Skip("spec/requirements.md is not written yet");
        var catalog = RequirementCatalog.Load(path);
        Assert.NotEmpty(catalog.All);
        Assert.All(catalog.All, r => Assert.True(RequirementCatalog.IsRequirementId(r.Id)));
        Assert.Contains(catalog.All, r => r.Level == RequirementLevel.Must);
    }
}
