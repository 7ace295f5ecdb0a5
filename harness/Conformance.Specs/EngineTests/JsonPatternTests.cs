using System.Text.Json;
using Conformance.Engine.Support;
using Xunit;

namespace Conformance.Specs.EngineTests;

public sealed class JsonPatternTests
{
    private static JsonElement J(string s) => JsonDocument.Parse(s).RootElement.Clone();

    [Theory]
    [InlineData("""{"rid":"$lastCid","data":"Success","error":"<absent>"}""", """{"rid":3,"data":"Success"}""", true)]
    [InlineData("""{"rid":"$lastCid"}""", """{"rid":4}""", false)]
    [InlineData("""{"error":"<absent>"}""", """{"error":null}""", false)]
    [InlineData("""{"data":"<any>"}""", """{"data":null}""", true)]
    [InlineData("""{"data":"<any>"}""", """{}""", false)]
    [InlineData("""{"a":"<string>","b":"<number>","c":"<boolean>","d":"<object>","e":"<array>"}""", """{"a":"x","b":1.5,"c":false,"d":{},"e":[],"f":1}""", true)]
    [InlineData("""{"a":"<number>"}""", """{"a":"1"}""", false)]
    [InlineData("""[1,2]""", """[1,2,3]""", false)]
    [InlineData("""[1,{"x":"<any>"}]""", """[1,{"x":0,"y":1}]""", true)]
    [InlineData("""1.0""", """1""", true)]
    [InlineData("""null""", """null""", true)]
    [InlineData("""null""", """0""", false)]
    [InlineData("""{"token":"<jwt>"}""", """{"token":"eyJhbGciOiJIUzI1NiJ9.eyJ1IjoiYiJ9.c2ln"}""", true)]
    [InlineData("""{"token":"<jwt>"}""", """{"token":"not-a-token"}""", false)]
    public void Matches_as_STEPS_md_defines(string pattern, string actual, bool expected) =>
        Assert.Equal(expected, JsonPattern.Matches(J(pattern), J(actual), lastCid: 3));

    [Fact]
    public void Exact_matching_rejects_extra_keys_and_mismatches_say_where()
    {
        Assert.False(JsonPattern.Matches(J("""{"a":1}"""), J("""{"a":1,"b":2}"""), exact: true));
        Assert.Equal("$.data.list[1]: expected 2, got 3", JsonPattern.Mismatch(J("""{"data":{"list":[1,2]}}"""), J("""{"data":{"list":[1,3]}}""")));
    }

    [Fact]
    public void Placeholders_are_substituted()
    {
        var text = Placeholders.Substitute("""{"t":"$token.bob","id":"$id.A","exp":"$now+60"}""", n => "tok-" + n, n => "sid-" + n);
        var json = J(text);
        Assert.Equal("tok-bob", json.GetProperty("t").GetString());
        Assert.Equal("sid-A", json.GetProperty("id").GetString());
        Assert.InRange(json.GetProperty("exp").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 58, 61);
        var allocations = 0;
        Assert.Equal("""{"cid":7,"again":7}""", Placeholders.SubstituteCid("""{"cid":$cid,"again":$cid}""", () => { allocations++; return 7; }));
        Assert.Equal(1, allocations);
        Assert.Equal("""{"rid":5}""", Placeholders.SubstituteReceivedCid("""{"rid":$receivedCid}""", () => 5));
        Assert.Throws<InvalidOperationException>(() => Placeholders.SubstituteReceivedCid("$receivedCid", () => null));
    }
}
