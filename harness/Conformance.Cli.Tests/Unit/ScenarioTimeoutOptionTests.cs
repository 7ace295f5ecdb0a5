using Xunit;

namespace Conformance.Cli.Tests.Unit;

/// <summary>--scenario-timeout: each scenario's hard deadline (issue 10 §9); the engine applies it (ScenarioRunner).</summary>
public sealed class ScenarioTimeoutOptionTests
{
    private static ParsedCommandLine Parse(params string[] args) => CommandLine.Parse(args, new StringWriter());

    [Fact]
    public void Absent_it_leaves_the_engine_default()
    {
        Assert.Null(Parse().Settings!.ScenarioTimeout);
    }

    [Theory]
    [InlineData("90", 90.0)]
    [InlineData("1.5", 1.5)]
    public void Seconds_become_the_deadline(string text, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Parse("--scenario-timeout", text).Settings!.ScenarioTimeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("3601")]
    public void A_bad_value_is_a_one_line_usage_error(string text)
    {
        var parsed = Parse("--scenario-timeout", text);
        Assert.Null(parsed.Settings);
        Assert.Equal($"--scenario-timeout must be a number of seconds from 1 to 3600, got '{text}'", parsed.Error);
    }

    [Fact]
    public void The_help_documents_it()
    {
        var help = new StringWriter();
        CommandLine.Parse(["--help"], help);
        Assert.Contains("--scenario-timeout", help.ToString());
        Assert.Contains("default 60", help.ToString());
    }
}
