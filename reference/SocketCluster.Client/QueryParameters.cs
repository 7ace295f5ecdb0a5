using System.Text;

namespace SocketCluster.Client;

/// <summary>
/// Query string parameters in order; a key may repeat (the official client repeats array values).
/// Serialised like URLSearchParams (application/x-www-form-urlencoded).
/// </summary>
public sealed class QueryParameters : List<KeyValuePair<string, string>>
{
    /// <summary>Appends a parameter (a key may repeat).</summary>
    public void Add(string key, string value) => Add(new KeyValuePair<string, string>(key, value));

    /// <summary>Parses "a=1&amp;b=x&amp;b=y" (a leading '?' is ignored).</summary>
    public static QueryParameters Parse(string query)
    {
        var result = new QueryParameters();
        foreach (var part in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? "" : part[(eq + 1)..];
            result.Add(Decode(key), Decode(value));
        }
        return result;
    }

    /// <summary>Parses a query string; see <see cref="Parse"/>.</summary>
    public static implicit operator QueryParameters(string query) => Parse(query);

    /// <summary>The encoded form without the leading '?'.</summary>
    public override string ToString() => string.Join("&", this.Select(p => Encode(p.Key) + "=" + Encode(p.Value)));

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    /// <summary>URLSearchParams keeps ASCII alphanumerics and *-._, turns spaces into '+', escapes the rest.</summary>
    internal static string Encode(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
                sb.Append((char)b);
            else if (b == (byte)' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
