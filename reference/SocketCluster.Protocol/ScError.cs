using System.Text.Json;
using System.Text.Json.Nodes;

namespace SocketCluster.Protocol;

/// <summary>
/// A SocketCluster error: a name, a message and any extra own properties (type, statusCode, isBadToken, expiry,
/// code, reason...). It dehydrates to {message, name, ...extra} with no stack, as sc-errors does (EV-006, EV-007).
/// </summary>
public class ScError : Exception
{
    /// <summary>An error with a name (null only for a plain remote value), a message, extra own properties and an inner exception.</summary>
    public ScError(string? name, string message, JsonObject? extra = null, Exception? inner = null)
        : base(message, inner)
    {
        Name = name;
        Extra = extra ?? new JsonObject();
    }

    /// <summary>The error's name, e.g. "BadCustomError". Null only for a plain (non-object) remote error.</summary>
    public string? Name { get; }

    /// <summary>Own properties besides name and message, in wire order.</summary>
    public JsonObject Extra { get; }

    /// <summary>Set when the remote error was a plain value (e.g. a string) rather than an object.</summary>
    public JsonElement? PlainValue { get; internal init; }

    /// <summary>Sets an extra property (e.g. statusCode) and returns this error, for chaining.</summary>
    public ScError With(string key, JsonNode? value)
    {
        Extra[key] = value;
        return this;
    }

    /// <summary>An extra property's value, or null when absent.</summary>
    public JsonNode? this[string key] => Extra.TryGetPropertyValue(key, out var v) ? v : null;

    /// <summary>The wire form: message first, then name, then the extra properties. A plain value passes through.</summary>
    public JsonElement Dehydrate()
    {
        if (PlainValue is { } plain) return plain;
        var obj = new JsonObject { ["message"] = Message };
        if (Name is not null) obj["name"] = Name;
        foreach (var (key, value) in Extra)
            if (key is not ("message" or "name" or "stack")) obj[key] = value?.DeepClone();
        return JsonSerializer.SerializeToElement(obj);
    }

    /// <summary>Dehydrates any exception: an ScError as itself, anything else as {message, name = type name}.</summary>
    public static JsonElement Dehydrate(Exception error) => error is ScError sc
        ? sc.Dehydrate()
        : new ScError(error.GetType().Name, error.Message).Dehydrate();

    /// <summary>
    /// The receiver side of sc-errors (an <see cref="ScRemoteException"/>): an object becomes an error with its name and message (message must be a
    /// string, else "Invalid error message format") and every other key kept; any other value is kept as-is.
    /// </summary>
    public static ScError Hydrate(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            var text = error.ValueKind == JsonValueKind.String ? error.GetString()! : error.GetRawText();
            return new ScRemoteException(null, text) { PlainValue = error.Clone() };
        }

        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String
            ? m.GetString()! : "Invalid error message format";
        var name = error.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "Error";
        var extra = new JsonObject();
        foreach (var property in error.EnumerateObject())
            if (property.Name is not ("message" or "name" or "stack"))
                extra[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        return new ScRemoteException(name, message, extra);
    }

    /// <summary>"Name: Message", or the message alone when there is no name.</summary>
    public override string ToString() => Name is null ? Message : $"{Name}: {Message}";
}

/// <summary>
/// A call was not answered within its ackTimeout: name "TimeoutError", message
/// "Event response for &lt;event&gt; event timed out" (sc-errors TimeoutError).
/// </summary>
public sealed class ScTimeoutException(string message) : ScError(ScErrorNames.TimeoutError, message);

/// <summary>
/// The connection ended (or never opened) before the call completed: name "BadConnectionError", with
/// <see cref="Type"/> ('disconnect' or 'connectAbort'), the close <see cref="Code"/> and <see cref="Reason"/>.
/// </summary>
public sealed class ScBadConnectionException(string message, string type, int code, string reason)
    : ScError(ScErrorNames.BadConnectionError, message, new JsonObject { ["type"] = type, ["code"] = code, ["reason"] = reason })
{
    /// <summary>'disconnect' (the socket was open) or 'connectAbort' (it was connecting).</summary>
    public string Type { get; } = type;

    /// <summary>The close code of the connection that ended.</summary>
    public int Code { get; } = code;

    /// <summary>The close reason (the standard text when the close carried none).</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// The error the other side answered with (request.error(...) on its end), with its <see cref="ScError.Name"/>,
/// message and extra properties as sent; <see cref="ScError.PlainValue"/> when it sent a non-object value.
/// </summary>
public sealed class ScRemoteException(string? name, string message, JsonObject? extra = null) : ScError(name, message, extra);
