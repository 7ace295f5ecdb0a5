using Xunit;

namespace Conformance.Cli.Tests.Unit;

public sealed class TagExpressionTests
{
    [Theory]
    [InlineData("", true)]
    [InlineData("@L1", true)]
    [InlineData("@L2", false)]
    [InlineData("@L1 and @v2", true)]
    [InlineData("@L1 and @v1", false)]
    [InlineData("@v1 or @v2", true)]
    [InlineData("not @slow", true)]
    [InlineData("not @server", false)]
    [InlineData("@L1 and not @v2", false)]
    [InlineData("@x or @y and @z", false)]
    [InlineData("@server or @y and @z", true)]
    [InlineData("(@x or @server) and @hs-004", true)]
    [InlineData("not (@x or @y)", true)]
    [InlineData("@l1 AND @V2", true)]
    public void Evaluates_against_tags(string expression, bool expected) =>
        Assert.Equal(expected, TagExpression.Parse(expression).Matches(["L1", "v2", "server", "HS-004"]));

    [Theory]
    [InlineData("L1")]
    [InlineData("@L1 and")]
    [InlineData("(@L1")]
    [InlineData("@L1 @v2")]
    [InlineData("@")]
    [InlineData("and @L1")]
    public void Rejects_malformed_expressions(string expression) =>
        Assert.Throws<FormatException>(() => TagExpression.Parse(expression));
}
