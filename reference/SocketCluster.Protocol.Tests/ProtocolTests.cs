using System.Text;
using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Protocol.Tests;

public sealed class CodecTests
{
    [Theory]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("\"str\"")]
    [InlineData("#1")]
    [InlineData("#2")]
    [InlineData("{bad json")]
    [InlineData("[1,2")]
    public void Text_that_is_not_a_json_object_or_array_stays_a_raw_string(string text)
    {
        var decoded = ScCodec.Decode(text);
        Assert.False(decoded.IsJson);
        Assert.Equal(text, decoded.Text);
    }

    [Theory]
    [InlineData(" \t\r\n{\"a\":1}")]
    [InlineData("[1]")]
    public void Leading_whitespace_then_brace_or_bracket_is_parsed(string text) => Assert.True(ScCodec.Decode(text).IsJson);

    [Theory]
    [InlineData("null", false)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("-0.0", false)]
    [InlineData("\"\"", false)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("-0.5", true)]
    [InlineData("\"0\"", true)]
    [InlineData("\"false\"", true)]
    [InlineData("{}", true)]
    [InlineData("[]", true)]
    public void IsTruthy_is_JavaScript_truthiness(string json, bool truthy) =>
        Assert.Equal(truthy, ScData.IsTruthy(JsonDocument.Parse(json).RootElement));

    [Fact]
    public void Absent_data_is_falsy() => Assert.False(ScData.IsTruthy(null));

    [Fact]
    public void Binary_frames_decode_as_utf8_text() =>
        Assert.Equal("""{"event":"x"}""", ScCodec.Decode(Encoding.UTF8.GetBytes("""{"event":"x"}""")).Json!.Value.GetRawText());

    [Fact]
    public void Byte_arrays_encode_as_the_base64_marker_and_the_marker_is_not_revived_on_decode()
    {
        var data = ScCodec.ToData(new byte[] { 1, 2, 3 });
        Assert.Equal("""{"base64":true,"data":"AQID"}""", ScCodec.Encode(data));
        Assert.Equal(JsonValueKind.Object, ScCodec.Decode("""{"base64":true,"data":"AQID"}""").Json!.Value.ValueKind);
    }

    [Fact]
    public void Null_data_is_json_null_and_FromData_of_absent_is_default()
    {
        Assert.Equal("null", ScCodec.Encode(ScCodec.ToData(null)));
        Assert.Null(ScCodec.FromData<string>(null));
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    [Fact]
    public void Every_serialisation_failure_is_one_JsonException_with_the_original_inside()
    {
        var cycle = new Node();
        cycle.Next = cycle;
        Assert.Throws<JsonException>(() => ScCodec.ToData(cycle)); // System.Text.Json throws this one itself
        Assert.IsType<NotSupportedException>(Assert.Throws<JsonException>(() => ScCodec.ToData(new { f = (Func<int>)(() => 1) })).InnerException);
        Assert.IsType<ArgumentException>(Assert.Throws<JsonException>(() => ScCodec.ToData(double.NaN)).InnerException);
    }

    [Fact]
    public void Optional_data_is_absent_for_null_and_JSON_null_for_NullElement()
    {
        Assert.Null(ScCodec.ToOptionalData(null));
        Assert.Equal(JsonValueKind.Null, ScCodec.ToOptionalData(ScCodec.NullElement)!.Value.ValueKind);
        Assert.Equal("5", ScCodec.ToOptionalData(5)!.Value.GetRawText());
        Assert.Equal(JsonValueKind.Null, ScCodec.ToData(null).ValueKind); // ToData itself keeps null as JSON null
    }
}

public sealed class ClassificationTests
{
    [Fact]
    public void Numeric_cid_is_a_request_string_cid_is_a_transmit()
    {
        var request = Assert.IsType<EventPacket>(Assert.Single(PacketReader.Read("""{"event":"e","data":1,"cid":2}""")));
        Assert.True(request.IsRequest);
        var transmit = Assert.IsType<EventPacket>(Assert.Single(PacketReader.Read("""{"event":"e","cid":"2"}""")));
        Assert.False(transmit.IsRequest);
        Assert.True(transmit.HadNonNumericCid);
        Assert.Null(transmit.Data); // absent, not null
    }

    [Fact]
    public void Numeric_rid_is_a_response_string_rid_is_raw_and_event_wins_over_rid()
    {
        Assert.IsType<ResponsePacket>(Assert.Single(PacketReader.Read("""{"rid":3}""")));
        Assert.IsType<RawPacket>(Assert.Single(PacketReader.Read("""{"rid":"3"}""")));
        Assert.IsType<EventPacket>(Assert.Single(PacketReader.Read("""{"event":"e","rid":3}""")));
        Assert.IsType<RawPacket>(Assert.Single(PacketReader.Read("""{"event":5}""")));
        Assert.IsType<RawPacket>(Assert.Single(PacketReader.Read("not json")));
    }

