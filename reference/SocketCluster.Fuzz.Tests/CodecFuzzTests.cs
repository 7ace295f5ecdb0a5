using System.Text;
using System.Text.Json;
using CsCheck;
using SocketCluster.Protocol;

namespace SocketCluster.Fuzz.Tests;

/// <summary>
/// The frame codec under fuzzing (sc-formatter's rules, digest §1.4): decoding never throws, whatever the text or
/// bytes; what decodes as JSON re-encodes to JSON that decodes to the same value; classification into packets never
/// throws and agrees with the decoded JSON.
/// </summary>
public sealed class CodecFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Decoding_and_classifying_any_message_never_throws_and_round_trips()
    {
        long executions = 0;
        FuzzInputs.Message.Sample(text =>
        {
            Interlocked.Increment(ref executions);
            CheckText(text);
            CheckText("  \n" + text);
            // Binary frames carry UTF-8 bytes, possibly invalid: decode the bytes as the server does.
            var bytes = Encoding.UTF8.GetBytes(text);
            if (bytes.Length > 0) bytes[bytes.Length / 2] ^= 0x80;
            ScCodec.Decode(bytes);
        }, time: FuzzBudget.Seconds, threads: 1, iter: long.MaxValue, writeLine: output.WriteLine);
        FuzzBudget.Report(output, "codec", executions);
        Assert.True(executions > 0);
    }

    /// <summary>Value equality; for strings .NET cannot unescape (lone surrogates) and giant exponents the JSON text decides.</summary>
    private static bool Same(JsonElement a, JsonElement b)
    {
        try
        {
            return JsonElement.DeepEquals(a, b);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            // DeepEquals also gives up on numbers whose exponent it cannot represent (1e999999999).
            return a.GetRawText() == b.GetRawText() || ScCodec.Encode(a) == ScCodec.Encode(b);
        }
    }

    internal static void CheckText(string text)
    {
        var decoded = ScCodec.Decode(text);
        var packets = PacketReader.Read(decoded);
        if (decoded.Json is not { } json)
        {
            Assert.All(packets, p => Assert.IsType<RawPacket>(p));
            return;
        }
        var again = ScCodec.Decode(ScCodec.Encode(json));
        Assert.NotNull(again.Json);
        Assert.True(Same(json, again.Json!.Value), $"re-encoding changed the value of {text}");
        if (json.ValueKind == JsonValueKind.Array) Assert.Equal(json.GetArrayLength(), packets.Count);
        else Assert.Single(packets);
    }
}
