using System.Text.Json;
using SocketCluster.Protocol;

namespace SocketCluster.Sample.Fixture;

/// <summary>JS-like reading of JSON data for the fixture contract (truthiness and member access are <see cref="ScData"/>'s).</summary>
internal static class Json
{
    public static bool IsTruthy(JsonElement? value) => ScData.IsTruthy(value);

    /// <summary>A non-null object that is not an array (the contract's isPlainObject).</summary>
    public static bool IsPlainObject(JsonElement? value) => value is { ValueKind: JsonValueKind.Object };

    public static JsonElement? Member(JsonElement? data, string name) => ScData.Member(data, name);

    public static string? String(JsonElement? data, string name) =>
        Member(data, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    public static bool Has(JsonElement? data, string name) => Member(data, name) is not null;
}
