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

    [Theory]
    // The #kickOut / #publish / handshake shapes of the "exactly" steps (STEPS.md §0.3): extra keys at any level fail,
    // missing keys fail, "<absent>" still requires absence, "<any>" does not look inside.
    [InlineData("""{"event":"#kickOut","data":{"channel":"foo"}}""", """{"event":"#kickOut","data":{"channel":"foo"}}""", null)]
    [InlineData("""{"event":"#kickOut","data":{"channel":"foo"}}""", """{"event":"#kickOut","data":{"channel":"foo","reason":"x"}}""", "$.data: unexpected keys reason")]
    [InlineData("""{"event":"#kickOut","data":{"channel":"foo"}}""", """{"event":"#kickOut","data":{"channel":"foo"},"cid":1}""", "$: unexpected keys cid")]
    [InlineData("""{"rid":1,"data":{"id":"<string>","isAuthenticated":false}}""", """{"rid":1,"data":{"id":"x"}}""", "$.data.isAuthenticated: missing (expected false)")]
    [InlineData("""{"event":"#publish","data":{"channel":"c","data":"<absent>"}}""", """{"event":"#publish","data":{"channel":"c","data":1}}""", "$.data.data: expected the key to be absent, got 1")]
    [InlineData("""{"event":"#publish","data":{"channel":"c","data":"<any>"}}""", """{"event":"#publish","data":{"channel":"c","data":{"deep":{"x":1}}}}""", null)]
    public void Exact_matching_reports_the_unexpected_or_missing_key(string pattern, string actual, string? mismatch) =>
        Assert.Equal(mismatch, JsonPattern.Mismatch(J(pattern), J(actual), exact: true));

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