    [Fact]
    public void A_json_array_is_a_batch_processed_in_order()
    {
        var packets = PacketReader.Read("""[{"event":"a"},{"rid":1,"data":2},"x",[]]""");
        Assert.Collection(packets,
            p => Assert.Equal("a", Assert.IsType<EventPacket>(p).Event),
            p => Assert.Equal(1, Assert.IsType<ResponsePacket>(p).Rid),
            p => Assert.IsType<RawPacket>(p),
            p => Assert.IsType<RawPacket>(p));
        Assert.Empty(PacketReader.Read("[]"));
    }

    [Theory]
    [InlineData("""{"rid":1,"error":null}""", false)]
    [InlineData("""{"rid":1,"error":false}""", false)]
    [InlineData("""{"rid":1,"error":""}""", false)]
    [InlineData("""{"rid":1,"error":0}""", false)]
    [InlineData("""{"rid":1,"error":"text"}""", true)]
    [InlineData("""{"rid":1,"error":{"message":"m"}}""", true)]
    public void Falsy_errors_are_success(string frame, bool isError) =>
        Assert.Equal(isError, Assert.IsType<ResponsePacket>(Assert.Single(PacketReader.Read(frame))).IsError);
}

public sealed class FramesAndErrorsTests
{
    [Fact]
    public void Frames_keep_the_official_key_order_and_omit_absent_data()
    {
        Assert.Equal("""{"event":"e","data":1,"cid":2}""", Frames.Event("e", ScCodec.ToData(1), 2));
        Assert.Equal("""{"event":"e"}""", Frames.Event("e", null));
        Assert.Equal("""{"rid":3}""", Frames.Response(3, null));
        Assert.Equal("""{"event":"#publish","data":{"channel":"c"}}""", Frames.Publish("c", null));
        Assert.Equal("""{"event":"#kickOut","data":{"channel":"c"}}""", Frames.KickOut("c", null));
    }

    [Fact]
    public void Errors_dehydrate_as_message_name_extra_without_stack_and_hydrate_back()
    {
        var error = new ScError("CustomError", "It failed", new() { ["extra"] = 42, ["stack"] = "s" });
        Assert.Equal("""{"message":"It failed","name":"CustomError","extra":42}""", error.Dehydrate().GetRawText());
        var hydrated = ScError.Hydrate(JsonDocument.Parse("""{"message":"m","name":"N","statusCode":4501,"stack":"x"}""").RootElement);
        Assert.Equal(("N", "m", 4501), (hydrated.Name, hydrated.Message, hydrated["statusCode"]!.GetValue<int>()));
        Assert.Null(hydrated["stack"]);
        Assert.Equal("Invalid error message format", ScError.Hydrate(JsonDocument.Parse("""{"message":5}""").RootElement).Message);
        var plain = ScError.Hydrate(JsonDocument.Parse("\"plain\"").RootElement);
        Assert.Null(plain.Name);
        Assert.Equal("\"plain\"", plain.Dehydrate().GetRawText());
    }

    [Fact]
    public void BadConnectionError_carries_type_code_and_reason()
    {
        var e = ScErrors.EventAborted("x", "disconnect", 1001, null);
        Assert.Equal("Event x was aborted due to a bad connection", e.Message);
        Assert.Equal(("disconnect", 1001, "Socket was disconnected"),
            (e["type"]!.GetValue<string>(), e["code"]!.GetValue<int>(), e["reason"]!.GetValue<string>()));
    }

    [Fact]
    public void Close_code_table()
    {
        Assert.Equal("Server ping timed out", CloseCodes.StandardReason(4000));
        Assert.Equal("Server rejected handshake from client", CloseCodes.LocalReason(4008, ""));
        Assert.Equal("custom", CloseCodes.LocalReason(4008, "custom"));
        Assert.Null(CloseCodes.ErrorStatusReason(1000));
        Assert.True(CloseCodes.IsIgnoreStatus(1000) && CloseCodes.IsIgnoreStatus(1001) && !CloseCodes.IsIgnoreStatus(4000));
        Assert.Equal("Socket connection closed with status code 4321 and reason: r", CloseCodes.SocketProtocolErrorMessage(4321, "r"));
        Assert.Equal("Socket connection closed with status code 4321", CloseCodes.SocketProtocolErrorMessage(4321, null));
        Assert.False(CloseCodes.MaySendOnWire(1005));
        Assert.False(CloseCodes.MaySendOnWire(1006));
        Assert.True(CloseCodes.MaySendOnWire(4500));
    }

    [Fact]
    public void AuthTokenPayload_decodes_the_middle_segment_without_verifying()
    {
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"username":"bob"}""")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal("bob", AuthTokenPayload.Decode($"h.{body}.sig")!.Value.GetProperty("username").GetString());
        Assert.Null(AuthTokenPayload.Decode("invalidtoken"));
        Assert.Null(AuthTokenPayload.Decode(null));
        Assert.Null(AuthTokenPayload.Decode("a.!!!.c"));
    }
}
