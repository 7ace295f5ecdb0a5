using Xunit;

namespace Conformance.Cli.Tests.Unit;

public sealed class CommandLineTests
{
    private static ParsedCommandLine Parse(params string[] args) => CommandLine.Parse(args, new StringWriter());

    [Fact]
    public void Defaults_to_the_embedded_sample_L4_protocol_2()
    {
        var settings = Parse().Settings!;
        Assert.Null(settings.Endpoint);
        Assert.Equal(4, settings.ClaimedLevel);
        Assert.Equal([2], settings.ProtocolVersions);
        Assert.False(settings.Strict);
        Assert.Same(TagExpression.Any, settings.Tags);
        Assert.Equal(4, settings.Parallel);
    }

    [Fact]
    public void Parses_every_option()
    {
        var file = Path.GetTempFileName();
        try
        {
            var settings = Parse("--endpoint", "ws://127.0.0.1:8000/socketcluster/", "--level", "L3", "--protocol", "1",
                "--strict", "--tags", "@L1 and @v1", "--report", "out", "--junit", "j.xml", "--expectations", file, "--plain", "--parallel", "2").Settings!;
            Assert.Equal("ws://127.0.0.1:8000/socketcluster/", settings.Endpoint!.ToString());
            Assert.Equal(3, settings.ClaimedLevel);
            Assert.Equal([1], settings.ProtocolVersions);
            Assert.True(settings.Strict);
            Assert.Equal("@L1 and @v1", settings.Tags.Text);
            Assert.Equal(("out", "j.xml", file), (settings.ReportDirectory, settings.JUnitPath, settings.ExpectationsPath));
            Assert.True(settings.Plain);
            Assert.Equal(2, settings.Parallel);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void Parses_the_verdict_options()
    {
        var defaults = Parse().Settings!;
        Assert.False(defaults.AllowUntested);
        Assert.Null(defaults.RequiredLevel);
        Assert.Null(defaults.Clients);
        // Without --endpoint every client driver is in scope; with it none, unless --clients names them.
        Assert.True(defaults.Selects("chromium"));
        var endpoint = Parse("--endpoint", "ws://127.0.0.1:8000/").Settings!;
        Assert.True(endpoint.Selects("server"));
        Assert.False(endpoint.Selects("csharp"));

        var settings = Parse("--endpoint", "ws://127.0.0.1:8000/", "--allow-untested", "--require-level", "L3", "--clients", "csharp, Node").Settings!;
        Assert.True(settings.AllowUntested);
        Assert.Equal(3, settings.RequiredLevel);
        Assert.Equal(["csharp", "node"], settings.Clients);
        Assert.True(settings.Selects("node"));
        Assert.False(settings.Selects("chromium"));
    }

    [Theory]
    [InlineData(new[] { "--require-level", "L5" }, "--require-level must be L1, L2, L3 or L4")]
    [InlineData(new[] { "--level", "L2", "--require-level", "L3" }, "--require-level L3 is above the claimed --level L2")]
    [InlineData(new[] { "--clients", "," }, "--clients needs at least one client driver")]
    public void Verdict_option_errors_are_one_line(string[] args, string expected) =>
        Assert.Contains(expected, Parse(args).Error);

    [Fact]
    public void Help_documents_exit_code_3()
    {
        var help = new StringWriter();
        CommandLine.Parse(["--help"], help);
        Assert.Contains("3 INCOMPLETE", help.ToString());
        Assert.Contains("--allow-untested", help.ToString());
        Assert.Contains("--require-level", help.ToString());
        Assert.Contains("--clients", help.ToString());
    }

    [Theory]
    [InlineData("ws://h:1", "ws://h:1/socketcluster/")]
    [InlineData("http://h:1/", "ws://h:1/socketcluster/")]
    [InlineData("https://h/x/", "wss://h/x/")]
    [InlineData("ws://h:1/custom/?q=1", "ws://h:1/custom/?q=1")]
    public void Normalises_endpoints(string text, string expected)
    {
        Assert.True(Conformance.Engine.Support.EndpointAddress.TryParse(text, "--endpoint", out var uri, out _));
        Assert.Equal(expected, uri!.ToString());
    }

    [Theory]
    [InlineData("http://h:1", "ws://h:1/socketcluster/")]
    [InlineData("wss://h/x/", "wss://h/x/")]
    public void SC_ENDPOINT_is_parsed_like_the_endpoint_option(string text, string expected)
    {
        var settings = Conformance.Engine.Support.EngineSettings.FromEnvironment(RepoPaths.Root, name => name == "SC_ENDPOINT" ? text : null);
        var target = Assert.IsType<Conformance.Engine.Support.RunTarget.External>(settings.Target);
        Assert.Equal(expected, target.Endpoint.ToString());
        var e = Assert.Throws<ArgumentException>(() => Conformance.Engine.Support.EngineSettings.FromEnvironment(RepoPaths.Root, name => name == "SC_ENDPOINT" ? "ftp://x" : null));
        Assert.StartsWith("SC_ENDPOINT must use ws:// or wss://", e.Message);
    }

    [Fact]
    public void Parses_the_ci_output_options()
    {
        var settings = Parse("--scenario", "features/Handshake/X.feature:21", "--scenario", "Handshake\\X.feature:22", "--scenario", "./features/Handshake/X.feature:21",
            "--verbose", "--summary", "s.md").Settings!;
        Assert.Equal(["features/Handshake/X.feature:21", "features/Handshake/X.feature:22"], settings.Scenarios);
        // One client's case of a client row: its key as the reports print it.
        Assert.Equal(["features/Client/Connect.feature:12 [client=csharp]"], Parse("--scenario", "./Client/Connect.feature:12 [client=csharp]").Settings!.Scenarios);
        Assert.True(settings.Verbose);
        Assert.Equal("s.md", settings.SummaryPath);
        Assert.Empty(Parse().Settings!.Scenarios);
    }

    [Fact]
    public void Parses_the_known_good_server()
    {
        Assert.Null(Parse().Settings!.KnownGood); // the engine's default: embedded
        Assert.Equal(Engine.Support.KnownGoodServerKind.Official, Parse("--known-good", "official").Settings!.KnownGood);
        Assert.Equal(Engine.Support.KnownGoodServerKind.Embedded, Parse("--known-good", "Embedded").Settings!.KnownGood);
        Assert.Contains("--known-good must be 'embedded' (the C# reference sample) or 'official'", Parse("--known-good", "node").Error);
    }

    [Theory]
    [InlineData("features/Handshake/X.feature")]
    [InlineData("features/Handshake/X.feature:0")]
    [InlineData("features/Handshake/X.txt:3")]
    [InlineData("features/Handshake/X.feature:3-4")]
    [InlineData("features/Handshake/X.feature [client=csharp]")]
    public void A_scenario_without_feature_file_and_line_is_a_usage_error(string text) =>
        Assert.StartsWith("--scenario must be a feature file and line", Parse("--scenario", text).Error);

    [Fact]
    public void Parses_both_protocol_versions_newest_first() => Assert.Equal([2, 1], Parse("--protocol", "1,2").Settings!.ProtocolVersions);

    [Fact]
    public void Legacy_v14_implies_protocol_1_for_an_endpoint()
    {
        var settings = Parse("--endpoint", "ws://127.0.0.1:8000/socketcluster/", "--legacy", "v14").Settings!;
        Assert.True(settings.LegacyV14);
        Assert.Equal([1], settings.ProtocolVersions);
        Assert.False(Parse("--endpoint", "ws://127.0.0.1:8000/").Settings!.LegacyV14);
    }

    [Theory]
    [InlineData("--legacy v14", "give its --endpoint too")]
    [InlineData("--endpoint ws://h:1/ --legacy v13", "--legacy knows only v14")]
    [InlineData("--endpoint ws://h:1/ --legacy v14 --protocol 1,2", "speak protocol 1 only")]
    public void Legacy_usage_errors_name_the_problem(string args, string expected)
    {
        var parsed = Parse(args.Split(' '));
        Assert.Null(parsed.Settings);
        Assert.Contains(expected, parsed.Error);
    }

    [Theory]
    [InlineData("--level", "L5", "--level must be L1, L2, L3 or L4")]
    [InlineData("--protocol", "3", "--protocol must be 1, 2 or 1,2")]
    [InlineData("--endpoint", "ftp://x", "--endpoint must use ws:// or wss://")]
    [InlineData("--endpoint", "not a url", "--endpoint must be an absolute")]
    [InlineData("--tags", "L1", "--tags: tag expression")]
    [InlineData("--expectations", "/nonexistent.json", "--expectations: file not found")]
    [InlineData("--bogus", "x", "bogus")]
    [InlineData("--parallel", "0", "--parallel must be a whole number from 1 to 16")]
    [InlineData("--parallel", "x", "--parallel must be a whole number from 1 to 16")]
    public void Usage_errors_are_one_line(string option, string value, string expected)
    {
        var parsed = Parse(option, value);
        Assert.Null(parsed.Settings);
        Assert.Contains(expected, parsed.Error);
        Assert.DoesNotContain('\n', parsed.Error!);
    }

    [Fact]
    public void Help_lists_the_options()
    {
        var output = new StringWriter();
        var parsed = CommandLine.Parse(["--help"], output);
        Assert.True(parsed.HelpShown);
        foreach (var option in new[] { "--endpoint", "--level", "--protocol", "--strict", "--tags", "--report", "--junit", "--expectations", "--parallel", "--legacy" })
            Assert.Contains(option, output.ToString());
    }

    [Fact]
    public void Repeated_endpoints_are_the_nodes_of_one_cluster()
    {
        var settings = Parse("--endpoint", "ws://a:1/socketcluster/", "--endpoint", "ws://b:2").Settings!;
        Assert.Equal(new Uri("ws://a:1/socketcluster/"), settings.Endpoint);
        Assert.Equal([new Uri("ws://a:1/socketcluster/"), new Uri("ws://b:2/socketcluster/")], settings.ClusterEndpoints);
        Assert.Empty(Parse("--endpoint", "ws://a:1/").Settings!.ClusterEndpoints);
        Assert.Equal(3, Parse("--cluster", "3").Settings!.ClusterNodes);
    }

    [Theory]
    [InlineData(new[] { "--endpoint", "ws://a:1/", "--endpoint", "ws://a:1/socketcluster/" }, "--endpoint ws://a:1/socketcluster/ is given twice")]
    [InlineData(new[] { "--cluster", "1" }, "--cluster must be a number of nodes from 2 to 8, got '1'")]
    [InlineData(new[] { "--cluster", "2", "--endpoint", "ws://a:1/" }, "--cluster starts a cluster of C# nodes; to test your own cluster give its nodes with --endpoint instead")]
    public void Cluster_option_errors_are_one_line(string[] args, string expected) =>
        Assert.Equal(expected, Parse(args).Error);
}
