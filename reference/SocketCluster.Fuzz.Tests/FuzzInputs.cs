using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace SocketCluster.Fuzz.Tests;

/// <summary>
/// The fuzzer's inputs: the committed seed corpus (corpus/frames.txt, one frame per line), byte-level mutations of the
/// seeds (flips, deletions, insertions of JSON punctuation, duplications, truncations, splices), packets generated
/// from the protocol's shapes with values of every JSON type, batches of them, and arbitrary text.
/// </summary>
public static class FuzzInputs
{
    public static IReadOnlyList<string> Seeds { get; } =
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "corpus", "frames.txt"));

    private static readonly string[] Events =
        ["#handshake", "#subscribe", "#unsubscribe", "#publish", "#authenticate", "#removeAuthToken", "#kickOut", "#setAuthToken",
         "#disconnect", "echo", "customRemoteEvent", "", "#", "__proto__", "constructor"];

    private static readonly string[] Tokens =
        ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "true", "-", "1e999", "0", "\"event\"", "\"cid\"", "\"rid\"",
         "\"data\"", "\"channel\"", "\u0000", "\u00e9", "\ud83d\ude00", " ", "\n"];

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (2, Gen.OneOf("null", "true", "false", "0", "-0", "1.5", "-1", "1e400", "-1e400", "5e-400", "18446744073709551616",
            "9223372036854775808", "9007199254740993", "123456789012345678901234567890")),
        (2, Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "0")),
        (3, Gen.String[0, 12].Select(s => JsonSerializer.Serialize(s))),
        (1, Gen.OneOf(Events).Select(e => JsonSerializer.Serialize(e))));

    /// <summary>A JSON value of any type, nested up to a few levels, with awkward numbers and strings.</summary>
    public static readonly Gen<string> Json = Gen.Recursive<string>((depth, inner) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (2, inner.Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Gen.Select(Gen.OneOf("channel", "data", "authToken", "event", "cid", "rid", "token", "waitForAuth", "x"), inner).Array[0, 4]
                .Select(members => "{" + string.Join(",", members.Select(m => JsonSerializer.Serialize(m.Item1) + ":" + m.Item2)) + "}"))));

    /// <summary>A packet-shaped object: an event (any name, data of any type, a cid of any type or none) or a response.</summary>
    public static readonly Gen<string> Packet = Gen.Frequency(
        (5, Gen.Select(Gen.OneOf(Events), Json, Gen.Frequency((3, Gen.Const("")), (5, Gen.Int[1, 1000].Select(i => i.ToString(CultureInfo.InvariantCulture))), (2, Scalar)),
            (ev, data, cid) => "{\"event\":" + JsonSerializer.Serialize(ev) + ",\"data\":" + data + (cid.Length == 0 ? "" : ",\"cid\":" + cid) + "}")),
        (1, Gen.Select(Scalar, Json, (rid, data) => "{\"rid\":" + rid + ",\"data\":" + data + "}")),
        (1, Gen.Select(Json, Json, (ev, data) => "{\"event\":" + ev + ",\"data\":" + data + "}")));

    public static readonly Gen<string> Mutated = Gen.Select(Gen.Int[0, Seeds.Count - 1], Gen.Int[0, Seeds.Count - 1], Gen.Int[0, 6],
        Gen.Int[0, 4096], Gen.Int[1, 64], Gen.OneOf(Tokens), Mutate);

    /// <summary>One inbound message: mostly protocol-shaped, some garbage.</summary>
    public static readonly Gen<string> Message = Gen.Frequency(
        (3, Gen.OneOf([.. Seeds])),
        (5, Mutated),
        (5, Packet),
        (1, Packet.Array[1, 5].Select(items => "[" + string.Join(",", items) + "]")),
        (1, Json),
        (1, Gen.String[0, 40]));

    private static string Mutate(int seedIndex, int otherIndex, int operation, int position, int length, string token)
    {
        var text = Seeds[seedIndex];
        var at = text.Length == 0 ? 0 : position % (text.Length + 1);
        var end = Math.Min(text.Length, at + length);
        return operation switch
        {
            0 => text[..at] + token + text[at..],                                        // insert punctuation
            1 => text[..at] + text[end..],                                               // delete a range
            2 => text.Length == 0 ? token : text[..Math.Min(at, text.Length - 1)] + (char)(text[Math.Min(at, text.Length - 1)] ^ 1 << (length % 7)) + text[(Math.Min(at, text.Length - 1) + 1)..], // flip a bit
            3 => text[..end] + text[at..],                                               // duplicate a range
            4 => text[..at],                                                             // truncate
            5 => text[..at] + Seeds[otherIndex][(Seeds[otherIndex].Length == 0 ? 0 : position % Seeds[otherIndex].Length)..], // splice two seeds
            _ => new StringBuilder(text).Insert(at, token, 1 + length % 8).ToString(),   // repeat a token
        };
    }
}
