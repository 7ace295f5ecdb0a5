using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SocketCluster.Protocol;

namespace SocketCluster.Protocol.Benchmarks;

/// <summary>Decode (text → packets) and encode (→ text) of the frames a server handles most, with allocations.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const string Handshake = "{\"event\":\"#handshake\",\"data\":{\"authToken\":null},\"cid\":1}";
    private const string Event = "{\"event\":\"customProc\",\"data\":{\"foo\":\"bar\",\"n\":42},\"cid\":7}";
    private const string Response = "{\"rid\":7,\"data\":\"Success\"}";
    private const string Publish = "{\"event\":\"#publish\",\"data\":{\"channel\":\"news\",\"data\":{\"title\":\"hello\",\"n\":1}}}";
    private static readonly string Batch = "[" + string.Join(",", Enumerable.Repeat(Publish, 10)) + "]";

    private readonly JsonElement _data = JsonDocument.Parse("{\"title\":\"hello\",\"n\":1}").RootElement.Clone();
    private readonly string[] _batchFrames = Enumerable.Repeat(Publish, 10).ToArray();

    [Benchmark] public int DecodeHandshake() => PacketReader.Read(Handshake).Count;
    [Benchmark] public int DecodeEvent() => PacketReader.Read(Event).Count;
    [Benchmark] public int DecodeResponse() => PacketReader.Read(Response).Count;
    [Benchmark] public int DecodePublish() => PacketReader.Read(Publish).Count;
    [Benchmark] public int DecodeBatchOf10() => PacketReader.Read(Batch).Count;

    [Benchmark] public string EncodeHandshakeRequest() => Frames.Event(EventNames.Handshake, _data, 1);
    [Benchmark] public string EncodeEvent() => Frames.Event("customProc", _data, 7);
    [Benchmark] public string EncodeResponse() => Frames.Response(7, _data);
    [Benchmark] public string EncodePublish() => Frames.Publish("news", _data);
    [Benchmark] public string EncodeBatchOf10() => Frames.Batch(_batchFrames);
}
